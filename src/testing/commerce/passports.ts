// Consent, passports and spending policies: an agent asks the user to consent, exchanges the
// granted consent for a signed passport (browse: 1 h, checkout: 10 min, with an amount cap), and
// the merchant's active policy decides what a passport may do.
import { base64url, iso, randomBytes, ulid } from '../encoding.js';
import type { Ctx } from '../http.js';
import { fail, invalid, merchantFor, notFoundError, requireKind, stateOf, type Caller } from './caller.js';
import type { CommerceRoute } from './route.js';
import type { CommercePassportRecord, CommercePolicyRecord } from './state.js';
import { answer, audit, bodyOf, CURRENCY, FieldCheck } from './support.js';
import { passportView, policyView } from './views.js';

const BROWSE = ['commerce:catalog.read', 'commerce:inventory.read'];
const CHECKOUT = [...BROWSE, 'commerce:checkout.create', 'commerce:payment.initiate', 'commerce:payment.status.read'];
const LIFETIME_S = { browse: 3600, checkout: 600 } as const;
const RULE_KEYS = ['amount_cap', 'scope_allowlist', 'emergency_disable', 'checkout_passport_max_ttl_seconds', 'browse_passport_max_ttl_seconds', 'stale_price_max_age_seconds', 'allow_unknown_inventory_checkout'];

const createConsentRequest: CommerceRoute = {
  method: 'POST',
  path: '/v1/commerce/passports/consent-requests',
  ipLimit: 120,
  async handler(ctx, caller) {
    requireKind(caller, 'agent');
    const body = bodyOf(ctx);
    const check = new FieldCheck(body);
    const merchantId = check.string('merchant_id', true);
    const type = body['passport_type'];
    if (type !== 'browse' && type !== 'checkout') check.fields['passport_type'] = 'must be browse or checkout';
    const bundle = type === 'checkout' ? CHECKOUT : BROWSE;
    const requested = body['requested_scopes'];
    if (requested !== undefined && (!Array.isArray(requested) || requested.some((scope) => !bundle.includes(scope as string)))) {
      check.fields['requested_scopes'] = `must be a subset of ${bundle.join(', ')}`;
    }
    let maxAmount: number | undefined;
    let currency: string | undefined;
    if (type === 'checkout') {
      const raw = body['max_amount'];
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0) check.fields['max_amount'] = 'required non-negative integer (minor units)';
      else maxAmount = raw;
      currency = check.currency('currency', true);
    }
    const ttl = body['ttl_seconds'];
    if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isInteger(ttl))) check.fields['ttl_seconds'] = 'must be an integer';
    check.done();
    const state = stateOf(ctx);
    const merchant = state.merchants.get(merchantId!);
    if (!merchant || merchant.tenantId !== caller.tenantId) throw notFoundError('Merchant', 'merchant_not_found');
    const requestId = base64url(randomBytes(24));
    const recordId = `crec_${ulid(ctx.now)}`;
    const lifetime = Math.min(600, Math.max(60, typeof ttl === 'number' ? ttl : 600));
    state.consents.set(requestId, {
      requestId,
      recordId,
      tenantId: caller.tenantId,
      merchantId: merchant.id,
      agentId: caller.agentId,
      passportType: type as 'browse' | 'checkout',
      scopes: Array.isArray(requested) ? (requested as string[]) : bundle,
      maxAmount: maxAmount ?? null,
      currency: currency ?? null,
      userHint: typeof body['user_principal_hint'] === 'string' ? (body['user_principal_hint'] as string) : null,
      expiresAt: ctx.now + lifetime * 1000,
      status: 'requested',
      subject: null,
      exchangedJti: null,
    });
    const auditEventId = audit(state, ctx.now, { tenantId: caller.tenantId, merchantId: merchant.id, agentId: caller.agentId, eventType: 'consent.requested', resourceType: 'commerce_consent', resourceId: recordId });
    return answer(201, {
      data: { consent_request_id: requestId, consent_record_id: recordId, consent_url: `${ctx.core.baseUrl()}/v1/commerce/consent/page?req=${requestId}`, expires_at: iso(ctx.now + lifetime * 1000), passport_type: type },
      audit_event_id: auditEventId,
    });
  },
};

