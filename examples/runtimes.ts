/**
 * Runtimes: the trust helpers use only WebCrypto (and jose for JWTs), so the same code runs on
 * Node 20+, Deno, Bun, Cloudflare Workers and browsers. Below is a Worker-style `fetch` handler
 * that protects an endpoint with a grant token and accepts webhook deliveries; this file calls it
 * directly with `Request` objects, the way a runtime would. Runs locally, without a server.
 *
 *   node scripts/run-example.mjs examples/runtimes.ts
 */
// #region imports
import { createGrantVerifier } from '@grantex/sdk/jwt';
import { generatePkce } from '@grantex/sdk/pkce';
import { constructWebhookEvent } from '@grantex/sdk/webhooks';
// #endregion imports
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

// Test fixture: a local signing key instead of the Grantex JWKS.
const issuer = 'https://grantex.dev';
const { privateKey, publicKey } = await generateKeyPair('RS256');
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] };
const env = { GRANTEX_WEBHOOK_SECRET: 'whsec_example_secret' };
// The developer your tokens are issued for (`client.me()` tells it); tokens of others are refused.
const developerId = 'dev_1';

// #region worker
// A Cloudflare Worker (also a valid Deno.serve / Bun.serve handler). Create the verifier once per
// isolate, not per request, so the keys stay cached.
const verifier = createGrantVerifier({ jwks, issuer, developerId, requiredScopes: ['calendar:read'] });
// In production: createGrantVerifier({ jwksUri: 'https://api.grantex.dev/.well-known/jwks.json', … })

const worker = {
  async fetch(request: Request, env: { GRANTEX_WEBHOOK_SECRET: string }): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/webhooks/grantex') {
      const event = await constructWebhookEvent({ payload: await request.text(), headers: request.headers, secret: env.GRANTEX_WEBHOOK_SECRET });
      return Response.json({ received: event.type });
    }
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
    try {
      const grant = await verifier.verify(token);
      return Response.json({ hello: grant.principalId, scopes: grant.scopes });
    } catch {
      return new Response('forbidden', { status: 403 });
    }
  },
};
// #endregion worker

const now = Math.floor(Date.now() / 1000);
const token = await new SignJWT({ agt: 'did:grantex:ag_1', dev: 'dev_1', scp: ['calendar:read'], grnt: 'grnt_1' })
  .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
  .setIssuer(issuer)
  .setSubject('user_123')
  .setJti('tok_1')
  .setIssuedAt(now)
  .setExpirationTime(now + 600)
  .sign(privateKey);

const allowed = await worker.fetch(new Request('https://worker.example/calendar', { headers: { authorization: `Bearer ${token}` } }), env);
console.log('with a grant token ->', allowed.status, await allowed.text());
const denied = await worker.fetch(new Request('https://worker.example/calendar'), env);
console.log('without ->', denied.status, await denied.text());

// PKCE in a browser or any runtime: the same WebCrypto call everywhere.
const { codeChallenge } = await generatePkce();
console.log('PKCE challenge length', codeChallenge.length, `(runtime: Node ${process.versions.node})`);
