import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';

import {
  ConflictError,
  Grantex,
  GrantexCredentialKindError,
  GrantexInvalidAmountError,
  GrantexInvalidArgumentError,
  InternalServerError,
  PermissionDeniedError,
  UnprocessableEntityError,
  type GrantexOptions,
} from '../../src/index.js';

const OPERATOR_KEY = 'gx_test_commerce_0123456789abcdefghijklmnop';
const MERCHANT_KEY = 'grtx_sk_sandbox_unit_0123456789abcdef0123';
const AGENT_KEY = 'grtx_agent_unit_0123456789abcdef0123456789abcdef';
const BASE = 'https://api.commerce.test';

interface Sent {
  method: string;
  url: string;
  headers: Headers;
  body: unknown;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string>; text?: string };

/** A client whose fetch answers from a script (the last answer repeats) and records every request. */
function scripted(answers: Answer[], options: GrantexOptions = {}) {
  const sent: Sent[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const text = await request.text();
    sent.push({ method: request.method, url: request.url, headers: request.headers, body: text ? JSON.parse(text) : undefined });
    const answer = answers[Math.min(sent.length - 1, answers.length - 1)]!;
    const payload = answer.text ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
    return new Response(payload === '' ? null : payload, { status: answer.status, headers: { 'content-type': 'application/json', ...answer.headers } });
  };
  const client = new Grantex({ apiKey: OPERATOR_KEY, baseUrl: BASE, fetch, maxRetries: 2, ...options });
  return { client, sent };
}

const envelope = (code: string, extra: Record<string, unknown> = {}) => ({ error: { code, message: `${code} happened`, ...extra } });
// Retry-After: 0 keeps the waits between attempts at zero.
const unavailable = (retryable: boolean | undefined): Answer => ({
  status: 503,
  headers: { 'retry-after': '0' },
  body: envelope('provider_unavailable', retryable === undefined ? {} : { retryable }),
});

const cart = {
  id: 'ccart_1',
  cart_id: 'ccart_1',
  tenant_id: 'cten_1',
  merchant_id: 'mch_1',
  agent_id: 'cag_1',
  passport_jti: null,
  line_items: [{ variant_id: 'cvar_1', quantity: 2 }],
  line_items_snapshot: [{ variant_id: 'cvar_1', quantity: 2, unit_amount: 100, line_total_amount: 200, currency: 'INR' }],
  currency: 'INR',
  subtotal_amount: '200',
  tax_amount: '0',
  total_amount: '200',
  status: 'draft',
  expires_at: '2026-12-08T00:00:00.000Z',
};
const cartParams = { merchant_id: 'mch_1', currency: 'INR', line_items: [{ variant_id: 'cvar_1', quantity: 2 }] };
const merchant = {
  id: 'mch_1',
  tenant_id: 'cten_1',
  legal_name: 'Acme',
  display_name: 'Acme',
  category_preset: 'electronics_appliances',
  verification_status: 'unverified',
  environment: 'sandbox',
  agentic_commerce_enabled: false,
  default_currency: 'INR',
  country_code: 'IN',
  created_at: '2026-12-07T00:00:00.000Z',
  updated_at: '2026-12-07T00:00:00.000Z',
};
const merchantParams = { legal_name: 'Acme', display_name: 'Acme', category_preset: 'electronics_appliances' as const };

