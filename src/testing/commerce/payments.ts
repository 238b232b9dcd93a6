// Carts, payment intents with the mock provider, checkout links, reconciliation and the audit
// trail: the paying half of the commerce journey, with the server's check order and its policy
// denials (403 with a decision id).
import { ulid } from '../encoding.js';
import type { Ctx } from '../http.js';
import { fail, invalid, notFoundError, requireKind, stateOf, type Caller } from './caller.js';
import { activePolicy, checkPassport } from './passports.js';
import type { CommerceRoute } from './route.js';
import type { CommercePassportRecord, CommercePaymentIntentRecord, CommerceSnapshotItem } from './state.js';
import { answer, audit, bodyOf, FieldCheck, idempotencyKeyOf, idempotent } from './support.js';
import { auditView, cartView, intentView } from './views.js';

const CART_LIFETIME_MS = 24 * 60 * 60 * 1000;
const INTENT_LIFETIME_MS = 15 * 60 * 1000;
const TERMINAL = ['paid', 'failed', 'expired', 'cancelled'];

const createCart: CommerceRoute = {
  method: 'POST',
  path: '/v1/commerce/carts',
  ipLimit: 120,
  async handler(ctx, caller) {
    requireKind(caller, 'agent');
    const key = idempotencyKeyOf(ctx);
    const body = bodyOf(ctx);
    const check = new FieldCheck(body);
    const merchantId = check.string('merchant_id', true);
    const currency = check.currency('currency', true);
    const lines = body['line_items'];
    if (!Array.isArray(lines) || lines.length === 0) check.fields['line_items'] = 'required non-empty array';
    const seen = new Set<string>();
    const requested = (Array.isArray(lines) ? lines : []).map((raw, index) => {
      const line = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const variantId = typeof line['variant_id'] === 'string' ? line['variant_id'] : '';
      if (variantId === '') check.fields[`line_items[${index}].variant_id`] = 'required string';
      else if (seen.has(variantId)) check.fields[`line_items[${index}].variant_id`] = 'duplicate variant_id';
      seen.add(variantId);
      const quantity = typeof line['quantity'] === 'string' && /^\d+$/.test(line['quantity']) ? Number(line['quantity']) : line['quantity'];
      if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity) || quantity < 1) check.fields[`line_items[${index}].quantity`] = 'required positive integer';
      return { variantId, quantity: quantity as number, index };
    });
    if (body['agent_id'] !== undefined && body['agent_id'] !== caller.agentId) throw fail(403, 'agent_scope_violation', 'agent_id must be the calling agent', { retryable: false });
    check.done();
    const state = stateOf(ctx);
    const merchant = state.merchants.get(merchantId!);
    if (!merchant || merchant.tenantId !== caller.tenantId) throw notFoundError('Merchant', 'merchant_not_found');
    return idempotent(ctx, { tenantId: caller.tenantId, merchantId: merchant.id, endpoint: 'POST /v1/commerce/carts', key }, body, async () => {
      if (!merchant.agenticCommerceEnabled) {
        throw fail(403, 'emergency_disabled', 'Agentic commerce is disabled for this merchant', { retryable: false, remediation: 'Enable agentic commerce for the merchant before agents create carts.' });
      }
      if (currency !== merchant.defaultCurrency) throw invalid({ currency: 'must equal the merchant default_currency' });
      const products = [...state.products.values()].filter((p) => p.merchantId === merchant.id && p.archivedAt === null);
      const items: CommerceSnapshotItem[] = requested.map(({ variantId, quantity, index }) => {
        const product = products.find((p) => p.variants.some((v) => v.id === variantId && v.archivedAt === null));
        const variant = product?.variants.find((v) => v.id === variantId);
        if (!product || !variant) throw invalid({ [`line_items[${index}].variant_id`]: 'unknown or archived variant_id' });
        if (variant.currency !== currency) throw invalid({ [`line_items[${index}].variant_id`]: 'variant currency differs from the cart currency' });
        return { variantId, productId: product.id, productRef: product.productId, title: product.title, sku: variant.sku, quantity, unitAmount: variant.priceAmount, currency: variant.currency, availability: variant.availability };
      });
      const total = items.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0);
      const id = `ccart_${ulid(ctx.now)}`;
      const cart = { id, tenantId: caller.tenantId, merchantId: merchant.id, agentId: caller.agentId, passportJti: null, items, currency: currency!, total, status: 'draft' as const, expiresAt: ctx.now + CART_LIFETIME_MS, createdAt: ctx.now, updatedAt: ctx.now };
      state.carts.set(id, cart);
      const auditEventId = audit(state, ctx.now, { tenantId: caller.tenantId, merchantId: merchant.id, agentId: caller.agentId, eventType: 'cart.created', resourceType: 'commerce_cart', resourceId: id });
      return { status: 201, body: { data: cartView(cart), audit_event_id: auditEventId } };
    });
  },
};

