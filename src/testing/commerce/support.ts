// What the commerce routes share: body checks with the server's field messages, the audit trail,
// and the Idempotency-Key rules (24 h records, text/plain replays, 409 on another body).
import { iso, sha256Hex, ulid } from '../encoding.js';
import { json, type Ctx } from '../http.js';
import { fail, invalid, stateOf } from './caller.js';
import type { CommerceState } from './state.js';

export type Body = Record<string, unknown>;

export const CURRENCY = /^[A-Z]{3}$/;
export const MAX_IDEMPOTENCY_KEY = 256;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** The body as an object (absent counts as `{}`); 422 for anything else, as the server words it. */
export function bodyOf(ctx: Ctx): Body {
  const body = ctx.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid({ body: 'must be a JSON object' });
  return body as Body;
}

/** Collects field problems and throws them together as one 422 `validation_failed`. */
export class FieldCheck {
  readonly fields: Record<string, string> = {};
  constructor(readonly body: Body) {}

  string(key: string, required: boolean): string | undefined {
    const value = this.body[key];
    if (value === undefined || value === null) {
      if (required) this.fields[key] = 'required string';
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.fields[key] = required ? 'required string' : 'must be a non-empty string';
      return undefined;
    }
    return value;
  }

  currency(key: string, required: boolean): string | undefined {
    const value = this.string(key, required);
    if (value !== undefined && !CURRENCY.test(value)) this.fields[key] = 'must be a 3-letter ISO currency code';
    return value;
  }

  /** A non-negative integer amount in minor units (a digit-only string is accepted, as the server does). */
  amount(key: string, required: boolean, at = key, source: Body = this.body): number | undefined {
    const value = source[key];
    if (value === undefined || value === null) {
      if (required) this.fields[at] = 'required non-negative integer (minor units)';
      return undefined;
    }
    const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
      this.fields[at] = 'required non-negative integer (minor units)';
      return undefined;
    }
    return number;
  }

  only(allowed: readonly string[]): void {
    const unknown = Object.keys(this.body).filter((key) => !allowed.includes(key));
    if (unknown.length > 0) this.fields['unsupported_fields'] = unknown.sort().join(', ');
  }

  done(status = 422): void {
    if (Object.keys(this.fields).length > 0) throw invalid(this.fields, status);
  }
}

/** Records an audit event and returns its id (`caud_…`). */
export function audit(
  state: CommerceState,
  now: number,
  event: { tenantId: string; merchantId?: string | null | undefined; agentId?: string | null | undefined; eventType: string; resourceType?: string | undefined; resourceId?: string | undefined; passportJti?: string | null | undefined; decisionId?: string | null | undefined; metadata?: Record<string, unknown> | undefined },
): string {
  const id = `caud_${ulid(now)}`;
  state.audit.push({
    id,
    tenantId: event.tenantId,
    merchantId: event.merchantId ?? null,
    agentId: event.agentId ?? null,
    eventType: event.eventType,
    resourceType: event.resourceType ?? null,
    resourceId: event.resourceId ?? null,
    passportJti: event.passportJti ?? null,
    decisionId: event.decisionId ?? null,
    occurredAt: now,
    metadata: event.metadata ?? {},
  });
  return id;
}

/** JSON with object keys sorted at every depth: the fingerprint of a body for idempotency. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The `Idempotency-Key` of a request: 400 when missing or empty, 422 when longer than 256 characters. */
export function idempotencyKeyOf(ctx: Ctx): string {
  const key = ctx.request.headers.get('idempotency-key');
  if (key === null || key.trim() === '') throw fail(400, 'idempotency_key_required', 'Idempotency-Key header is required', { retryable: false });
  if (key.length > MAX_IDEMPOTENCY_KEY) throw invalid({ 'Idempotency-Key': `must be at most ${MAX_IDEMPOTENCY_KEY} characters` });
  return key;
}

/**
 * Runs an idempotent route: the same key and body within 24 hours replays the stored answer (with
 * `Content-Type: text/plain`, as the server labels its stored answers), the same key with another
 * body is 409 `idempotency_conflict`. Only successful answers are stored.
 */
export async function idempotent(
  ctx: Ctx,
  scope: { tenantId: string; merchantId: string; endpoint: string; key: string },
  body: Body,
  run: () => Promise<{ status: number; body: unknown }>,
): Promise<Response> {
  const state = stateOf(ctx);
  const id = `${scope.tenantId}|${scope.merchantId}|${scope.endpoint}|${await sha256Hex(scope.key)}`;
  const fingerprint = await sha256Hex(stableJson(body));
  const stored = state.idempotency.get(id);
  if (stored && ctx.now - stored.storedAt < IDEMPOTENCY_TTL_MS) {
    if (stored.fingerprint !== fingerprint) {
      const auditEventId = audit(state, ctx.now, { tenantId: scope.tenantId, merchantId: scope.merchantId, eventType: 'idempotency.conflict', metadata: { endpoint: scope.endpoint } });
      throw fail(409, 'idempotency_conflict', 'Idempotency key was already used with a different request body', { audit_event_id: auditEventId, retryable: false });
    }
    return new Response(stored.body, { status: stored.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const result = await run();
  const text = JSON.stringify(result.body);
  state.idempotency.set(id, { fingerprint, status: result.status, body: text, storedAt: ctx.now });
  return new Response(text, { status: result.status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

export const answer = (status: number, body: unknown) => json(status, body);
export { iso };
