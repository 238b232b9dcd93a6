/** `enforcer.guard`: the enforcer for fetch-style handlers (Workers, Deno, Bun, Hono, route handlers). */
import { bearer, denialParts, NO_BEARER } from './denial.js';
import type { Run } from './run.js';
import type { GuardOptions, HeadersCarrier } from './types.js';

/** `null` when the request's bearer token allows the call; otherwise the JSON denial to send. Never rejects. */
export async function guard(run: Run, request: HeadersCarrier, options: GuardOptions): Promise<Response | null> {
  let header: unknown;
  try {
    header = request.headers.get('authorization');
  } catch {
    header = undefined;
  }
  const token = bearer(header);
  const call = typeof options === 'object' && options !== null ? { ...options, grantToken: token } : { grantToken: token };
  const decision = await run(call, token === undefined ? NO_BEARER : undefined);
  if (decision.allowed) return null;
  const { status, headers, body } = denialParts(decision);
  return new Response(body, { status, headers });
}
