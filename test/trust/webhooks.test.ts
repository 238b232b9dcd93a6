import { describe, expect, it } from 'vitest';
import { GrantexError, GrantexInvalidArgumentError } from '../../src/errors.js';
import {
  constructWebhookEvent,
  isKnownWebhookEvent,
  signWebhookPayload,
  verifyWebhook,
  verifyWebhookSignature,
  WebhookVerificationError,
  type VerifyWebhookInput,
} from '../../src/webhooks/index.js';
import { RECORDED_DELIVERIES, RECORDED_WEBHOOK_SECRET } from './fixtures/recorded.js';

const SECRET = 'whsec_test_5f1c0d2e9a8b7c6d';
const RECORDED_TIME = new Date(1795352884 * 1000);
const body = JSON.stringify({
  id: 'evt_01TEST',
  type: 'grant.revoked',
  createdAt: '2026-11-22T13:07:40.592Z',
  data: { grantId: 'grnt_01TEST', cascade: true },
});

async function expectWebhookError(promise: Promise<unknown>, code: string, secrets: readonly string[] = [SECRET]): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(WebhookVerificationError);
  expect(error).toBeInstanceOf(GrantexError);
  expect((error as WebhookVerificationError).code).toBe(code);
  const json = JSON.stringify(error);
  expect(JSON.parse(json)).toMatchObject({ name: 'WebhookVerificationError', code });
  for (const secret of secrets) {
    expect((error as Error).message).not.toContain(secret);
    expect(json).not.toContain(secret);
  }
}

/** A freshly signed delivery, as a server would send it. */
async function delivery(payload = body, timestamp = Math.floor(Date.now() / 1000)) {
  const headers = await signWebhookPayload({ payload, secret: SECRET, timestamp });
  return { payload, headers, secret: SECRET };
}

