/**
 * Webhooks: subscribe to events, then receive deliveries and verify them (HMAC-SHA256 over
 * "<timestamp>.<raw body>", with a replay window). The receiver below is a plain Node HTTP server
 * on 127.0.0.1; the same handler code runs in Workers, Deno and Bun (it uses only WebCrypto).
 * `signWebhookPayload` plays the Grantex server, so no real delivery is needed.
 *
 *   GRANTEX_BASE_URL=… GRANTEX_API_KEY=… node scripts/run-example.mjs examples/webhooks.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Grantex } from '@grantex/sdk';
import {
  constructWebhookEvent,
  createWebhookVerifier,
  isKnownWebhookEvent,
  signWebhookPayload,
  verifyLegacyWebhookSignature,
  WebhookVerificationError,
} from '@grantex/sdk/webhooks';

const client = new Grantex();

// #region subscribe
const webhook = await client.webhooks.create({
  url: 'https://app.example/webhooks/grantex',
  events: ['grant.created', 'grant.revoked', 'token.issued'],
});
// The signing secret is returned only now: keep it in your secret store.
const secret = webhook.secret;
// #endregion subscribe
console.log('subscribed webhook', webhook.id, 'to', webhook.events.join(', '));

// #region receive
// A receiver: read the RAW body as bytes (before any JSON parsing), verify, then act.
async function handleDelivery(request: Request): Promise<Response> {
  const payload = await request.arrayBuffer();
  try {
    const event = await constructWebhookEvent({ payload, headers: request.headers, secret });
    if (!isKnownWebhookEvent(event)) return new Response(null, { status: 204 }); // a newer event type
    switch (event.type) {
      case 'grant.revoked':
        console.log(`received grant.revoked for ${event.data.grantId} (cascade: ${event.data.cascade})`);
        break;
      case 'grant.created':
      case 'token.issued':
        console.log(`received ${event.type} for ${event.data.grantId}`);
        break;
    }
    return new Response('ok');
  } catch (error) {
    if (error instanceof WebhookVerificationError) return new Response(error.code, { status: 400 });
    throw error;
  }
}
// #endregion receive

// Serve the handler from Node's http module (Workers, Deno and Bun pass a Request directly).
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const request = new Request(`http://127.0.0.1${req.url}`, {
    method: req.method,
    headers: req.headers as Record<string, string>,
    body: Buffer.concat(chunks),
  });
  const response = await handleDelivery(request);
  res.writeHead(response.status, { 'content-type': 'text/plain' }).end(await response.text());
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/grantex`;

// #region test-delivery
// Test a receiver without a server: sign a payload exactly as Grantex does.
const body = JSON.stringify({ id: 'evt_1', type: 'grant.revoked', createdAt: new Date().toISOString(), data: { grantId: 'grnt_1', cascade: true } });
const headers = await signWebhookPayload({ payload: body, secret });
const accepted = await fetch(receiverUrl, { method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' } });
// #endregion test-delivery
console.log('authentic delivery ->', accepted.status, await accepted.text());

const tampered = await fetch(receiverUrl, { method: 'POST', body: body.replace('grnt_1', 'grnt_2'), headers });
console.log('tampered delivery ->', tampered.status, await tampered.text());

// #region legacy
// Only the older X-Grantex-Signature (the body alone, no timestamp): resolves, or rejects with a
// WebhookVerificationError. There is no boolean to test, and so none to forget to await.
await verifyLegacyWebhookSignature({ payload: body, headers, secret });
// #endregion legacy
console.log('legacy signature verified');

// #region verifier
// A busy receiver creates one verifier next to its route: each secret's key is imported once.
const webhooks = createWebhookVerifier();
const event = await webhooks.constructEvent({ payload: body, headers, secret });
// #endregion verifier
console.log('verifier checked', event.id);

server.close();
client.close();