async function failure(promise: PromiseLike<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('the commerce error envelope', () => {
  it('a policy denial is a PermissionDeniedError with the code, decision, audit event, retryable and details', async () => {
    const { client } = scripted([
      {
        status: 403,
        body: envelope('checkout_passport_required', { decision_id: 'cpdec_1', audit_event_id: 'caud_1', retryable: false, details: { decision: 'deny', policy_id: 'cpol_1' } }),
      },
    ]);
    const error = await failure(client.commerce.asAgent(AGENT_KEY).createCart(cartParams));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    const denied = error as PermissionDeniedError;
    expect(denied.code).toBe('checkout_passport_required');
    expect(denied.serverMessage).toBe('checkout_passport_required happened');
    expect(denied.decisionId).toBe('cpdec_1');
    expect(denied.auditEventId).toBe('caud_1');
    expect(denied.retryable).toBe(false);
    expect(denied.details).toEqual({ decision: 'deny', policy_id: 'cpol_1' });
    expect(denied.remediation).toBeUndefined();
    expect(denied.toJSON()).toMatchObject({ code: 'checkout_passport_required', decisionId: 'cpdec_1', auditEventId: 'caud_1', retryable: false });
  });

  it('each status keeps its class: 409 ConflictError, 422 UnprocessableEntityError with the field map, 503 InternalServerError', async () => {
    const conflict = await failure(scripted([{ status: 409, body: envelope('idempotency_conflict', { audit_event_id: 'caud_2' }) }]).client.commerce.asAgent(AGENT_KEY).createCart(cartParams));
    expect(conflict).toBeInstanceOf(ConflictError);
    expect((conflict as ConflictError).code).toBe('idempotency_conflict');
    expect((conflict as ConflictError).retryable).toBeUndefined();

    const invalid = await failure(scripted([{ status: 422, body: envelope('validation_failed', { retryable: false, details: { fields: { legal_name: 'required string' } } }) }]).client.commerce.createMerchant(merchantParams));
    expect(invalid).toBeInstanceOf(UnprocessableEntityError);
    expect((invalid as UnprocessableEntityError).details).toEqual({ fields: { legal_name: 'required string' } });

    const disabled = await failure(scripted([{ status: 503, body: envelope('commerce_disabled', { retryable: false, remediation: 'Enable commerce' }) }]).client.commerce.getMerchant('mch_1'));
    expect(disabled).toBeInstanceOf(InternalServerError);
    expect((disabled as InternalServerError).code).toBe('commerce_disabled');
    expect((disabled as InternalServerError).remediation).toBe('Enable commerce');
  });

  it('errors of the rest of the API carry no commerce fields', async () => {
    const error = await failure(scripted([{ status: 404, body: { message: 'Agent not found', code: 'NOT_FOUND', requestId: 'r1' } }]).client.agents.get('ag_1'));
    expect(error).toMatchObject({ code: 'NOT_FOUND', requestId: 'r1', decisionId: undefined, retryable: undefined, details: undefined });
    expect(Object.keys((error as InternalServerError).toJSON())).not.toContain('retryable');
  });

  it('a credential the server echoes is scrubbed from the message, body, details, remediation, JSON and inspect', async () => {
    const { client } = scripted([
      {
        status: 401,
        headers: { 'www-authenticate': `Bearer ${AGENT_KEY}` },
        body: envelope('invalid_agent_credential', { message: `unknown ${AGENT_KEY}`, remediation: `rotate ${AGENT_KEY}`, details: { token: AGENT_KEY, nested: [{ key: AGENT_KEY }] } }),
      },
    ]);
    const error = (await failure(client.commerce.asAgent(AGENT_KEY).createCart(cartParams))) as PermissionDeniedError;
    expect(error.code).toBe('invalid_agent_credential');
    const surfaces = [error.message, error.serverMessage, error.remediation, JSON.stringify(error.body), JSON.stringify(error.details), JSON.stringify(error), inspect(error, { depth: 8 }), error.headers.get('www-authenticate'), String(error.stack)];
    for (const surface of surfaces) expect(surface).not.toContain(AGENT_KEY);
  });
});

describe('retries of commerce errors', () => {
  it('a safe call: retryable false is not retried, retryable true is, and without a verdict the status decides', async () => {
    const no = scripted([unavailable(false)]);
    await failure(no.client.commerce.getMerchant('mch_1'));
    expect(no.sent).toHaveLength(1);

    const yes = scripted([unavailable(true), { status: 200, body: { data: merchant } }]);
    await expect(yes.client.commerce.getMerchant('mch_1')).resolves.toMatchObject({ data: { id: 'mch_1' } });
    expect(yes.sent).toHaveLength(2);

    const silent = scripted([unavailable(undefined), { status: 200, body: { data: merchant } }]);
    await silent.client.commerce.getMerchant('mch_1');
    expect(silent.sent).toHaveLength(2);
  });

  it('an unsafe call without an idempotency key is never retried, even when the body says retryable', async () => {
    const { client, sent } = scripted([unavailable(true), { status: 201, body: { data: merchant, audit_event_id: 'caud_1' } }]);
    await failure(client.commerce.createMerchant(merchantParams));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers.get('idempotency-key')).toBeNull();
  });

  it('an idempotent call: retryable true is retried with the same key, retryable false is not', async () => {
    const yes = scripted([unavailable(true), unavailable(true), { status: 201, body: { data: cart, audit_event_id: 'caud_1' } }]);
    await yes.client.commerce.asAgent(AGENT_KEY).createCart(cartParams);
    expect(yes.sent).toHaveLength(3);
    const keys = yes.sent.map((request) => request.headers.get('idempotency-key'));
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);

    const no = scripted([unavailable(false)]);
    await failure(no.client.commerce.asAgent(AGENT_KEY).createCart(cartParams));
    expect(no.sent).toHaveLength(1);
  });

  it('a 409 is retried only when marked retryable, and a 403 marked retryable is not retried', async () => {
    const changed = scripted([{ status: 409, body: envelope('payment_status_changed', { retryable: true }) }, { status: 201, body: { data: cart } }]);
    await changed.client.commerce.asAgent(AGENT_KEY).createCart(cartParams);
    expect(changed.sent).toHaveLength(2);

    const plain = scripted([{ status: 409, body: envelope('cart_not_payable', { retryable: false }) }]);
    await failure(plain.client.commerce.asAgent(AGENT_KEY).createCart(cartParams));
    expect(plain.sent).toHaveLength(1);

    const wrongCode = scripted([{ status: 403, body: envelope('challenge_invalid', { retryable: true }) }]);
    await failure(wrongCode.client.commerce.asAgent(AGENT_KEY).createCart(cartParams));
    expect(wrongCode.sent).toHaveLength(1);
  });

  it('a 429 marked not retryable is not retried, whatever Retry-After says', async () => {
    const { client, sent } = scripted([{ status: 429, headers: { 'retry-after': '0' }, body: envelope('bad_request', { retryable: false }) }]);
    await failure(client.commerce.getMerchant('mch_1'));
    expect(sent).toHaveLength(1);
  });
});

