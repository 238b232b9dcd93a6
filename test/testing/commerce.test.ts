import { describe, expect, it } from 'vitest';

import {
  AuthenticationError,
  ConflictError,
  Grantex,
  InternalServerError,
  PermissionDeniedError,
  UnprocessableEntityError,
  type CommerceAgentView,
} from '../../src/index.js';
import { createTestServer, type TestServer } from '../../src/testing/index.js';

const RULES = {
  amount_cap: { max_amount_minor_units: 500000, currency: 'INR' },
  scope_allowlist: ['commerce:catalog.read', 'commerce:inventory.read', 'commerce:checkout.create', 'commerce:payment.initiate', 'commerce:payment.status.read'] as ('commerce:catalog.read' | 'commerce:inventory.read' | 'commerce:checkout.create' | 'commerce:payment.initiate' | 'commerce:payment.status.read')[],
  emergency_disable: false,
  checkout_passport_max_ttl_seconds: 600,
  browse_passport_max_ttl_seconds: 3600,
  stale_price_max_age_seconds: 86400,
  allow_unknown_inventory_checkout: false,
};

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function failure(promise: PromiseLike<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

/** A server with commerce on, an onboarded merchant with one 1,499.00 INR variant, an active policy and a trusted agent. */
async function onboarded(options: { enable?: boolean } = {}) {
  const server = createTestServer({ commerce: true });
  const sent: Request[] = [];
  const fetch = (input: Request | string | URL, init?: RequestInit) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    sent.push(request.clone());
    return server.fetch(request);
  };
  const client = new Grantex({ apiKey: server.apiKey, baseUrl: server.url, fetch, maxRetries: 2 });
  const { data: merchant } = await client.commerce.createMerchant({ legal_name: 'Acme Appliances Pvt Ltd', display_name: 'Acme', category_preset: 'electronics_appliances', support_email: 'help@acme.example' });
  const { data: product } = await client.commerce.createCatalogProduct({
    merchant_id: merchant.id,
    product_id: 'KETTLE',
    title: 'Kettle',
    category_preset: 'electronics_appliances',
    variants: [{ sku: 'K-1', price_amount: 149900, currency: 'INR', availability_status: 'in_stock' }],
  });
  const { data: policy } = await client.commerce.createPolicy({ merchant_id: merchant.id, rules: RULES });
  await client.commerce.activatePolicy(policy.id);
  if (options.enable !== false) await client.commerce.updateMerchant(merchant.id, { agentic_commerce_enabled: true });
  const agentKey = 'grtx_agent_journey_0123456789abcdef0123456789abcdef';
  const { data: registered } = await client.commerce.createAgent({ display_name: 'Shopper', api_key_hash: await sha256(agentKey) });
  await client.commerce.updateAgent(registered.id, { trust_status: 'trusted' });
  const agent = client.commerce.asAgent(agentKey);
  return { server, client, agent, agentKey, merchant, variantId: product.variants[0]!.id, sent };
}

async function passport(server: TestServer, agent: CommerceAgentView, merchantId: string, type: 'browse' | 'checkout', maxAmount = 400000) {
  const { data: consent } = await agent.createConsentRequest(
    type === 'checkout' ? { merchant_id: merchantId, passport_type: 'checkout', max_amount: maxAmount, currency: 'INR' } : { merchant_id: merchantId, passport_type: 'browse' },
  );
  server.commerce.approveConsent(consent.consent_request_id, 'user_alice');
  return (await agent.exchangeConsentForPassport({ consent_request_id: consent.consent_request_id })).data;
}