const getConsent: CommerceRoute = {
  method: 'GET',
  path: '/v1/commerce/consent/{reqId}',
  public: true,
  ipLimit: 120,
  async handler(ctx) {
    const consent = stateOf(ctx).consents.get(ctx.params['reqId']!);
    if (!consent) throw notFoundError('Consent request', 'consent_not_found');
    const status = consent.status === 'requested' && consent.expiresAt <= ctx.now ? 'expired' : consent.status;
    return answer(200, {
      consent_request_id: consent.requestId,
      merchant_id: consent.merchantId,
      agent_id: consent.agentId,
      passport_type: consent.passportType,
      requested_scopes: [...consent.scopes],
      max_amount: consent.maxAmount,
      currency: consent.currency,
      consent_text_version: '2026-05-01',
      expires_at: iso(consent.expiresAt),
      status,
      presented_payload_hash: null,
      user_principal_hint: consent.userHint,
    });
  },
};

const exchange: CommerceRoute = {
  method: 'POST',
  path: '/v1/commerce/passports/exchange',
  ipLimit: 120,
  async handler(ctx, caller) {
    requireKind(caller, 'agent');
    const check = new FieldCheck(bodyOf(ctx));
    const requestId = check.string('consent_request_id', true);
    check.done();
    const state = stateOf(ctx);
    const consent = state.consents.get(requestId!);
    if (!consent || consent.agentId !== caller.agentId) throw notFoundError('Consent request', 'consent_not_found');
    if (consent.exchangedJti !== null) {
      const existing = state.passports.get(consent.exchangedJti)!;
      throw fail(409, 'consent_already_exchanged', 'Consent has already been exchanged for a passport', { retryable: false, details: { existing_jti: existing.jti, existing_expires_at: iso(existing.expiresAt) } });
    }
    if (consent.status === 'denied') throw fail(403, 'consent_denied', 'The user denied this consent request', { retryable: false });
    if (consent.status !== 'granted') {
      if (consent.expiresAt <= ctx.now) throw fail(410, 'consent_expired', 'Consent request has expired', { retryable: false });
      throw fail(409, 'consent_not_granted', 'Consent has not been granted', { retryable: false });
    }
    const jti = `cpsp_${ulid(ctx.now)}`;
    const issuedAt = Math.floor(ctx.now / 1000);
    const expiresAt = issuedAt + LIFETIME_S[consent.passportType];
    const claims: Record<string, unknown> = {
      passport_type: consent.passportType,
      tenant_id: consent.tenantId,
      merchant_id: consent.merchantId,
      agent_id: consent.agentId,
      consent_record_id: consent.recordId,
      scopes: [...consent.scopes],
      ...(consent.maxAmount === null ? {} : { max_amount: consent.maxAmount, currency: consent.currency }),
      env: 'sandbox',
      ver: '1',
      iss: ctx.core.issuer(),
      aud: 'grantex-commerce',
      sub: consent.subject,
      jti,
      iat: issuedAt,
      nbf: issuedAt,
      exp: expiresAt,
    };
    const passportJwt = await ctx.core.signer.sign(claims);
    const passport: CommercePassportRecord = {
      jti,
      tenantId: consent.tenantId,
      merchantId: consent.merchantId,
      agentId: consent.agentId,
      passportType: consent.passportType,
      subject: consent.subject!,
      scopes: consent.scopes,
      maxAmount: consent.maxAmount,
      currency: consent.currency,
      issuedAt: issuedAt * 1000,
      expiresAt: expiresAt * 1000,
      revoked: false,
      revocationReason: null,
    };
    state.passports.set(jti, passport);
    consent.exchangedJti = jti;
    const auditEventId = audit(state, ctx.now, { tenantId: consent.tenantId, merchantId: consent.merchantId, agentId: consent.agentId, eventType: 'passport.issued', resourceType: 'commerce_passport', resourceId: jti, passportJti: jti });
    return answer(201, {
      data: { passport_jwt: passportJwt, jti, kid: ctx.core.signer.kid, passport_type: consent.passportType, scopes: [...consent.scopes], max_amount: consent.maxAmount, currency: consent.currency, expires_at: iso(expiresAt * 1000) },
      audit_event_id: auditEventId,
    });
  },
};

