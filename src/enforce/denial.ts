/** The HTTP side of a decision, shared by the fetch guard and the middleware: the bearer token in, the denial out. */
import type { DenialCode, EnforcementDecision } from './types.js';

/** Why a request without a usable token is denied. */
export const NO_BEARER = 'The request has no "Authorization: Bearer <grant token>" header';

/** The token of an `Authorization: Bearer <token>` value; `undefined` for anything else (two values included). */
export function bearer(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(value);
  return match?.[1];
}

/** HTTP status for a denial: the token is not good (401), the keys cannot be had (503), or the call is not allowed (403). */
function statusOf(code: DenialCode): 401 | 403 | 503 {
  if (code === 'JWKS_UNAVAILABLE' || code === 'REVOCATION_UNKNOWN') return 503;
  if (code === 'TOKEN_SCOPES_MISSING' || code === 'TOKEN_DELEGATION_TOO_DEEP') return 403;
  return code.startsWith('TOKEN_') ? 401 : 403;
}

/** The status, headers and JSON body `{ code, message }` of a denial. */
export function denialParts(decision: EnforcementDecision): { status: number; headers: Record<string, string>; body: string } {
  const status = statusOf(decision.code as DenialCode);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  // RFC 6750 §3: tell a bearer-token client whether to get a new token or more scope.
  if (status !== 503) headers['www-authenticate'] = `Bearer error="${status === 401 ? 'invalid_token' : 'insufficient_scope'}"`;
  return { status, headers, body: JSON.stringify({ code: decision.code, message: decision.message }) };
}
