import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { grantFor, harness, type Harness } from './support.js';

/**
 * The test server's own outbound calls (webhook deliveries, SSO identity providers) go through the
 * global fetch for loopback destinations only, unless the test passes a `fetch`: a test suite that
 * registers `https://hooks.example/...` never sends anything to the internet.
 */
let h: Harness | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  receiver = undefined;
  h = undefined;
});

/** A loopback endpoint that records the event types POSTed to it. */
async function loopbackReceiver(host: string): Promise<{ url: string; received: string[] }> {
  const received: string[] = [];
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push((JSON.parse(body) as { type: string }).type);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
  return { url: `http://${host}:${(receiver.address() as AddressInfo).port}/hooks`, received };
}

describe('outbound calls of the test server', () => {
  it.each(['127.0.0.1', 'localhost'])('delivers webhooks to a loopback endpoint (%s) through the global fetch', async (host) => {
    const { url, received } = await loopbackReceiver(host);
    h = harness();
    await h.call('POST', '/v1/webhooks', { body: { url, events: ['grant.created'] } });
    await grantFor(h);
    expect(received).toEqual(['grant.created']);
    expect(h.server.deliveries[0]).toMatchObject({ url, status: 'delivered', attempts: 1 });
  });

  it.each(['https://hooks.example/grantex', 'http://128.0.0.1/hooks', 'http://localhost.example/hooks', 'http://10.0.0.1/hooks'])(
    'never calls a non-loopback address (%s) by default: the attempt fails like an unreachable host',
    async (url) => {
      // Should the guard ever fail, the spy answers instead of the network.
      const spy = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('no network in tests'));
      h = harness();
      await h.call('POST', '/v1/webhooks', { body: { url, events: ['grant.created'] } });
      await grantFor(h);
      expect(spy.mock.calls.map(([input]) => String(input instanceof Request ? input.url : input))).not.toContain(url);
      expect(h.server.deliveries[0]).toMatchObject({ url, attempts: 1 });
      expect(h.server.deliveries[0]!.status).not.toBe('delivered');
    },
  );

  it('a fetch passed to createTestServer decides for every address', async () => {
    const seen: string[] = [];
    h = harness({ fetch: async (input) => (seen.push(String(input)), new Response(null, { status: 204 })) });
    await h.call('POST', '/v1/webhooks', { body: { url: 'https://hooks.example/grantex', events: ['grant.created'] } });
    await grantFor(h);
    expect(seen).toEqual(['https://hooks.example/grantex']);
    expect(h.server.deliveries[0]).toMatchObject({ status: 'delivered' });
  });
});