describe('commerce on the local test server', () => {
  it('is off by default: every commerce route answers 503 commerce_disabled, not retried, before any credential is read', async () => {
    const server = createTestServer();
    let requests = 0;
    const client = new Grantex({ apiKey: 'gx_test_not_a_key_of_this_server_00', baseUrl: server.url, maxRetries: 3, fetch: (input, init) => (requests++, server.fetch(input as Request, init)) });
    const error = await failure(client.commerce.getMerchant('mch_1'));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503, code: 'commerce_disabled', retryable: false });
    expect(requests).toBe(1);
    const mcp = await server.fetch(`${server.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }) });
    expect(mcp.status).toBe(503);
    expect(await mcp.json()).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32000, data: { error: { code: 'commerce_disabled' } } } });
  });

  it('runs the journey: cart, checkout passport, payment intent with the mock provider, checkout link, reconcile, audit', async () => {
    const { server, client, agent, merchant, variantId } = await onboarded();
    const { data: cart } = await agent.createCart({ merchant_id: merchant.id, currency: 'INR', line_items: [{ variant_id: variantId, quantity: 2 }] });
    expect(cart).toMatchObject({ status: 'draft', total_amount: '299800', tax_amount: '0' });
    const checkout = await passport(server, agent, merchant.id, 'checkout');
    const { data: intent } = await agent.createPaymentIntent({ merchant_id: merchant.id, cart_id: cart.id, passport_jwt: checkout.passport_jwt, amount_minor_units: 299800, currency: 'INR' });
    expect(intent).toMatchObject({ status: 'authorized', amount_minor_units: '299800', provider: 'mock', passport_jti: checkout.jti });
    expect((await agent.getCart(cart.id)).data).toMatchObject({ status: 'payment_intent_created', passport_jti: checkout.jti });
    const { data: linked } = await agent.createCheckoutLink(intent.id, { passport_jwt: checkout.passport_jwt, success_url: 'https://shop.example/ok', cancel_url: 'https://shop.example/cart' });
    expect(linked.status).toBe('payment_pending');
    expect(linked.checkout_url).toBe(`https://mock-payments.grantex.local/checkout/${intent.id}`);
    expect((await agent.reconcilePaymentIntent(intent.id)).reconciliation).toMatchObject({ status: 'no_change', reason: 'provider_still_pending' });
    server.commerce.settlePayment(intent.id);
    expect((await client.commerce.getPaymentIntent(intent.id)).data.status).toBe('paid');
    expect((await agent.reconcilePaymentIntent(intent.id)).reconciliation).toMatchObject({ status: 'ignored', reason: 'terminal_status' });
    const audit = await client.commerce.listAuditEvents({ event_type: 'payment_intent.paid' });
    expect(audit.items.map((event) => event.resource_id)).toEqual([intent.id]);
  });

  it('replays an idempotent cart for the same key and body (as text/plain), and refuses another body with 409', async () => {
    const { agent, merchant, variantId, sent } = await onboarded();
    const params = { merchant_id: merchant.id, currency: 'INR', line_items: [{ variant_id: variantId, quantity: 1 }] };
    const first = await agent.createCart(params, { idempotencyKey: 'order-42' });
    const replay = await agent.createCart(params, { idempotencyKey: 'order-42' }).withResponse();
    expect(replay.data.data.id).toBe(first.data.id);
    expect(replay.headers.get('content-type')).toMatch(/^text\/plain/);
    const conflict = await failure(agent.createCart({ ...params, line_items: [{ variant_id: variantId, quantity: 3 }] }, { idempotencyKey: 'order-42' }));
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict).toMatchObject({ code: 'idempotency_conflict', auditEventId: expect.stringMatching(/^caud_/) });
    expect(sent.filter((request) => request.url.endsWith('/v1/commerce/carts'))).toHaveLength(3);
  });

  it('checks the Idempotency-Key as the server does: missing is 400, 256 characters pass, 257 are 422', async () => {
    const { server, agentKey, merchant, variantId } = await onboarded();
    const post = (key?: string) =>
      server.fetch(`${server.url}/v1/commerce/carts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agentKey}`, 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
        body: JSON.stringify({ merchant_id: merchant.id, currency: 'INR', line_items: [{ variant_id: variantId, quantity: 1 }] }),
      });
    const missing = await post();
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: { code: 'idempotency_key_required', message: 'Idempotency-Key header is required', retryable: false } });
    expect((await post('k'.repeat(256))).status).toBe(201);
    const long = await post('k'.repeat(257));
    expect(long.status).toBe(422);
    expect(await long.json()).toMatchObject({ error: { code: 'validation_failed', details: { fields: { 'Idempotency-Key': 'must be at most 256 characters' } } } });
  });

  it('denies payment with a browse passport: 403 with the decision id and the policy in details', async () => {
    const { server, agent, merchant, variantId } = await onboarded();
    const { data: cart } = await agent.createCart({ merchant_id: merchant.id, currency: 'INR', line_items: [{ variant_id: variantId, quantity: 1 }] });
    const browse = await passport(server, agent, merchant.id, 'browse');
    const error = await failure(agent.createPaymentIntent({ merchant_id: merchant.id, cart_id: cart.id, passport_jwt: browse.passport_jwt, amount_minor_units: 149900, currency: 'INR' }));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ code: 'checkout_passport_required', decisionId: expect.stringMatching(/^cpdec_/), auditEventId: expect.stringMatching(/^caud_/), details: { decision: 'deny', policy_version: 'v1' } });
  });

  it('asks for consent when the cart is over the passport cap, and refuses an amount that is not the cart total', async () => {
    const { server, agent, merchant, variantId } = await onboarded();
    const { data: cart } = await agent.createCart({ merchant_id: merchant.id, currency: 'INR', line_items: [{ variant_id: variantId, quantity: 3 }] });
    const small = await passport(server, agent, merchant.id, 'checkout', 449699);
    const over = await failure(agent.createPaymentIntent({ merchant_id: merchant.id, cart_id: cart.id, passport_jwt: small.passport_jwt, amount_minor_units: 449700, currency: 'INR' }));
    expect(over).toMatchObject({ status: 403, code: 'passport_amount_exceeded', details: { decision: 'requires_user_consent' } });
    const exact = await passport(server, agent, merchant.id, 'checkout', 449700);
    const mismatch = await failure(agent.createPaymentIntent({ merchant_id: merchant.id, cart_id: cart.id, passport_jwt: exact.passport_jwt, amount_minor_units: 449699, currency: 'INR' }));
    expect(mismatch).toMatchObject({ status: 409, code: 'cart_amount_mismatch' });
    const paid = await agent.createPaymentIntent({ merchant_id: merchant.id, cart_id: cart.id, passport_jwt: exact.passport_jwt, amount_minor_units: 449700, currency: 'INR' });
    expect(paid.data.status).toBe('authorized');
  });

  it('refuses carts while agentic commerce is off for the merchant (emergency_disabled)', async () => {
    const { agent, merchant, variantId } = await onboarded({ enable: false });
    const error = await failure(agent.createCart({ merchant_id: merchant.id, currency: 'INR', line_items: [{ variant_id: variantId, quantity: 1 }] }));
    expect(error).toMatchObject({ status: 403, code: 'emergency_disabled' });
  });

  it('validates as the server does: 422 validation_failed with the field map', async () => {
    const { client } = await onboarded();
    const error = await failure(client.commerce.createMerchant({ legal_name: 'Acme', display_name: 'Acme', category_preset: 'electronics_appliances', support_email: 'help@acme.com' }));
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect((error as UnprocessableEntityError).details).toEqual({ fields: { support_email: expect.stringMatching(/\.example/) } });
  });

  it('resolves callers by credential: unknown agent keys are 401, untrusted agents 403, merchant keys stay in their merchant', async () => {
    const { server, client, merchant } = await onboarded();
    const unknown = await failure(client.commerce.asAgent('grtx_agent_unknown_0123456789abcdef').listPassports());
    expect(unknown).toBeInstanceOf(AuthenticationError);
    expect(unknown).toMatchObject({ code: 'invalid_agent_credential', details: { reason: 'unknown_agent' } });

    const pendingKey = 'grtx_agent_pending_0123456789abcdef0123';
    await client.commerce.createAgent({ display_name: 'Pending', api_key_hash: await sha256(pendingKey) });
    expect(await failure(client.commerce.asAgent(pendingKey).listPassports())).toMatchObject({ status: 403, code: 'agent_not_trusted', details: { trust_status: 'pending' } });

    const merchantKey = server.commerce.merchantKey(merchant.id);
    const own = await client.commerce.asMerchant(merchantKey).getMerchant(merchant.id);
    expect(own.data.id).toBe(merchant.id);
    const other = await failure(client.commerce.asMerchant(merchantKey).listCatalogProducts({ merchant_id: 'mch_other' }));
    expect(other).toMatchObject({ status: 403, code: 'merchant_scope_violation' });
  });

  it('a checkout link retried after the intent moved on is 409, and a pending intent past its expiry reconciles to expired', async () => {
    const { server, agent, merchant, variantId } = await onboarded();
    const { data: cart } = await agent.createCart({ merchant_id: merchant.id, currency: 'INR', line_items: [{ variant_id: variantId, quantity: 1 }] });
    const checkout = await passport(server, agent, merchant.id, 'checkout');
    const { data: intent } = await agent.createPaymentIntent({ merchant_id: merchant.id, cart_id: cart.id, passport_jwt: checkout.passport_jwt, amount_minor_units: 149900, currency: 'INR' });
    const link = { passport_jwt: checkout.passport_jwt, success_url: 'https://shop.example/ok', cancel_url: 'https://shop.example/no' };
    await agent.createCheckoutLink(intent.id, link, { idempotencyKey: 'link-1' });
    expect(await failure(agent.createCheckoutLink(intent.id, link, { idempotencyKey: 'link-1' }))).toMatchObject({ status: 409, code: 'invalid_payment_status_transition' });
    server.clock.advance('16m');
    const expired = await agent.reconcilePaymentIntent(intent.id);
    expect(expired.reconciliation).toMatchObject({ status: 'transitioned', from_status: 'payment_pending', to_status: 'expired' });
    expect(expired.data.status).toBe('expired');
  });

  it('answers the commerce operations it keeps no state for with their spec examples, after the credential check', async () => {
    const { client } = await onboarded();
    const health = await client.commerce.getOpsHealth();
    expect(health.status).toBe('degraded');
    const server = createTestServer({ commerce: true });
    const anonymous = new Grantex({ apiKey: 'gx_test_unknown_key_0123456789abcdef', baseUrl: server.url, fetch: server.fetch, maxRetries: 0 });
    expect(await failure(anonymous.commerce.getOpsHealth())).toMatchObject({ status: 401, code: 'invalid_developer_key' });
  });
});
