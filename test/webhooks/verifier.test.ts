import { afterEach, describe, expect, it, vi } from 'vitest';
import { GrantexInvalidArgumentError } from '../../src/errors.js';
import { MAX_CACHED_KEYS } from '../../src/webhooks/hmac.js';
import {
  constructWebhookEvent,
  createWebhookVerifier,
  signWebhookPayload,
  verifyLegacyWebhookSignature,
  verifyWebhook,
  WebhookVerificationError,
} from '../../src/webhooks/index.js';

const body = JSON.stringify({ id: 'evt_01KEYS', type: 'grant.revoked', createdAt: '2026-11-22T13:07:40.592Z', data: { grantId: 'grnt_01KEYS', cascade: true } });
const NOW = new Date(1795352884 * 1000);
const secretOf = (i: number) => `whsec_cache_test_${i}`;

async function delivery(secret: string) {
  const headers = await signWebhookPayload({ payload: body, secret, timestamp: Math.floor(NOW.getTime() / 1000) });
  return { payload: body, headers, secret, now: NOW };
}

/** Counts key imports from here on (signing above imports too, so deliveries are made first). */
function countImports() {
  return vi.spyOn(crypto.subtle, 'importKey');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('webhook key cache', () => {
  it('the functions keep nothing between calls: every call imports the key', async () => {
    const input = await delivery(secretOf(0));
    const imports = countImports();
    await verifyWebhook(input);
    await verifyWebhook(input);
    await verifyLegacyWebhookSignature({ payload: body, secret: input.secret, signature: input.headers['X-Grantex-Signature'] });
    await constructWebhookEvent(input);
    expect(imports).toHaveBeenCalledTimes(4);
  });

  it('a verifier imports a secret once, for all three checks', async () => {
    const input = await delivery(secretOf(0));
    const imports = countImports();
    const verifier = createWebhookVerifier();
    await verifier.verify(input);
    await verifier.verifyLegacy({ payload: body, secret: input.secret, headers: input.headers });
    expect((await verifier.constructEvent(input)).id).toBe('evt_01KEYS');
    await verifier.verify(input);
    expect(imports).toHaveBeenCalledTimes(1);
  });

  it('two verifiers share nothing: each imports the same secret itself', async () => {
    const input = await delivery(secretOf(0));
    const imports = countImports();
    const a = createWebhookVerifier();
    const b = createWebhookVerifier();
    await a.verify(input);
    await b.verify(input);
    expect(imports).toHaveBeenCalledTimes(2);
    await a.verify(input);
    await b.verify(input);
    expect(imports).toHaveBeenCalledTimes(2);
  });

  it(`keeps exactly ${MAX_CACHED_KEYS} secrets: all of them are answered from the cache`, async () => {
    const inputs = await Promise.all(Array.from({ length: MAX_CACHED_KEYS }, (_, i) => delivery(secretOf(i))));
    const imports = countImports();
    const verifier = createWebhookVerifier();
    for (const input of inputs) await verifier.verify(input);
    expect(imports).toHaveBeenCalledTimes(MAX_CACHED_KEYS);
    for (const input of inputs) await verifier.verify(input);
    expect(imports).toHaveBeenCalledTimes(MAX_CACHED_KEYS);
  });

  it(`one secret past ${MAX_CACHED_KEYS} drops the least recently used key, and only that one`, async () => {
    const inputs = await Promise.all(Array.from({ length: MAX_CACHED_KEYS + 1 }, (_, i) => delivery(secretOf(i))));
    const imports = countImports();
    const verifier = createWebhookVerifier();
    for (const input of inputs.slice(0, MAX_CACHED_KEYS)) await verifier.verify(input);
    // Secret 0 used again: secret 1 is now the least recently used.
    await verifier.verify(inputs[0]!);
    await verifier.verify(inputs[MAX_CACHED_KEYS]!);
    expect(imports).toHaveBeenCalledTimes(MAX_CACHED_KEYS + 1);
    for (const i of [0, ...Array.from({ length: MAX_CACHED_KEYS - 1 }, (_, k) => k + 2)]) await verifier.verify(inputs[i]!);
    expect(imports).toHaveBeenCalledTimes(MAX_CACHED_KEYS + 1);
    await verifier.verify(inputs[1]!);
    expect(imports).toHaveBeenCalledTimes(MAX_CACHED_KEYS + 2);
  });

  it('a cached key still checks the signature: a wrong secret or a changed body fails', async () => {
    const verifier = createWebhookVerifier();
    const input = await delivery(secretOf(0));
    await verifier.verify(input);
    const other = await delivery(secretOf(1));
    await expect(verifier.verify({ ...input, headers: other.headers })).rejects.toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
    await expect(verifier.verify({ ...input, payload: body + ' ' })).rejects.toBeInstanceOf(WebhookVerificationError);
    await expect(verifier.verifyLegacy({ payload: body + ' ', secret: input.secret, headers: input.headers })).rejects.toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
  });

  it('a bad secret is refused by a verifier as by the functions, and is not cached', async () => {
    const verifier = createWebhookVerifier();
    const imports = countImports();
    for (const secret of ['', 42, undefined]) {
      await expect(verifier.verify({ payload: body, secret: secret as string, signature: 'x', timestamp: '1' })).rejects.toBeInstanceOf(GrantexInvalidArgumentError);
      await expect(verifier.constructEvent({ payload: body, secret: secret as string, signature: 'x', timestamp: '1' })).rejects.toBeInstanceOf(GrantexInvalidArgumentError);
    }
    expect(imports).not.toHaveBeenCalled();
    expect(Object.isFrozen(verifier)).toBe(true);
  });
});
