// The server's default outbound fetch (webhook deliveries, SSO identity providers): loopback
// addresses only, so that a test suite never reaches the internet by accident.

/** True for `localhost`, `127.0.0.0/8` and `[::1]`: where a test's own servers listen. */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** The default outbound fetch: the global one, for loopback destinations only. */
export async function loopbackFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input);
  if (!isLoopbackHost(url.hostname)) {
    throw new TypeError(`the test server calls only loopback addresses by default, not ${url.host}; pass \`fetch\` to createTestServer to reach it`);
  }
  return globalThis.fetch(input, init);
}