const getCart: CommerceRoute = {
  method: 'GET',
  path: '/v1/commerce/carts/{cartId}',
  async handler(ctx, caller) {
    const cart = stateOf(ctx).carts.get(ctx.params['cartId']!);
    const visible = cart && cart.tenantId === caller.tenantId && (caller.kind !== 'merchant' || cart.merchantId === caller.merchantId) && (caller.kind !== 'agent' || cart.agentId === caller.agentId);
    if (!visible) throw notFoundError('Cart', 'cart_not_found');
    return answer(200, { data: cartView(cart) });
  },
};

/**
 * The merchant policy's decision on a payment-affecting action. A refusal is 403 with the reason as
 * its code, the decision id, an audit event and the policy in `details`, as the server answers.
 */
async function decide(ctx: Ctx, input: { tenantId: string; merchantId: string; agentId: string; passportJwt: unknown; scope: string; amount: number; currency: string }) {
  const state = stateOf(ctx);
  const merchant = state.merchants.get(input.merchantId)!;
  const policy = activePolicy(ctx, input.merchantId);
  const decisionId = `cpdec_${ulid(ctx.now)}`;
  const refuse = (reason: string, decision: 'deny' | 'requires_user_consent' = 'deny', passportJti: string | null = null) => {
    const auditEventId = audit(state, ctx.now, { tenantId: input.tenantId, merchantId: input.merchantId, agentId: input.agentId, eventType: 'protected_action.denied', decisionId, passportJti, metadata: { reason, action_scope: input.scope } });
    return fail(403, reason, `Commerce policy denied this action: ${reason}`, {
      decision_id: decisionId,
      audit_event_id: auditEventId,
      retryable: false,
      details: { decision, policy_id: policy.id, policy_version: policy.version },
    });
  };
  const rules = policy.rules as { emergency_disable: boolean; scope_allowlist: string[]; amount_cap: { max_amount_minor_units: number; currency: string } };
  if (!merchant.agenticCommerceEnabled || rules.emergency_disable) throw refuse('emergency_disabled');
  let passport: CommercePassportRecord;
  try {
    passport = await checkPassport(ctx, input.passportJwt, { tenantId: input.tenantId, merchantId: input.merchantId });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('passport_')) throw refuse(code);
    throw error;
  }
  if (passport.revoked) throw refuse('passport_revoked', 'deny', passport.jti);
  if (passport.agentId !== input.agentId) throw refuse('agent_mismatch', 'deny', passport.jti);
  if (passport.passportType !== 'checkout') throw refuse('checkout_passport_required', 'deny', passport.jti);
  if (!rules.scope_allowlist.includes(input.scope)) throw refuse('scope_not_allowed', 'deny', passport.jti);
  if (input.currency !== rules.amount_cap.currency) throw refuse('currency_mismatch', 'deny', passport.jti);
  if (input.amount > rules.amount_cap.max_amount_minor_units) throw refuse('amount_cap_exceeded', 'deny', passport.jti);
  if (!passport.scopes.includes(input.scope)) throw refuse('passport_scope_missing', 'requires_user_consent', passport.jti);
  if (passport.currency !== input.currency) throw refuse('passport_currency_mismatch', 'requires_user_consent', passport.jti);
  if (passport.maxAmount === null || input.amount > passport.maxAmount) throw refuse('passport_amount_exceeded', 'requires_user_consent', passport.jti);
  return { decisionId, policy, passport };
}

