import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { GrantexError, GrantexInvalidArgumentError } from '../../src/errors.js';
import * as webhooks from '../../src/webhooks/index.js';
import {
  constructWebhookEvent,
  isKnownWebhookEvent,
  signWebhookPayload,
  verifyLegacyWebhookSignature,
  verifyWebhook,
  WebhookVerificationError,
  type VerifyWebhookInput,
  type WebhookPayload,
} from '../../src/webhooks/index.js';
import { RECORDED_DELIVERIES, RECORDED_WEBHOOK_SECRET } from '../support/recorded.js';

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
    await expect(verifyLegacyWebhookSignature({ payload: recorded.body, headers: recorded.headers, secret: RECORDED_WEBHOOK_SECRET })).resolves.toBeUndefined();
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
    const legacy = verifyLegacyWebhookSignature({ payload: pretty, signature: recorded!.headers['x-grantex-signature'], secret: RECORDED_WEBHOOK_SECRET });
    await expectWebhookError(legacy, 'WEBHOOK_SIGNATURE_INVALID', [RECORDED_WEBHOOK_SECRET]);
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
    await expectWebhookError(verifyLegacyWebhookSignature({ payload, signature: mangle(headers['X-Grantex-Signature']), secret: SECRET }), 'WEBHOOK_SIGNATURE_INVALID');
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
    await expect(verifyLegacyWebhookSignature({ payload: body, headers, secret: '' })).rejects.toBeInstanceOf(GrantexInvalidArgumentError);
  });

  it('reports a missing input object as a typed error, not a TypeError', async () => {
    for (const input of [null, undefined, 42]) {
      await expect(verifyWebhook(input as never)).rejects.toBeInstanceOf(GrantexInvalidArgumentError);
      await expect(verifyLegacyWebhookSignature(input as never)).rejects.toBeInstanceOf(GrantexInvalidArgumentError);
      await expect(constructWebhookEvent(input as never)).rejects.toBeInstanceOf(GrantexInvalidArgumentError);
      await expect(signWebhookPayload(input as never)).rejects.toBeInstanceOf(GrantexInvalidArgumentError);
    }
  });
});

describe('verifyLegacyWebhookSignature', () => {
  it('resolves for the body signature, from headers or given explicitly', async () => {
    const { headers } = await delivery();
    const signature = headers['X-Grantex-Signature'];
    await expect(verifyLegacyWebhookSignature({ payload: body, headers, secret: SECRET })).resolves.toBeUndefined();
    await expect(verifyLegacyWebhookSignature({ payload: body, headers: new Headers(headers), secret: SECRET })).resolves.toBeUndefined();
    await expect(verifyLegacyWebhookSignature({ payload: new TextEncoder().encode(body), signature, secret: SECRET })).resolves.toBeUndefined();
  });

  it('rejects a tampered body, the v2 signature and a missing signature with typed errors', async () => {
    const { headers } = await delivery();
    const signature = headers['X-Grantex-Signature'];
    await expectWebhookError(verifyLegacyWebhookSignature({ payload: `${body} `, signature, secret: SECRET }), 'WEBHOOK_SIGNATURE_INVALID');
    await expectWebhookError(verifyLegacyWebhookSignature({ payload: body, signature: headers['X-Grantex-Signature-V2'], secret: SECRET }), 'WEBHOOK_SIGNATURE_INVALID');
    await expectWebhookError(verifyLegacyWebhookSignature({ payload: body, signature: undefined, secret: SECRET }), 'WEBHOOK_SIGNATURE_MISSING');
    await expectWebhookError(verifyLegacyWebhookSignature({ payload: body, signature: null, secret: SECRET }), 'WEBHOOK_SIGNATURE_MISSING');
    // Only the v2 header present: the legacy one is missing.
    const v2Only = { 'X-Grantex-Signature-V2': headers['X-Grantex-Signature-V2'], 'X-Grantex-Timestamp': headers['X-Grantex-Timestamp'] };
    await expectWebhookError(verifyLegacyWebhookSignature({ payload: body, headers: v2Only, secret: SECRET }), 'WEBHOOK_SIGNATURE_MISSING');
  });
});