/**
 * Checks a passport the way a payment-affecting route does: the server's signature, audience,
 * lifetime, tenant and merchant, then revocation. Throws the server's 400/403 `passport_*` answers.
 */
export async function checkPassport(ctx: Ctx, token: unknown, expect: { tenantId: string; merchantId?: string | undefined }): Promise<CommercePassportRecord> {
  if (typeof token !== 'string' || token === '') throw invalid({ passport_jwt: 'required string' });
  const claims = await ctx.core.signer.verify(token);
  const reject = (code: string, message: string) => fail(400, code, message, { retryable: false });
  if (!claims) throw reject('passport_signature_invalid', 'Passport signature is invalid');
  if (claims['aud'] !== 'grantex-commerce') throw reject('passport_wrong_audience', 'Passport audience is wrong');
  if (typeof claims['exp'] !== 'number' || claims['exp'] * 1000 <= ctx.now) throw reject('passport_expired', 'Passport has expired');
  const passport = stateOf(ctx).passports.get(String(claims['jti']));
  if (!passport) throw reject('passport_missing_claims', 'Passport is not known to this server');
  if (passport.tenantId !== expect.tenantId) throw fail(403, 'passport_tenant_mismatch', 'Passport belongs to another tenant', { retryable: false });
  if (expect.merchantId !== undefined && passport.merchantId !== expect.merchantId) throw fail(403, 'passport_merchant_mismatch', 'Passport belongs to another merchant', { retryable: false });
  return passport;
}

const listPassports: CommerceRoute = {
  method: 'GET',
  path: '/v1/commerce/passports',
  ipLimit: 120,
  async handler(ctx, caller) {
    const items = [...stateOf(ctx).passports.values()]
      .filter((p) => p.tenantId === caller.tenantId)
      .filter((p) => (caller.kind === 'merchant' ? p.merchantId === caller.merchantId : caller.kind === 'agent' ? p.agentId === caller.agentId : true))
      .sort((a, b) => b.issuedAt - a.issuedAt)
      .slice(0, 100);
    return answer(200, { items: items.map(passportView), next_cursor: null });
  },
};

const verifyPassport: CommerceRoute = {
  method: 'POST',
  path: '/v1/commerce/passports/verify',
  ipLimit: 1000,
  async handler(ctx, caller) {
    const body = bodyOf(ctx);
    const mode = body['mode'] ?? 'read_only';
    if (mode !== 'read_only' && mode !== 'payment_affecting') throw invalid({ mode: 'must be read_only or payment_affecting' });
    const expected = typeof body['expected_merchant_id'] === 'string' ? body['expected_merchant_id'] : caller.kind === 'merchant' ? caller.merchantId : undefined;
    const passport = await checkPassport(ctx, body['passport_jwt'], { tenantId: caller.tenantId, ...(expected === undefined ? {} : { merchantId: expected }) });
    if (mode === 'payment_affecting' && passport.revoked) throw fail(400, 'passport_revoked', 'Passport has been revoked', { retryable: false });
    const consent = [...stateOf(ctx).consents.values()].find((c) => c.exchangedJti === passport.jti);
    return answer(200, {
      data: {
        valid: true,
        mode,
        passport: {
          jti: passport.jti,
          kid: ctx.core.signer.kid,
          passportType: passport.passportType,
          tenantId: passport.tenantId,
          merchantId: passport.merchantId,
          agentId: passport.agentId,
          consentRecordId: consent?.recordId ?? '',
          subject: passport.subject,
          scopes: [...passport.scopes],
          maxAmount: passport.maxAmount,
          currency: passport.currency,
          policyVersion: null,
          environment: 'sandbox',
          issuedAt: passport.issuedAt / 1000,
          notBefore: passport.issuedAt / 1000,
          expiresAt: passport.expiresAt / 1000,
        },
      },
    });
  },
};