const createIntent: CommerceRoute = {
  method: 'POST',
  path: '/v1/commerce/payments/intents',
  ipLimit: 60,
  async handler(ctx, caller) {
    requireKind(caller, 'agent');
    const key = idempotencyKeyOf(ctx);
    const body = bodyOf(ctx);
    const check = new FieldCheck(body);
    const merchantId = check.string('merchant_id', true);
    const cartId = check.string('cart_id', true);
    check.string('passport_jwt', true);
    const amount = check.amount('amount_minor_units', true);
    const currency = check.currency('currency', true);
    const provider = body['provider_key'] ?? 'mock';
    if (provider !== 'mock' && provider !== 'plural') check.fields['provider_key'] = 'must be mock or plural';
    check.done();
    if (provider === 'plural') {
      throw fail(403, 'plural_live_disabled', 'Plural is not enabled on this server', { retryable: false, details: { reason: 'plural_live_disabled', provider_key: 'plural' } });
    }
    const state = stateOf(ctx);
    const merchant = state.merchants.get(merchantId!);
    if (!merchant || merchant.tenantId !== caller.tenantId) throw notFoundError('Merchant', 'merchant_not_found');
    return idempotent(ctx, { tenantId: caller.tenantId, merchantId: merchant.id, endpoint: 'POST /v1/commerce/payments/intents', key }, body, async () => {
      const cart = state.carts.get(cartId!);
      if (!cart || cart.tenantId !== caller.tenantId || cart.merchantId !== merchant.id) throw notFoundError('Cart', 'cart_not_found');
      if (cart.agentId !== caller.agentId) throw fail(403, 'cart_agent_mismatch', 'The cart belongs to another agent', { retryable: false });
      if (cart.status !== 'draft' || cart.expiresAt <= ctx.now) throw fail(409, 'cart_not_payable', 'Cart is not payable', { retryable: false, details: { status: cart.status } });
      if (amount !== cart.total || currency !== cart.currency) {
        throw fail(409, 'cart_amount_mismatch', 'Amount and currency must equal the cart total', { retryable: false, details: { expected_amount_minor_units: String(cart.total), expected_currency: cart.currency } });
      }
      const { decisionId, policy, passport } = await decide(ctx, { tenantId: caller.tenantId, merchantId: merchant.id, agentId: caller.agentId, passportJwt: body['passport_jwt'], scope: 'commerce:payment.initiate', amount: amount!, currency: currency! });
      const id = `cpi_${ulid(ctx.now)}`;
      const intent: CommercePaymentIntentRecord = {
        id,
        tenantId: caller.tenantId,
        merchantId: merchant.id,
        agentId: caller.agentId,
        cartId: cart.id,
        passportJti: passport.jti,
        amount: amount!,
        currency: currency!,
        status: 'authorized',
        checkoutUrl: null,
        checkoutExpiresAt: null,
        providerRawStatus: 'mock_authorized',
        policyVersion: policy.version,
        decisionId,
        expiresAt: ctx.now + INTENT_LIFETIME_MS,
        reconciledAt: null,
        lastReconciliationAttemptAt: null,
        items: cart.items,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      };
      state.intents.set(id, intent);
      cart.status = 'payment_intent_created';
      cart.passportJti = passport.jti;
      cart.updatedAt = ctx.now;
      const auditEventId = audit(state, ctx.now, { tenantId: caller.tenantId, merchantId: merchant.id, agentId: caller.agentId, eventType: 'payment_intent.created', resourceType: 'commerce_payment_intent', resourceId: id, passportJti: passport.jti, decisionId });
      const meterEventId = audit(state, ctx.now, { tenantId: caller.tenantId, merchantId: merchant.id, agentId: caller.agentId, eventType: 'meter.payment_intent_created', resourceType: 'commerce_payment_intent', resourceId: id });
      return { status: 201, body: { data: intentView(intent), decision_id: decisionId, audit_event_id: auditEventId, meter_event_id: meterEventId } };
    });
  },
};

