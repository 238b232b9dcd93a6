// Who is calling a commerce route, and the commerce error body. The real server tells operators,
// merchants and agents apart by the shape of the one Bearer token and answers with its own
// envelope, {error: {code, message, …}}; this file does the same for the local server.
import { sha256Hex, ulid } from '../encoding.js';
import { HttpError, type Ctx } from '../http.js';
import { CommerceState } from './state.js';

export type Caller =
  | { readonly kind: 'operator'; readonly developerId: string; readonly tenantId: string }
  | { readonly kind: 'merchant'; readonly tenantId: string; readonly merchantId: string }
  | { readonly kind: 'agent'; readonly tenantId: string; readonly agentId: string };

export type CallerKind = Caller['kind'];

/** The commerce error envelope as an HttpError. Optional keys are left out, as the server does. */
export function fail(
  status: number,
  code: string,
  message: string,
  extra: { retryable?: boolean | undefined; details?: Record<string, unknown> | undefined; decision_id?: string | undefined; audit_event_id?: string | undefined; remediation?: string | undefined } = {},
): HttpError {
  return new HttpError(status, code, message, { error: { code, message, ...extra } });
}

/** 422 `validation_failed` with the field map of `details.fields`. */
export function invalid(fields: Record<string, string>, status = 422): HttpError {
  return fail(status, 'validation_failed', 'Request validation failed', { retryable: false, details: { fields } });
}

export const notFoundError = (what: string, code: string) => fail(404, code, `${what} not found`);

/** The state of the server's commerce, created with its store. */
export function stateOf(ctx: Ctx): CommerceState {
  return (ctx.core.store as unknown as { commerce: CommerceState }).commerce;
}

const TOKEN = /^Bearer (.{16,4096})$/s;

/** Resolves the Bearer credential to a caller, with the real server's 401 and 403 answers. */
export async function resolveCaller(ctx: Ctx): Promise<Caller> {
  const state = stateOf(ctx);
  const match = TOKEN.exec(ctx.request.headers.get('authorization') ?? '');
  const token = match?.[1]?.trim();
  if (!token || token.length < 16) throw fail(401, 'missing_authorization', 'Authorization bearer token is required', { retryable: false });
  if (/^grtx_sk_(?:sandbox|live)_/.test(token)) {
    const merchantId = state.merchantKeys.get(token);
    const merchant = merchantId === undefined ? undefined : state.merchants.get(merchantId);
    if (!merchant) throw fail(401, 'invalid_merchant_key', 'Merchant API key is invalid or revoked', { retryable: false });
    return { kind: 'merchant', tenantId: merchant.tenantId, merchantId: merchant.id };
  }
  if (token.startsWith('grtx_agent_')) {
    const hash = await sha256Hex(token);
    const agent = [...state.agents.values()].find((a) => a.apiKeyHash === hash);
    if (!agent || agent.status === 'disabled') {
      throw fail(401, 'invalid_agent_credential', 'Commerce agent credential is invalid', { retryable: false, details: { reason: 'unknown_agent' } });
    }
    if (agent.trustStatus !== 'trusted') {
      throw fail(403, 'agent_not_trusted', 'Commerce agent is not trusted', { retryable: false, details: { trust_status: agent.trustStatus } });
    }
    return { kind: 'agent', tenantId: agent.tenantId, agentId: agent.id };
  }
  if (/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) {
    // Signed agent assertions need a registered public key; the local server registers agents by key hash only.
    throw fail(401, 'invalid_agent_credential', 'Commerce agent credential is invalid', { retryable: false, details: { reason: 'assertion_signature_invalid' } });
  }
  const developerId = ctx.core.store.apiKeys.get(token);
  if (developerId === undefined || !ctx.core.store.developers.has(developerId)) {
    throw fail(401, 'invalid_developer_key', 'Developer API key is invalid', { retryable: false });
  }
  return { kind: 'operator', developerId, tenantId: tenantOf(state, developerId, ctx.now) };
}

/**
 * The operator's default tenant. The local server provisions one on first use, as the real server
 * does outside production when automatic tenants are allowed.
 */
function tenantOf(state: CommerceState, developerId: string, now: number): string {
  const existing = state.defaultTenant.get(developerId);
  if (existing !== undefined) return existing;
  const id = `cten_${ulid(now)}`;
  state.tenants.set(id, { id, developerId, displayName: `Tenant of ${developerId}`, createdAt: now });
  state.defaultTenant.set(developerId, id);
  return id;
}

const REFUSAL: Record<CallerKind, [string, string]> = {
  operator: ['operator_required', 'Only operators may call this route'],
  agent: ['agent_required', 'Only commerce agents may call this route'],
  merchant: ['caller_not_authorized', 'Caller is not authorized for this route'],
};

/** 403 unless the caller is of one of `kinds` (the code names what the route wanted, as the server does). */
export function requireKind<K extends CallerKind>(caller: Caller, ...kinds: K[]): asserts caller is Extract<Caller, { kind: K }> {
  if ((kinds as CallerKind[]).includes(caller.kind)) return;
  const [code, message] = kinds.length === 1 ? REFUSAL[kinds[0]!] : ['caller_not_authorized', 'Caller is not authorized for this route'];
  throw fail(403, code, message, { retryable: false });
}

/** The merchant a route acts on: a merchant key's own, or the named one of the caller's tenant. */
export function merchantFor(ctx: Ctx, caller: Caller, named: unknown, { required = true } = {}): string {
  if (caller.kind === 'merchant') {
    if (named !== undefined && named !== caller.merchantId) throw fail(403, 'merchant_scope_violation', 'Merchant callers may only act on their own merchant', { retryable: false });
    return caller.merchantId;
  }
  if (typeof named !== 'string' || named === '') {
    if (required) throw invalid({ merchant_id: 'required string' });
    return '';
  }
  const merchant = stateOf(ctx).merchants.get(named);
  if (!merchant || merchant.tenantId !== caller.tenantId) throw notFoundError('Merchant', 'merchant_not_found');
  return merchant.id;
}