const revokePassport: CommerceRoute = {
  method: 'POST',
  path: '/v1/commerce/passports/revoke',
  ipLimit: 120,
  async handler(ctx, caller) {
    const check = new FieldCheck(bodyOf(ctx));
    const jti = check.string('jti', true);
    const reason = check.string('reason', false) ?? 'explicit';
    check.done();
    const state = stateOf(ctx);
    const passport = state.passports.get(jti!);
    if (!passport || passport.tenantId !== caller.tenantId) throw notFoundError('Passport', 'passport_not_found');
    if (caller.kind === 'merchant' && passport.merchantId !== caller.merchantId) throw fail(403, 'merchant_scope_violation', 'Merchant callers may only revoke their own passports', { retryable: false });
    if (caller.kind === 'agent' && passport.agentId !== caller.agentId) throw fail(403, 'agent_scope_violation', 'Agents may only revoke their own passports', { retryable: false });
    passport.revoked = true;
    passport.revocationReason = reason;
    const auditEventId = audit(state, ctx.now, { tenantId: passport.tenantId, merchantId: passport.merchantId, agentId: passport.agentId, eventType: 'passport.revoked', resourceType: 'commerce_passport', resourceId: passport.jti, passportJti: passport.jti });
    return answer(200, { data: { jti: passport.jti, revoked: true, reason }, audit_event_id: auditEventId });
  },
};

/** The seven rules, all required and no others: 422 with the field that is wrong. */
function checkRules(rules: unknown): Record<string, unknown> {
  const fields: Record<string, string> = {};
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) throw invalid({ rules: 'required object' });
  const r = rules as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!RULE_KEYS.includes(key)) fields[`rules.${key}`] = 'unsupported rule';
  for (const key of RULE_KEYS) if (!(key in r)) fields[`rules.${key}`] = 'required';
  const cap = r['amount_cap'] as Record<string, unknown> | undefined;
  if (cap !== undefined) {
    const max = cap?.['max_amount_minor_units'];
    if (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 0) fields['rules.amount_cap.max_amount_minor_units'] = 'required non-negative integer (minor units)';
    if (typeof cap?.['currency'] !== 'string' || !CURRENCY.test(cap['currency'] as string)) fields['rules.amount_cap.currency'] = 'must be a 3-letter ISO currency code';
  }
  const allow = r['scope_allowlist'];
  if (allow !== undefined && (!Array.isArray(allow) || allow.length === 0 || allow.some((scope) => !CHECKOUT.includes(scope as string)) || new Set(allow).size !== allow.length)) {
    fields['rules.scope_allowlist'] = 'must be a non-empty array of unique commerce scopes';
  }
  const ttl = (key: string, max: number) => {
    const value = r[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)) fields[`rules.${key}`] = `must be an integer from 1 to ${max}`;
  };
  ttl('checkout_passport_max_ttl_seconds', 600);
  ttl('browse_passport_max_ttl_seconds', 3600);
  for (const key of ['emergency_disable', 'allow_unknown_inventory_checkout']) if (key in r && typeof r[key] !== 'boolean') fields[`rules.${key}`] = 'must be a boolean';
  if (Object.keys(fields).length > 0) throw invalid(fields);
  return r;
}

function policyManager(caller: Caller): void {
  if (caller.kind === 'agent') throw fail(403, 'policy_manager_required', 'Only operators and merchants manage policies', { retryable: false });
}

const createPolicy: CommerceRoute = {
  method: 'POST',
  path: '/v1/commerce/policies',
  ipLimit: 60,
  async handler(ctx, caller) {
    policyManager(caller);
    const body = bodyOf(ctx);
    const merchantId = merchantFor(ctx, caller, body['merchant_id']);
    const rules = checkRules(body['rules']);
    const state = stateOf(ctx);
    const versions = [...state.policies.values()].filter((p) => p.merchantId === merchantId).length;
    const id = `cpol_${ulid(ctx.now)}`;
    const policy: CommercePolicyRecord = { id, tenantId: caller.tenantId, merchantId, version: `v${versions + 1}`, rules, status: 'draft', createdBy: caller.kind === 'operator' ? caller.developerId : merchantId, activatedBy: null, activatedAt: null, createdAt: ctx.now, updatedAt: ctx.now };
    state.policies.set(id, policy);
    const auditEventId = audit(state, ctx.now, { tenantId: caller.tenantId, merchantId, eventType: 'policy.created', resourceType: 'commerce_policy', resourceId: id });
    return answer(201, { data: policyView(policy), audit_event_id: auditEventId });
  },
};