describe('no verifier resolves to a boolean that a missing await turns into a pass', () => {
  it('the old name, shared with a synchronous boolean function elsewhere, is gone', () => {
    // Code ported from an SDK whose verifyWebhookSignature(payload, signature, secret) returns a
    // boolean must not compile against this one: `if (!verifyWebhookSignature(…))` would test a
    // Promise (always truthy) and accept a forged delivery.
    // @ts-expect-error the name no longer exists
    expect(webhooks.verifyWebhookSignature).toBeUndefined();
    expect(Object.keys(webhooks).filter((name) => name.startsWith('verify')).sort()).toEqual(['verifyLegacyWebhookSignature', 'verifyWebhook']);
  });

  it('the ported positional call does not compile, and fails closed at run time', async () => {
    const { headers } = await delivery();
    // @ts-expect-error the verifier takes one input object, not (payload, signature, secret)
    await expect(verifyLegacyWebhookSignature(body, headers['X-Grantex-Signature'], SECRET)).rejects.toBeInstanceOf(GrantexInvalidArgumentError);
  });

  it('the verifiers resolve to nothing: TypeScript refuses to test their result, and a forgery is a rejection', async () => {
    const { headers } = await delivery();
    const zeros = `sha256=${'0'.repeat(64)}`;
    const forged = { payload: body, headers: { ...headers, 'X-Grantex-Signature': zeros, 'X-Grantex-Signature-V2': zeros }, secret: SECRET };
    // Each marked line compiles only because of its directive; should a verifier resolve to a
    // boolean again, tsc fails on the unused directive.
    const legacyAwaited = async () => {
      // @ts-expect-error TS1345: an expression of type 'void' cannot be tested for truthiness
      if (!(await verifyLegacyWebhookSignature(forged))) return 'refused';
      return 'accepted';
    };
    const v2Awaited = async () => {
      // @ts-expect-error TS1345: an expression of type 'void' cannot be tested for truthiness
      if (!(await verifyWebhook(forged))) return 'refused';
      return 'accepted';
    };
    await expectWebhookError(legacyAwaited(), 'WEBHOOK_SIGNATURE_INVALID');
    await expectWebhookError(v2Awaited(), 'WEBHOOK_SIGNATURE_INVALID');
    const pending = verifyLegacyWebhookSignature(forged);
    // @ts-expect-error TS2801: this condition will always return true since this 'Promise<void>' is always defined
    expect(pending ? 'always' : 'never').toBe('always');
    // `if (!pending)` is the one form no type can refuse (tsc allows `!` on any Promise; the lint
    // rule @typescript-eslint/no-misused-promises reports it). What protects ported code there is
    // the rename above; and the forgery still surfaces as a rejection, never as a value.
    await expectWebhookError(pending, 'WEBHOOK_SIGNATURE_INVALID');
  });
});