describe('recorded deliveries from a real Grantex server', () => {
  it.each(RECORDED_DELIVERIES.map((d) => [JSON.parse(d.body).type as string, d] as const))('verifies the %s delivery (v2 and legacy)', async (_, recorded) => {
    const input = { payload: recorded.body, headers: recorded.headers, secret: RECORDED_WEBHOOK_SECRET, now: RECORDED_TIME };
    await expect(verifyWebhook(input)).resolves.toBeUndefined();
    await expect(verifyWebhookSignature(recorded.body, recorded.headers['x-grantex-signature'], RECORDED_WEBHOOK_SECRET)).resolves.toBe(true);
    const event = await constructWebhookEvent(input);
    expect(event).toEqual(JSON.parse(recorded.body));
    expect(isKnownWebhookEvent(event)).toBe(true);
  });

  it('produces the same headers with signWebhookPayload', async () => {
    const [recorded] = RECORDED_DELIVERIES;
    const headers = await signWebhookPayload({ payload: recorded!.body, secret: RECORDED_WEBHOOK_SECRET, timestamp: 1795352884 });
    expect(headers).toEqual({
      'X-Grantex-Signature': recorded!.headers['x-grantex-signature'],
      'X-Grantex-Signature-V2': recorded!.headers['x-grantex-signature-v2'],
      'X-Grantex-Timestamp': '1795352884',
    });
  });

  it('rejects the recorded delivery today: its timestamp is stale (replay)', async () => {
    const [recorded] = RECORDED_DELIVERIES;
    const input = { payload: recorded!.body, headers: recorded!.headers, secret: RECORDED_WEBHOOK_SECRET, now: new Date(RECORDED_TIME.getTime() + 301_000) };
    await expectWebhookError(verifyWebhook(input), 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE', [RECORDED_WEBHOOK_SECRET]);
  });

  it('rejects the body as it was pretty-printed in the recording (re-serialised JSON)', async () => {
    const [recorded] = RECORDED_DELIVERIES;
    const pretty = JSON.stringify(JSON.parse(recorded!.body), null, 2);
    const input = { payload: pretty, headers: recorded!.headers, secret: RECORDED_WEBHOOK_SECRET, now: RECORDED_TIME };
    await expectWebhookError(verifyWebhook(input), 'WEBHOOK_SIGNATURE_INVALID', [RECORDED_WEBHOOK_SECRET]);
    await expect(verifyWebhookSignature(pretty, recorded!.headers['x-grantex-signature'], RECORDED_WEBHOOK_SECRET)).resolves.toBe(false);
  });
});

describe('verifyWebhook', () => {
  it('accepts a fresh delivery from a Headers instance, a lower-case object and a mixed-case object', async () => {
    const { payload, headers } = await delivery();
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const mixed = { 'x-GRANTEX-signature-v2': headers['X-Grantex-Signature-V2'], 'X-Grantex-TIMESTAMP': headers['X-Grantex-Timestamp'] };
    for (const h of [new Headers(headers), lower, mixed, headers]) {
      await expect(verifyWebhook({ payload, headers: h, secret: SECRET })).resolves.toBeUndefined();
    }
  });

  it('accepts explicit signature and timestamp (string or number), and single-element arrays', async () => {
    const { payload, headers } = await delivery();
    const signature = headers['X-Grantex-Signature-V2'];
    const timestamp = headers['X-Grantex-Timestamp'];
    await expect(verifyWebhook({ payload, signature, timestamp, secret: SECRET })).resolves.toBeUndefined();
    await expect(verifyWebhook({ payload, signature, timestamp: Number(timestamp), secret: SECRET })).resolves.toBeUndefined();
    const arrays = { 'x-grantex-signature-v2': [signature], 'x-grantex-timestamp': [timestamp] };
    await expect(verifyWebhook({ payload, headers: arrays, secret: SECRET })).resolves.toBeUndefined();
  });

  it('accepts Uint8Array and ArrayBuffer payloads', async () => {
    const { payload, headers } = await delivery();
    const bytes = new TextEncoder().encode(payload);
    await expect(verifyWebhook({ payload: bytes, headers, secret: SECRET })).resolves.toBeUndefined();
    await expect(verifyWebhook({ payload: bytes.buffer, headers, secret: SECRET })).resolves.toBeUndefined();
    // A view into a larger buffer: only the view's bytes count.
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes, 4);
    await expect(verifyWebhook({ payload: padded.subarray(4, 4 + bytes.length), headers, secret: SECRET })).resolves.toBeUndefined();
  });

  it('rejects a tampered body', async () => {
    const { headers } = await delivery();
    await expectWebhookError(verifyWebhook({ payload: body.replace('"cascade":true', '"cascade":false'), headers, secret: SECRET }), 'WEBHOOK_SIGNATURE_INVALID');
  });

  it('rejects re-serialised JSON (pretty-printed or with reordered keys)', async () => {
    const { headers } = await delivery();
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const pretty = JSON.stringify(parsed, null, 2);
    const reordered = JSON.stringify({ type: parsed.type, id: parsed.id, createdAt: parsed.createdAt, data: parsed.data });
    for (const payload of [pretty, reordered]) {
      await expectWebhookError(verifyWebhook({ payload, headers, secret: SECRET }), 'WEBHOOK_SIGNATURE_INVALID');
    }
  });

  it('rejects a tampered timestamp, even one that is still in the window', async () => {
    const { payload, headers } = await delivery();
    const moved = { ...headers, 'X-Grantex-Timestamp': String(Number(headers['X-Grantex-Timestamp']) + 1) };
    await expectWebhookError(verifyWebhook({ payload, headers: moved, secret: SECRET }), 'WEBHOOK_SIGNATURE_INVALID');
  });

  it('rejects the wrong secret', async () => {
    const { payload, headers } = await delivery();
    await expectWebhookError(verifyWebhook({ payload, headers, secret: 'another-secret' }), 'WEBHOOK_SIGNATURE_INVALID', ['another-secret', SECRET]);
  });

  it('rejects stale and future timestamps, in both directions, at the tolerance boundary', async () => {
    const now = 1_900_000_000;
    const at = new Date(now * 1000);
    for (const [offset, ok] of [[-300, true], [-301, false], [300, true], [301, false], [-86_400, false], [86_400, false]] as const) {
      const { payload, headers } = await delivery(body, now + offset);
      const result = verifyWebhook({ payload, headers, secret: SECRET, now: at });
      if (ok) await expect(result).resolves.toBeUndefined();
      else await expectWebhookError(result, 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE');
    }
    const { payload, headers } = await delivery(body, now - 500);
    await expect(verifyWebhook({ payload, headers, secret: SECRET, now: at, toleranceSeconds: 600 })).resolves.toBeUndefined();
    await expectWebhookError(verifyWebhook({ payload, headers, secret: SECRET, now: at, toleranceSeconds: Number.NaN }), 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE');
  });

  it('reports a missing signature', async () => {
    const { payload, headers } = await delivery();
    await expectWebhookError(verifyWebhook({ payload, headers: { 'X-Grantex-Timestamp': headers['X-Grantex-Timestamp'] }, secret: SECRET }), 'WEBHOOK_SIGNATURE_MISSING');
    // Only the legacy header: verifyWebhook needs the v2 one.
    await expectWebhookError(
      verifyWebhook({ payload, headers: { 'X-Grantex-Signature': headers['X-Grantex-Signature'], 'X-Grantex-Timestamp': headers['X-Grantex-Timestamp'] }, secret: SECRET }),
      'WEBHOOK_SIGNATURE_MISSING',
    );
    await expectWebhookError(verifyWebhook({ payload, signature: undefined, timestamp: headers['X-Grantex-Timestamp'], secret: SECRET }), 'WEBHOOK_SIGNATURE_MISSING');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not a number', 'yesterday'],
    ['negative', '-5'],
    ['fractional', '1795352884.5'],
    ['in milliseconds', '1795352884000000'],
  ])('reports a %s timestamp', async (_, timestamp) => {
    const { payload, headers } = await delivery();
    const input = { payload, signature: headers['X-Grantex-Signature-V2'], timestamp, secret: SECRET } as VerifyWebhookInput;
    await expectWebhookError(verifyWebhook(input), 'WEBHOOK_TIMESTAMP_INVALID');
  });

  it.each([
    ['no sha256= prefix', (s: string) => s.slice('sha256='.length)],
    ['another algorithm prefix', (s: string) => s.replace('sha256=', 'sha1=')],
    ['a short digest', (s: string) => s.slice(0, -2)],
    ['a long digest', (s: string) => `${s}00`],
    ['non-hex characters', (s: string) => `${s.slice(0, -1)}g`],
    ['two signatures', (s: string) => `${s}, ${s}`],
    ['garbage', () => 'garbage'],
  ])('reports a signature with %s as invalid, without throwing anything else', async (_, mangle) => {
    const { payload, headers } = await delivery();
    const signature = mangle(headers['X-Grantex-Signature-V2']);
    await expectWebhookError(verifyWebhook({ payload, signature, timestamp: headers['X-Grantex-Timestamp'], secret: SECRET }), 'WEBHOOK_SIGNATURE_INVALID');
    await expect(verifyWebhookSignature(payload, mangle(headers['X-Grantex-Signature']), SECRET)).resolves.toBe(false);
  });

  it('accepts an upper-case hex digest', async () => {
    const { payload, headers } = await delivery();
    const upper = `sha256=${headers['X-Grantex-Signature-V2'].slice(7).toUpperCase()}`;
    await expect(verifyWebhook({ payload, signature: upper, timestamp: headers['X-Grantex-Timestamp'], secret: SECRET })).resolves.toBeUndefined();
  });

  it('refuses a parsed body and an empty secret as programming errors', async () => {
    const { headers } = await delivery();
    await expectWebhookError(verifyWebhook({ payload: JSON.parse(body) as never, headers, secret: SECRET }), 'WEBHOOK_PAYLOAD_INVALID');
    await expect(verifyWebhook({ payload: body, headers, secret: '' })).rejects.toBeInstanceOf(GrantexInvalidArgumentError);
    await expect(verifyWebhookSignature(body, headers['X-Grantex-Signature'], '')).rejects.toBeInstanceOf(GrantexInvalidArgumentError);
  });
});

describe('verifyWebhookSignature (legacy)', () => {
  it('accepts the body signature and rejects a tampered body or a missing signature', async () => {
    const { headers } = await delivery();
    await expect(verifyWebhookSignature(body, headers['X-Grantex-Signature'], SECRET)).resolves.toBe(true);
    await expect(verifyWebhookSignature(new TextEncoder().encode(body), headers['X-Grantex-Signature'], SECRET)).resolves.toBe(true);
    await expect(verifyWebhookSignature(`${body} `, headers['X-Grantex-Signature'], SECRET)).resolves.toBe(false);
    await expect(verifyWebhookSignature(body, undefined, SECRET)).resolves.toBe(false);
    await expect(verifyWebhookSignature(body, null, SECRET)).resolves.toBe(false);
    // The v2 signature is not a legacy signature.
    await expect(verifyWebhookSignature(body, headers['X-Grantex-Signature-V2'], SECRET)).resolves.toBe(false);
  });
});

describe('constructWebhookEvent', () => {
  it('returns typed known events', async () => {
    const created = JSON.stringify({
      id: 'evt_2',
      type: 'grant.created',
      createdAt: '2026-11-22T13:07:39.684Z',
      data: { grantId: 'grnt_child', agentId: 'ag_sub', principalId: 'user_alice', scopes: ['calendar:read'], expiresAt: '2026-11-22T14:07:39.663Z', delegationDepth: 1, parentGrantId: 'grnt_parent' },
    });
    const event = await constructWebhookEvent(await delivery(created));
    if (!isKnownWebhookEvent(event) || event.type !== 'grant.created') throw new Error('expected grant.created');
    expect(event.data.parentGrantId).toBe('grnt_parent');
    expect(event.data.scopes).toEqual(['calendar:read']);
  });

  it('passes unknown event types through', async () => {
    const future = JSON.stringify({ id: 'evt_3', type: 'budget.exhausted', createdAt: '2026-12-01T00:00:00.000Z', data: { grantId: 'grnt_1', remaining: 0 } });
    const event = await constructWebhookEvent(await delivery(future));
    expect(isKnownWebhookEvent(event)).toBe(false);
    expect(event).toEqual(JSON.parse(future));
  });

  it('verifies before parsing', async () => {
    const { headers } = await delivery();
    await expectWebhookError(constructWebhookEvent({ payload: `${body}\n`, headers, secret: SECRET }), 'WEBHOOK_SIGNATURE_INVALID');
  });

  it.each([
    ['not JSON', 'not json'],
    ['a JSON array', '[]'],
    ['no id', JSON.stringify({ type: 'x', createdAt: 'now', data: {} })],
    ['a numeric type', JSON.stringify({ id: 'evt', type: 1, createdAt: 'now', data: {} })],
    ['data that is not an object', JSON.stringify({ id: 'evt', type: 'x', createdAt: 'now', data: [1] })],
  ])('rejects an authentic payload that is %s', async (_, payload) => {
    await expectWebhookError(constructWebhookEvent(await delivery(payload)), 'WEBHOOK_PAYLOAD_INVALID');
  });
});

describe('signWebhookPayload', () => {
  it('stamps the current time by default and rejects a bad timestamp', async () => {
    const before = Math.floor(Date.now() / 1000);
    const headers = await signWebhookPayload({ payload: body, secret: SECRET });
    expect(Number(headers['X-Grantex-Timestamp'])).toBeGreaterThanOrEqual(before);
    expect(headers['X-Grantex-Signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    await expect(signWebhookPayload({ payload: body, secret: SECRET, timestamp: 1.5 })).rejects.toBeInstanceOf(GrantexInvalidArgumentError);
    await expect(signWebhookPayload({ payload: body, secret: SECRET, timestamp: -1 })).rejects.toBeInstanceOf(GrantexInvalidArgumentError);
  });

  it('works with many secrets (key cache eviction) without mixing them up', async () => {
    for (let i = 0; i < 20; i++) {
      const secret = `secret-${i}`;
      const headers = await signWebhookPayload({ payload: body, secret, timestamp: 1_900_000_000 });
      await expect(verifyWebhookSignature(body, headers['X-Grantex-Signature'], secret)).resolves.toBe(true);
      await expect(verifyWebhookSignature(body, headers['X-Grantex-Signature'], `secret-${i + 1}`)).resolves.toBe(false);
    }
  });
});