function policyOf(ctx: Ctx, caller: Caller): CommercePolicyRecord {
  policyManager(caller);
  const policy = stateOf(ctx).policies.get(ctx.params['policyId']!);
  if (!policy || policy.tenantId !== caller.tenantId || (caller.kind === 'merchant' && policy.merchantId !== caller.merchantId)) throw notFoundError('Policy', 'policy_not_found');
  return policy;
}

const listPolicies: CommerceRoute = {
  method: 'GET',
  path: '/v1/commerce/policies',
  async handler(ctx, caller) {
    policyManager(caller);
    const status = ctx.query.get('status');
    if (status !== null && !['draft', 'active', 'archived'].includes(status)) throw invalid({ status: 'must be draft, active or archived' });
    const named = ctx.query.get('merchant_id') ?? undefined;
    const merchantId = caller.kind === 'merchant' ? caller.merchantId : named === undefined ? undefined : merchantFor(ctx, caller, named);
    const items = [...stateOf(ctx).policies.values()]
      .filter((p) => p.tenantId === caller.tenantId && (merchantId === undefined || p.merchantId === merchantId) && (status === null || p.status === status))
      .sort((a, b) => b.createdAt - a.createdAt);
    return answer(200, { items: items.map(policyView), next_cursor: null });
  },
};

const getPolicy: CommerceRoute = {
  method: 'GET',
  path: '/v1/commerce/policies/{policyId}',
  async handler(ctx, caller) {
    return answer(200, { data: policyView(policyOf(ctx, caller)) });
  },
};

const activatePolicy: CommerceRoute = {
  method: 'POST',
  path: '/v1/commerce/policies/{policyId}/activate',
  ipLimit: 60,
  async handler(ctx, caller) {
    const policy = policyOf(ctx, caller);
    if (policy.status === 'active') throw fail(409, 'active_policy_immutable', 'Policy is already active', { retryable: false });
    if (policy.status === 'archived') throw fail(409, 'policy_archived', 'Policy is archived', { retryable: false });
    const state = stateOf(ctx);
    const merchant = state.merchants.get(policy.merchantId)!;
    const cap = policy.rules['amount_cap'] as { currency: string };
    if (cap.currency !== merchant.defaultCurrency) throw invalid({ 'rules.amount_cap.currency': 'must equal the merchant default_currency' });
    for (const other of state.policies.values()) {
      if (other.merchantId === policy.merchantId && other.status === 'active') {
        other.status = 'archived';
        other.updatedAt = ctx.now;
      }
    }
    policy.status = 'active';
    policy.activatedAt = ctx.now;
    policy.activatedBy = caller.kind === 'operator' ? caller.developerId : policy.merchantId;
    policy.updatedAt = ctx.now;
    const auditEventId = audit(state, ctx.now, { tenantId: policy.tenantId, merchantId: policy.merchantId, eventType: 'policy.activated', resourceType: 'commerce_policy', resourceId: policy.id });
    return answer(200, { data: policyView(policy), audit_event_id: auditEventId });
  },
};

/** The merchant's active policy; 409 `policy_not_active` without one. */
export function activePolicy(ctx: Ctx, merchantId: string): CommercePolicyRecord {
  const policy = [...stateOf(ctx).policies.values()].find((p) => p.merchantId === merchantId && p.status === 'active');
  if (!policy) throw fail(409, 'policy_not_active', 'The merchant has no active commerce policy', { retryable: false });
  return policy;
}

export const passportRoutes: CommerceRoute[] = [createConsentRequest, getConsent, exchange, listPassports, verifyPassport, revokePassport, createPolicy, listPolicies, getPolicy, activatePolicy];