describe('idempotency keys', () => {
  it('each call of an operation that requires one gets its own generated key', async () => {
    const { client, sent } = scripted([{ status: 201, body: { data: cart } }]);
    const agent = client.commerce.asAgent(AGENT_KEY);
    await agent.createCart(cartParams);
    await agent.createCart(cartParams);
    const [first, second] = sent.map((request) => request.headers.get('idempotency-key'));
    expect(first).toBeTruthy();
    expect(second).toBeTruthy();
    expect(first).not.toBe(second);
  });

  it("the caller's key is sent as given, up to 256 characters; one more is refused before sending", async () => {
    const { client, sent } = scripted([{ status: 201, body: { data: cart } }]);
    const agent = client.commerce.asAgent(AGENT_KEY);
    await agent.createCart(cartParams, { idempotencyKey: 'order-1001' });
    await agent.createCart(cartParams, { idempotencyKey: 'k'.repeat(256) });
    expect(sent.map((request) => request.headers.get('idempotency-key'))).toEqual(['order-1001', 'k'.repeat(256)]);
    const error = await failure(agent.createCart(cartParams, { idempotencyKey: 'k'.repeat(257) }));
    expect(error).toBeInstanceOf(GrantexInvalidArgumentError);
    expect(error.message).toMatch(/at most 256 characters/);
    expect(sent).toHaveLength(2);
  });

  it('a replayed answer labelled text/plain is still parsed and validated', async () => {
    const { client } = scripted([{ status: 201, headers: { 'content-type': 'text/plain; charset=utf-8' }, text: JSON.stringify({ data: cart, audit_event_id: 'caud_1' }) }]);
    const replay = await client.commerce.asAgent(AGENT_KEY).createCart(cartParams, { idempotencyKey: 'order-1001' });
    expect(replay.data.total_amount).toBe('200');
  });
});