function intentFor(ctx: Ctx, caller: Caller): CommercePaymentIntentRecord {
  const intent = stateOf(ctx).intents.get(ctx.params['id']!);
  const visible = intent && intent.tenantId === caller.tenantId && (caller.kind !== 'merchant' || intent.merchantId === caller.merchantId) && (caller.kind !== 'agent' || intent.agentId === caller.agentId);
  if (!visible) throw notFoundError('Payment intent', 'payment_intent_not_found');
  return intent;
}

const getIntent: CommerceRoute = {
  method: 'GET',
  path: '/v1/commerce/payments/intents/{id}',
  async handler(ctx, caller) {
    return answer(200, { data: intentView(intentFor(ctx, caller)) });
  },
};

const listIntents: CommerceRoute = {
  method: 'GET',
  path: '/v1/commerce/payments/intents',
  async handler(ctx, caller) {
    const raw = Number(ctx.query.get('limit') ?? '50');
    const limit = Number.isFinite(raw) ? Math.min(100, Math.max(1, Math.floor(raw))) : 50;
    const status = ctx.query.get('status');
    const merchant = caller.kind === 'operator' ? ctx.query.get('merchant_id') : null;
    const items = [...stateOf(ctx).intents.values()]
      .filter((i) => i.tenantId === caller.tenantId && (caller.kind !== 'merchant' || i.merchantId === caller.merchantId) && (caller.kind !== 'agent' || i.agentId === caller.agentId))
      .filter((i) => (merchant === null || i.merchantId === merchant) && (status === null || i.status === status))
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, limit);
    return answer(200, { items: items.map(intentView), next_cursor: null });
  },
};

/** `https://…`, or `http://localhost…` as the server allows outside production. */
function isReturnUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1'));
  } catch {
    return false;
  }
}

const checkoutLink: CommerceRoute = {
  method: 'POST',
  path: '/v1/commerce/payments/intents/{id}/checkout-link',
  ipLimit: 60,
  async handler(ctx, caller) {
    const key = idempotencyKeyOf(ctx);
    const body = bodyOf(ctx);
    const check = new FieldCheck(body);
    check.string('passport_jwt', true);
    for (const field of ['success_url', 'cancel_url']) if (!isReturnUrl(body[field])) check.fields[field] = 'must be HTTPS';
    check.done();
    const intent = intentFor(ctx, caller);
    const policy = [...stateOf(ctx).policies.values()].find((p) => p.merchantId === intent.merchantId && p.status === 'active');
    if (!policy) throw fail(409, 'active_policy_required', 'The merchant has no active commerce policy', { retryable: false });
    const passport = await checkPassport(ctx, body['passport_jwt'], { tenantId: intent.tenantId, merchantId: intent.merchantId });
    if (passport.agentId !== intent.agentId) throw fail(403, 'agent_mismatch', 'The passport belongs to another agent', { retryable: false });
    if (passport.passportType !== 'checkout') throw fail(403, 'checkout_passport_required', 'A checkout passport is required', { retryable: false });
    if (intent.status !== 'authorized') {
      const auditEventId = audit(stateOf(ctx), ctx.now, { tenantId: intent.tenantId, merchantId: intent.merchantId, agentId: intent.agentId, eventType: 'protected_action.denied', resourceType: 'commerce_payment_intent', resourceId: intent.id, metadata: { reason: 'invalid_payment_status_transition' } });
      throw fail(409, 'invalid_payment_status_transition', `Payment intent cannot move from ${intent.status} to checkout_created`, { audit_event_id: auditEventId, retryable: false });
    }
    return idempotent(ctx, { tenantId: intent.tenantId, merchantId: intent.merchantId, endpoint: 'POST /v1/commerce/payments/intents/checkout-link', key }, { ...body, payment_intent_id: intent.id }, async () => {
      intent.status = 'payment_pending';
      intent.providerRawStatus = 'mock_checkout_created';
      intent.checkoutUrl = `https://mock-payments.grantex.local/checkout/${intent.id}`;
      intent.checkoutExpiresAt = intent.expiresAt;
      intent.updatedAt = ctx.now;
      const auditEventId = audit(stateOf(ctx), ctx.now, { tenantId: intent.tenantId, merchantId: intent.merchantId, agentId: intent.agentId, eventType: 'checkout_link.created', resourceType: 'commerce_payment_intent', resourceId: intent.id, passportJti: passport.jti });
      return { status: 201, body: { data: intentView(intent), audit_event_id: auditEventId } };
    });
  },
};

