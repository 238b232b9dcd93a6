/**
 * The `Response` an authorized fetch returns: a new one over the upstream's status, headers and
 * body. The runtime's own response remembers the URL it was fetched from, which holds the
 * credential when it goes in the query; the copy knows only the URL the caller asked for.
 */

/** Statuses whose response may not have a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** A copy of `response` whose `url` is `url` (without the credential) and `redirected` as given. */
export function detachResponse(response: Response, url: string, redirected: boolean): Response {
  const empty = NULL_BODY.has(response.status);
  if (empty) void response.body?.cancel().catch(() => undefined);
  const copy = new Response(empty ? null : response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
  try {
    Object.defineProperties(copy, { url: { value: url }, redirected: { value: redirected } });
  } catch {
    // A runtime whose Response refuses own properties leaves `url` empty, which is still safe.
  }
  return copy;
}