describe('amounts in minor units', () => {
  const intent = { merchant_id: 'mch_1', cart_id: 'ccart_1', passport_jwt: 'a.b.c', currency: 'INR' };

  it('0 and Number.MAX_SAFE_INTEGER are sent; one past the largest safe integer is refused', async () => {
    const { client, sent } = scripted([{ status: 500, body: envelope('internal_error', { retryable: false }) }]);
    const agent = client.commerce.asAgent(AGENT_KEY);
    await failure(agent.createPaymentIntent({ ...intent, amount_minor_units: 0 }));
    await failure(agent.createPaymentIntent({ ...intent, amount_minor_units: Number.MAX_SAFE_INTEGER }));
    expect(sent.map((request) => (request.body as { amount_minor_units: number }).amount_minor_units)).toEqual([0, Number.MAX_SAFE_INTEGER]);
    const error = await failure(agent.createPaymentIntent({ ...intent, amount_minor_units: Number.MAX_SAFE_INTEGER + 1 }));
    expect(error).toBeInstanceOf(GrantexInvalidAmountError);
    expect(sent).toHaveLength(2);
  });

  it.each([
    ['a fraction', 1499.5],
    ['a negative amount', -1],
    ['a digit string', '149900'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('%s is a typed error naming the field, and nothing is sent', async (_label, amount) => {
    const { client, sent } = scripted([{ status: 201, body: { data: cart } }]);
    const error = await failure(client.commerce.asAgent(AGENT_KEY).createPaymentIntent({ ...intent, amount_minor_units: amount as number }));
    expect(error).toBeInstanceOf(GrantexInvalidAmountError);
    expect((error as GrantexInvalidAmountError).code).toBe('INVALID_AMOUNT');
    expect((error as GrantexInvalidAmountError).field).toBe('amount_minor_units');
    expect(sent).toHaveLength(0);
  });

  it('amounts inside arrays are checked item by item and named by index', async () => {
    const { client, sent } = scripted([{ status: 201, body: {} }]);
    const error = await failure(
      client.commerce.createCatalogProduct({
        merchant_id: 'mch_1',
        product_id: 'P1',
        title: 'Kettle',
        category_preset: 'electronics_appliances',
        variants: [{ sku: 'A', price_amount: 100 }, { sku: 'B', price_amount: 12.5 }],
      }),
    );
    expect((error as GrantexInvalidAmountError).field).toBe('variants[1].price_amount');
    expect(sent).toHaveLength(0);
  });
});

describe('kinds of commerce credential', () => {
  it('a view sends its own credential, never the API key', async () => {
    const { client, sent } = scripted([{ status: 200, body: { data: merchant } }]);
    await client.commerce.asMerchant(MERCHANT_KEY).getMerchant('mch_1');
    await client.commerce.getMerchant('mch_1');
    expect(sent.map((request) => request.headers.get('authorization'))).toEqual([`Bearer ${MERCHANT_KEY}`, `Bearer ${OPERATOR_KEY}`]);
  });

  it('a view only offers what its caller may call', () => {
    const { client } = scripted([]);
    const agent = client.commerce.asAgent(AGENT_KEY) as unknown as Record<string, unknown>;
    const merchantView = client.commerce.asMerchant(MERCHANT_KEY) as unknown as Record<string, unknown>;
    const operator = client.commerce as unknown as Record<string, unknown>;
    expect(typeof agent['createCart']).toBe('function');
    expect(agent['createMerchant']).toBeUndefined();
    expect(merchantView['createCart']).toBeUndefined();
    expect(typeof merchantView['updateMerchant']).toBe('function');
    expect(operator['createCart']).toBeUndefined();
    expect(typeof operator['createMerchant']).toBe('function');
  });

  it('a client made with a merchant key is refused an operator-only route before sending, without showing the key', async () => {
    const { client, sent } = scripted([{ status: 201, body: {} }], { apiKey: MERCHANT_KEY });
    const error = await failure(client.commerce.createMerchant(merchantParams));
    expect(error).toBeInstanceOf(GrantexCredentialKindError);
    expect(error).toMatchObject({ code: 'WRONG_CREDENTIAL_KIND', kind: 'merchant', allowed: ['operator'] });
    expect(error.message).toMatch(/commerce\.createMerchant accepts an operator API key, but this call was made with a merchant key/);
    for (const surface of [error.message, JSON.stringify(error), inspect(error)]) expect(surface).not.toContain(MERCHANT_KEY);
    expect(sent).toHaveLength(0);
  });

  it('a client made with an agent key may call what agents may, and is refused the rest', async () => {
    const { client, sent } = scripted([{ status: 200, body: { items: [], next_cursor: null } }], { apiKey: AGENT_KEY });
    await client.commerce.listPassports();
    expect(sent[0]!.headers.get('authorization')).toBe(`Bearer ${AGENT_KEY}`);
    const error = await failure(client.commerce.updateAgent('cag_1', { trust_status: 'trusted' }));
    expect(error).toMatchObject({ code: 'WRONG_CREDENTIAL_KIND', kind: 'agent' });
    expect(sent).toHaveLength(1);
  });

  it('asAgent refuses a merchant key and asMerchant an operator key, naming only the kinds', () => {
    const { client } = scripted([]);
    const agentError = (() => {
      try {
        client.commerce.asAgent(MERCHANT_KEY);
      } catch (error) {
        return error as GrantexCredentialKindError;
      }
      throw new Error('expected a failure');
    })();
    expect(agentError).toBeInstanceOf(GrantexCredentialKindError);
    expect(agentError.message).toBe('asAgent needs an agent credential (grtx_agent_… or a signed agent assertion), but was given a merchant key');
    expect(() => client.commerce.asMerchant(OPERATOR_KEY)).toThrow(/asMerchant needs a merchant key .* but was given an operator API key/);
    expect(() => client.commerce.asMerchant('')).toThrow(GrantexCredentialKindError);
    expect(() => client.commerce.asAgent(`${AGENT_KEY}\r\nX-Injected: 1`)).toThrow(GrantexCredentialKindError);
  });

  it('a signed agent assertion (a JWT) is accepted as an agent credential', async () => {
    const { client, sent } = scripted([{ status: 200, body: { items: [], next_cursor: null } }]);
    await client.commerce.asAgent('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJjYWdfMSJ9.c2ln').listPassports();
    expect(sent[0]!.headers.get('authorization')).toBe('Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJjYWdfMSJ9.c2ln');
  });

  it('public operations send no credential at all', async () => {
    const { client, sent } = scripted([{ status: 200, body: { consent_request_id: 'r', merchant_id: 'm', agent_id: 'a', passport_type: 'browse', requested_scopes: [], max_amount: null, currency: null, expires_at: '2026-12-07T00:00:00.000Z', status: 'requested' } }]);
    await client.commerce.asAgent(AGENT_KEY).getConsent('r');
    expect(sent[0]!.headers.get('authorization')).toBeNull();
  });
});
