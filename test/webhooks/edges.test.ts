// The webhook signature check must be WebCrypto's constant-time HMAC verification, not a comparison
// in this code (an early-exit loop or `===` over hex leaks, through timing, how much of a forgery
// matched). These tests watch the call and show that its answer alone decides.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signWebhookPayload, verifyLegacyWebhookSignature, verifyWebhook, WebhookVerificationError } from '../../src/webhooks/index.js';

const SECRET = 'whsec_edges_0123456789abcdef';
const NOW = 1_800_000_000;
const body = JSON.stringify({ id: 'evt_01EDGE', type: 'grant.revoked', createdAt: '2027-01-15T08:00:00.000Z', data: { grantId: 'grnt_01EDGE', cascade: false } });

afterEach(() => {
  vi.restoreAllMocks();
});

const hex = (bytes: ArrayBuffer | ArrayBufferView) =>
  Array.from(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), (b) => b.toString(16).padStart(2, '0')).join('');

describe('the signature is checked by crypto.subtle.verify', () => {
  it('v2: one HMAC verify call with the 32 signature bytes over "<timestamp>.<body>"', async () => {
    const headers = await signWebhookPayload({ payload: body, secret: SECRET, timestamp: NOW });
    const verify = vi.spyOn(crypto.subtle, 'verify');
    await verifyWebhook({ payload: body, headers, secret: SECRET, now: new Date(NOW * 1000) });
    expect(verify).toHaveBeenCalledTimes(1);
    const [algorithm, key, signature, data] = verify.mock.calls[0]!;
    expect(algorithm).toBe('HMAC');
    expect((key as CryptoKey).algorithm).toMatchObject({ name: 'HMAC', hash: { name: 'SHA-256' } });
    expect(`sha256=${hex(signature as ArrayBufferView)}`).toBe(headers['X-Grantex-Signature-V2']);
    expect(new TextDecoder().decode(data as ArrayBufferView)).toBe(`${NOW}.${body}`);
  });

  it('legacy: one HMAC verify call with the signature bytes over the body', async () => {
    const headers = await signWebhookPayload({ payload: body, secret: SECRET, timestamp: NOW });
    const verify = vi.spyOn(crypto.subtle, 'verify');
    await verifyLegacyWebhookSignature({ payload: body, headers, secret: SECRET });
    expect(verify).toHaveBeenCalledTimes(1);
    expect(`sha256=${hex(verify.mock.calls[0]![2] as ArrayBufferView)}`).toBe(headers['X-Grantex-Signature']);
    expect(new TextDecoder().decode(verify.mock.calls[0]![3] as ArrayBufferView)).toBe(body);
  });

  it("its answer alone decides: a correct signature fails when it says no, a wrong one passes when it says yes", async () => {
    const headers = await signWebhookPayload({ payload: body, secret: SECRET, timestamp: NOW });
    const now = new Date(NOW * 1000);
    vi.spyOn(crypto.subtle, 'verify').mockResolvedValue(false);
    const refused = await verifyWebhook({ payload: body, headers, secret: SECRET, now }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WebhookVerificationError);
    expect((refused as WebhookVerificationError).code).toBe('WEBHOOK_SIGNATURE_INVALID');
    await expect(verifyLegacyWebhookSignature({ payload: body, headers, secret: SECRET })).rejects.toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });

    vi.restoreAllMocks();
    // A signature that differs only in its last hex digit: an early-exit comparison in this code
    // would refuse it on its own, whatever WebCrypto answers.
    const last = headers['X-Grantex-Signature-V2'].slice(-1) === '0' ? '1' : '0';
    const forged = { ...headers, 'X-Grantex-Signature-V2': headers['X-Grantex-Signature-V2'].slice(0, -1) + last };
    await expect(verifyWebhook({ payload: body, headers: forged, secret: SECRET, now })).rejects.toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
    vi.spyOn(crypto.subtle, 'verify').mockResolvedValue(true);
    await expect(verifyWebhook({ payload: body, headers: forged, secret: SECRET, now })).resolves.toBeUndefined();
  });

  it('a signature that is not 64 hex digits never reaches the comparison', async () => {
    const verify = vi.spyOn(crypto.subtle, 'verify');
    for (const signature of ['sha256=abc', `sha256=${'g'.repeat(64)}`, `sha1=${'0'.repeat(64)}`, `sha256=${'0'.repeat(65)}`]) {
      await expect(verifyWebhook({ payload: body, signature, timestamp: NOW, secret: SECRET, now: new Date(NOW * 1000) })).rejects.toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
    }
    expect(verify).not.toHaveBeenCalled();
  });
});

describe('the timestamp tolerance, exactly at it and one past', () => {
  it.each([
    ['300 s old', 'accepted', NOW - 300],
    ['301 s old', 'refused', NOW - 301],
    ['300 s ahead', 'accepted', NOW + 300],
    ['301 s ahead', 'refused', NOW + 301],
  ] as const)('a delivery %s is %s', async (_, verdict, timestamp) => {
    const accepted = verdict === 'accepted';
    const headers = await signWebhookPayload({ payload: body, secret: SECRET, timestamp });
    const result = verifyWebhook({ payload: body, headers, secret: SECRET, now: new Date(NOW * 1000) });
    if (accepted) await expect(result).resolves.toBeUndefined();
    else await expect(result).rejects.toMatchObject({ code: 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE' });
  });
});