describe('the raw body: string or bytes, from any realm', () => {
  const BOM = '\uFEFF';
  const bomBody = `${BOM}${body}`;
  const bomBytes = new TextEncoder().encode(bomBody);

  it('encodes a string as UTF-8 with its leading byte-order mark, like the bytes it came from', async () => {
    expect(Array.from(bomBytes.subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    const fromString = await signWebhookPayload({ payload: bomBody, secret: SECRET, timestamp: 1_900_000_000 });
    const fromBytes = await signWebhookPayload({ payload: bomBytes, secret: SECRET, timestamp: 1_900_000_000 });
    expect(fromString).toEqual(fromBytes);
  });

  it('verifies and parses a body that starts with a byte-order mark alike as string and as bytes', async () => {
    const headers = await signWebhookPayload({ payload: bomBytes, secret: SECRET });
    const expected = JSON.parse(body) as unknown;
    for (const payload of [bomBody, bomBytes, bomBytes.buffer] as WebhookPayload[]) {
      await expect(verifyWebhook({ payload, headers, secret: SECRET })).resolves.toBeUndefined();
      await expect(constructWebhookEvent({ payload, headers, secret: SECRET })).resolves.toEqual(expected);
      await expect(verifyLegacyWebhookSignature({ payload, headers, secret: SECRET })).resolves.toBeUndefined();
    }
  });

  it('hashes a string as given: one without the byte-order mark the sender signed does not verify', async () => {
    // `request.text()` and a default TextDecoder drop a leading BOM; such a string is not the body
    // that was signed. The documented remedy is to pass the bytes.
    const headers = await signWebhookPayload({ payload: bomBytes, secret: SECRET });
    const decoded = await new Response(bomBytes).text();
    expect(decoded).toBe(body);
    await expectWebhookError(verifyWebhook({ payload: decoded, headers, secret: SECRET }), 'WEBHOOK_SIGNATURE_INVALID');
    // And the other way round: a BOM the sender did not sign is a different body.
    const plain = await signWebhookPayload({ payload: body, secret: SECRET });
    await expectWebhookError(verifyWebhook({ payload: bomBody, headers: plain, secret: SECRET }), 'WEBHOOK_SIGNATURE_INVALID');
  });

  it('accepts bytes made in another realm (a vm context, as under Jest)', async () => {
    const { headers } = await delivery();
    const codes = JSON.stringify(Array.from(new TextEncoder().encode(body)));
    const other = vm.createContext({});
    const u8 = vm.runInContext(`new Uint8Array(${codes})`, other) as Uint8Array;
    expect(u8 instanceof Uint8Array).toBe(false);
    const payloads = {
      Uint8Array: u8,
      ArrayBuffer: vm.runInContext(`new Uint8Array(${codes}).buffer`, other) as ArrayBuffer,
      DataView: vm.runInContext(`new DataView(new Uint8Array(${codes}).buffer)`, other) as DataView,
      'offset view': vm.runInContext(`const b = new Uint8Array(${codes}.length + 7); b.set(${codes}, 3); b.subarray(3, 3 + ${codes}.length)`, other) as Uint8Array,
      'a fresh context': vm.runInNewContext(`new Uint8Array(${codes})`) as Uint8Array,
    };
    for (const [kind, payload] of Object.entries(payloads)) {
      await expect(verifyWebhook({ payload, headers, secret: SECRET }), kind).resolves.toBeUndefined();
      await expect(verifyLegacyWebhookSignature({ payload, headers, secret: SECRET }), kind).resolves.toBeUndefined();
      await expect(constructWebhookEvent({ payload, headers, secret: SECRET }), kind).resolves.toEqual(JSON.parse(body));
    }
  });

  it('accepts any view (the bytes it spans), a Node Buffer and a SharedArrayBuffer', async () => {
    // An even byte length, so that a 16-bit view can span exactly the body.
    const text = body.length % 2 ? `${body} ` : body;
    const bytes = new TextEncoder().encode(text);
    const { headers } = await delivery(text);
    const padded = new ArrayBuffer(bytes.length + 6);
    new Uint8Array(padded).set(bytes, 2);
    const shared = new SharedArrayBuffer(bytes.length);
    new Uint8Array(shared).set(bytes);
    const payloads: [string, WebhookPayload][] = [
      ['Buffer', Buffer.from(text)],
      ['Int8Array', new Int8Array(bytes.buffer)],
      ['DataView with an offset', new DataView(padded, 2, bytes.length)],
      ['Uint16Array with an offset', new Uint16Array(padded, 2, bytes.length / 2)],
      ['SharedArrayBuffer', shared],
      ['view of a SharedArrayBuffer', new Uint8Array(shared)],
    ];
    for (const [kind, payload] of payloads) {
      await expect(verifyWebhook({ payload, headers, secret: SECRET }), kind).resolves.toBeUndefined();
    }
    // Only the bytes the view spans count: one byte more or less no longer verifies.
    await expectWebhookError(verifyWebhook({ payload: new DataView(padded, 2, bytes.length + 1), headers, secret: SECRET }), 'WEBHOOK_SIGNATURE_INVALID');
    await expectWebhookError(verifyWebhook({ payload: new DataView(padded, 3, bytes.length - 1), headers, secret: SECRET }), 'WEBHOOK_SIGNATURE_INVALID');
  });

  it('refuses what is not a raw body, including a detached buffer, with a typed error', async () => {
    const { headers } = await delivery();
    const detached = new TextEncoder().encode(body).buffer;
    structuredClone(detached, { transfer: [detached] });
    const detachedView = new Uint8Array(new ArrayBuffer(8), 2, 4);
    structuredClone(detachedView.buffer, { transfer: [detachedView.buffer] });
    const notBodies: [string, unknown][] = [
      ['a parsed body', JSON.parse(body)],
      ['an array of byte values', Array.from(new TextEncoder().encode(body))],
      ['a number', 42],
      ['null', null],
      ['a Blob', new Blob([body])],
      ['a detached ArrayBuffer', detached],
      ['a view of a detached buffer', detachedView],
    ];
    for (const [kind, payload] of notBodies) {
      await expect(constructWebhookEvent({ payload: payload as never, headers, secret: SECRET }).catch((e: unknown) => (e as GrantexError).code), kind).resolves.toBe('WEBHOOK_PAYLOAD_INVALID');
      await expect(verifyWebhook({ payload: payload as never, headers, secret: SECRET }).catch((e: unknown) => (e as GrantexError).code), kind).resolves.toBe('WEBHOOK_PAYLOAD_INVALID');
    }
    await expectWebhookError(verifyLegacyWebhookSignature({ payload: detached, headers, secret: SECRET }), 'WEBHOOK_PAYLOAD_INVALID');
  });

  it('parses exactly the bytes that verified, even if the caller changes its buffer meanwhile', async () => {
    const { headers } = await delivery();
    const bytes = new TextEncoder().encode(body);
    const pending = constructWebhookEvent({ payload: bytes, headers, secret: SECRET });
    // Same length, so that a second read of the buffer would still parse: it must not happen.
    bytes.set(new TextEncoder().encode('grnt_01EVIL'), body.indexOf('grnt_01TEST'));
    const event = await pending;
    expect((event.data as { grantId: string }).grantId).toBe('grnt_01TEST');
  });

  it('refuses an authentic body that is not UTF-8', async () => {
    // A stray byte inside a string value: a lenient decoder would turn it into U+FFFD and parse.
    const bytes = new TextEncoder().encode(body);
    bytes[body.indexOf('grnt_01TEST')] = 0xff;
    const headers = await signWebhookPayload({ payload: bytes, secret: SECRET });
    await expect(verifyWebhook({ payload: bytes, headers, secret: SECRET })).resolves.toBeUndefined();
    await expectWebhookError(constructWebhookEvent({ payload: bytes, headers, secret: SECRET }), 'WEBHOOK_PAYLOAD_INVALID');
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
      await expect(verifyLegacyWebhookSignature({ payload: body, headers, secret })).resolves.toBeUndefined();
      await expectWebhookError(verifyLegacyWebhookSignature({ payload: body, headers, secret: `secret-${i + 1}` }), 'WEBHOOK_SIGNATURE_INVALID', [secret, `secret-${i + 1}`]);
    }
  });
});