const reconcile: CommerceRoute = {
  method: 'POST',
  path: '/v1/commerce/payments/intents/{id}/reconcile',
  ipLimit: 60,
  async handler(ctx, caller) {
    const intent = intentFor(ctx, caller);
    if (TERMINAL.includes(intent.status)) {
      return answer(200, { data: intentView(intent), reconciliation: { status: 'ignored', reason: 'terminal_status', payment_status: intent.status } });
    }
    if (intent.expiresAt <= ctx.now) {
      if (intent.status !== 'payment_pending') {
        throw fail(409, 'invalid_payment_status_transition', `Payment intent cannot move from ${intent.status} to expired`, { retryable: false });
      }
      const from = intent.status;
      intent.status = 'expired';
      intent.reconciledAt = ctx.now;
      intent.lastReconciliationAttemptAt = ctx.now;
      intent.updatedAt = ctx.now;
      const auditEventId = audit(stateOf(ctx), ctx.now, { tenantId: intent.tenantId, merchantId: intent.merchantId, agentId: intent.agentId, eventType: 'payment_intent.expired', resourceType: 'commerce_payment_intent', resourceId: intent.id });
      return answer(200, { data: intentView(intent), reconciliation: { status: 'transitioned', from_status: from, to_status: 'expired', provider_status: 'expired' }, audit_event_id: auditEventId });
    }
    // The mock provider reports a payment it created through the API as pending; the row is
    // returned as it was before the attempt.
    const before = intentView(intent);
    intent.lastReconciliationAttemptAt = ctx.now;
    return answer(200, { data: before, reconciliation: { status: 'no_change', reason: 'provider_still_pending', payment_status: intent.status, provider_status: 'payment_pending' } });
  },
};

const listAudit: CommerceRoute = {
  method: 'GET',
  path: '/v1/commerce/audit/events',
  async handler(ctx, caller) {
    requireKind(caller, 'operator');
    const raw = Number(ctx.query.get('limit') ?? '25');
    const limit = Number.isFinite(raw) ? Math.min(100, Math.max(1, Math.floor(raw))) : 25;
    const filter = (name: string, value: string | null) => ctx.query.get(name) === null || ctx.query.get(name) === value;
    const from = ctx.query.get('from');
    const to = ctx.query.get('to');
    const items = stateOf(ctx)
      .audit.filter((a) => a.tenantId === caller.tenantId)
      .filter((a) => filter('merchant_id', a.merchantId) && filter('agent_id', a.agentId) && filter('event_type', a.eventType) && filter('passport_jti', a.passportJti))
      .filter((a) => (from === null || a.occurredAt >= Date.parse(from)) && (to === null || a.occurredAt <= Date.parse(to)))
      .reverse()
      .slice(0, limit);
    return answer(200, { items: items.map(auditView), next_cursor: null });
  },
};

/** Settles a payment as the provider's webhook would (the local server has no provider to call it). */
export function settlePayment(ctxState: ReturnType<typeof stateOf>, intentId: string, outcome: 'paid' | 'failed', now: number): CommercePaymentIntentRecord {
  const intent = ctxState.intents.get(intentId);
  if (!intent) throw new Error(`unknown payment intent ${intentId}`);
  if (intent.status !== 'payment_pending') throw new Error(`payment intent ${intentId} is ${intent.status}, not payment_pending`);
  intent.status = outcome;
  intent.providerRawStatus = `mock_${outcome}`;
  intent.updatedAt = now;
  audit(ctxState, now, { tenantId: intent.tenantId, merchantId: intent.merchantId, agentId: intent.agentId, eventType: `payment_intent.${outcome}`, resourceType: 'commerce_payment_intent', resourceId: intent.id, passportJti: intent.passportJti, metadata: { provider_key: 'mock', from_status: 'payment_pending', to_status: outcome } });
  return intent;
}

export const paymentRoutes: CommerceRoute[] = [createCart, getCart, createIntent, getIntent, listIntents, checkoutLink, reconcile, listAudit];
