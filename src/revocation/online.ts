/**
 * The online check: `POST /v1/tokens/verify` with the API key, over the runtime's own `fetch`.
 * It answers whether the API still accepts a token; every failure to find out is an `unknown`
 * with a reason written here (never the server's text, which could echo the key).
 */
import { unrefTimer } from '../events/session.js';
import type { RevocationSettings } from './options.js';
import { readCappedBody } from '../internal/capped-body.js';

/** What the API said about a token, or why it could not be asked. */
export type OnlineAnswer = { readonly status: 'active' } | { readonly status: 'revoked' } | { readonly status: 'unknown'; readonly reason: string };

/** The longest an online check waits for the API, whatever `maxStaleness` is. */
export const MAX_REQUEST_MS = 10_000;
/** The answer is `{valid, …}`: a few hundred bytes. A longer body is not read. */
const MAX_ANSWER_BYTES = 16_384;

/** One online check of `token`. `fetchImpl` is called detached (a runtime's fetch refuses a foreign `this`). */
export async function verifyOnline(settings: RevocationSettings, token: string, fetchImpl: typeof fetch = globalThis.fetch): Promise<OnlineAnswer> {
  const limit = Math.min(settings.maxStaleness, MAX_REQUEST_MS);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limit);
  unrefTimer(timer);
  try {
    let response: Response;
    try {
      response = await fetchImpl(`${settings.baseUrl}/v1/tokens/verify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${settings.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ token }),
        // The key must never follow a redirect to another origin.
        redirect: 'manual',
        signal: controller.signal,
      });
    } catch {
      return unknown(controller.signal.aborted ? `the API did not answer within ${limit} ms` : 'the API could not be reached');
    }
    const { status } = response;
    if (status !== 200) {
      response.body?.cancel().catch(() => undefined);
      if (response.type === 'opaqueredirect' || (status >= 300 && status < 400)) return unknown(`the API answered with a redirect (${status}), which is not followed`);
      if (status === 401 || status === 403) return unknown(`the API refused the API key (${status})`);
      if (status === 429) return unknown('the API is rate limiting this key (429)');
      return unknown(`the API answered ${status}`);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(await readCapped(response, MAX_ANSWER_BYTES));
    } catch {
      return unknown(controller.signal.aborted ? `the API did not answer within ${limit} ms` : 'the API answered with something other than a verification result');
    }
    const valid = (answer as { valid?: unknown } | null)?.valid;
    if (valid === true) return { status: 'active' };
    if (valid === false) return { status: 'revoked' };
    return unknown('the API answered with something other than a verification result');
  } finally {
    clearTimeout(timer);
  }
}

const unknown = (reason: string): OnlineAnswer => ({ status: 'unknown', reason });

/** The body as text, refusing (throwing) past `limit` bytes. */
async function readCapped(response: Response, limit: number): Promise<string> {
  const bytes = await readCappedBody(response, limit);
  if (bytes === undefined) throw new RangeError('answer too large');
  return new TextDecoder().decode(bytes);
}
