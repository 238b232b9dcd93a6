/**
 * The authorization flow with PKCE (RFC 7636, S256): the agent keeps a secret verifier, sends only
 * its hash with the authorization request, and proves it holds the verifier when it exchanges the
 * code. A stolen authorization code is useless without it.
 *
 *   GRANTEX_BASE_URL=… GRANTEX_API_KEY=… node scripts/run-example.mjs examples/authorization-pkce.ts
 */
import { Grantex } from '@grantex/sdk';
import { generatePkce, PkceVerificationError, verifyCodeVerifier } from '@grantex/sdk/pkce';

const client = new Grantex(); // GRANTEX_API_KEY and GRANTEX_BASE_URL from the environment

const agent = await client.agents.register({ name: 'inbox-triage', scopes: ['email:read'] });

// #region request
// 1. Before redirecting the user: make a PKCE pair and keep the verifier (e.g. in the session).
const pkce = await generatePkce();

const request = await client.authorize({
  agentId: agent.agentId,
  userId: 'user_123',
  scopes: ['email:read'],
  redirectUri: 'https://app.example/oauth/callback',
  state: crypto.randomUUID(), // check it again on the callback
  codeChallenge: pkce.codeChallenge,
  codeChallengeMethod: pkce.codeChallengeMethod,
});
// Send the user's browser to request.consentUrl.
// #endregion request
console.log('consent URL:', request.consentUrl);

// 2. The user approves; your redirectUri receives ?code=…&state=…. A sandbox key gets the code at
//    once; here the public consent endpoint stands in for the user's browser.
const code = request.code ?? (await client.consent.approve(request.authRequestId)).code;

// #region exchange
// 3. On the callback: exchange the code together with the verifier.
const token = await client.tokens.exchange({ code, agentId: agent.agentId, codeVerifier: pkce.codeVerifier });
// #endregion exchange
console.log('grant token issued for grant', token.grantId, 'scopes', token.scopes.join(' '));

// What the server checks, shown locally: the verifier hashes to the challenge. The check resolves
// to nothing and rejects on a mismatch, so a forgotten `await` cannot turn into a pass.
// #region verify
await verifyCodeVerifier(pkce.codeVerifier, pkce.codeChallenge);
console.log('verifier matches challenge: true');
try {
  await verifyCodeVerifier((await generatePkce()).codeVerifier, pkce.codeChallenge);
} catch (error) {
  if (!(error instanceof PkceVerificationError)) throw error;
  console.log('another verifier ->', error.code); // PKCE_VERIFIER_MISMATCH: answer 400 invalid_grant
}
// #endregion verify
client.close();
