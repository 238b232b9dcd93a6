/**
 * Small adapters between what a generated operation resolves with and what a resource method
 * returns, so resource methods stay one line each.
 */

/** Operations answered with 204 resolve to `undefined`, not to the client's empty placeholder. */
export async function discardBody<R extends { data: unknown }>(result: Promise<R>): Promise<Omit<R, 'data'> & { data: undefined }> {
  return { ...(await result), data: undefined };
}

/** Reshapes the data of a generated result (e.g. decoding a double-encoded JSON field). */
export async function mapData<R extends { data: unknown }, U>(
  result: Promise<R>,
  map: (data: R['data']) => U,
): Promise<Omit<R, 'data'> & { data: U }> {
  const resolved = await result;
  return { ...resolved, data: map(resolved.data) };
}

/**
 * Turns an API error into a successful result, for the few operations whose documented error
 * status carries an answer (a degraded health report, a failed connection test).
 */
export function resultFromError<T>(error: { readonly status: number; readonly headers: Headers }, data: T) {
  return { data, response: new Response(null, { status: error.status, headers: error.headers }), request: new Request('about:blank') };
}
