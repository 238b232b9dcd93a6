/**
 * Offline verification of grant tokens: check the RS256 signature, issuer, lifetime, audience and
 * scopes of a grant token without calling the API. Runs entirely locally: a test key pair stands in
 * for the Grantex signing key, so the example needs no server.
 *
 *   node scripts/run-example.mjs examples/offline-verification.ts
 *
 * In production use the remote JWKS (`jwksUri`), shown at the end.
 */
import { createGrantVerifier, decodeGrantToken, GrantTokenError } from '@grantex/sdk/jwt';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

// --- Test fixture: a key pair and a token signed the way the Grantex API signs them. ---
const issuer = 'https://grantex.dev';
const { privateKey, publicKey } = await generateKeyPair('RS256');
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }] };
const now = Math.floor(Date.now() / 1000);
const token = await new SignJWT({
  agt: 'did:grantex:ag_01EXAMPLE',
  dev: 'dev_01EXAMPLE',
  scp: ['calendar:read'],
  grnt: 'grnt_01EXAMPLE',
})
  .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
  .setIssuer(issuer)
  .setSubject('user_123')
  .setJti('tok_01EXAMPLE')
  .setIssuedAt(now)
  .setExpirationTime(now + 3600)
  .sign(privateKey);

// #region local
// One verifier per service, created once: it keeps the keys and the checks. `developerId` pins the
// developer the tokens must have been issued for (the `dev` claim).
const verifier = createGrantVerifier({ jwks, issuer, developerId: 'dev_01EXAMPLE', requiredScopes: ['calendar:read'] });

const grant = await verifier.verify(token);
console.log(`grant ${grant.grantId}: ${grant.principalId} allowed ${grant.agentDid} [${grant.scopes.join(', ')}] until ${grant.expiresAt.toISOString()}`);
// #endregion local

// #region errors
// A failed check throws GrantTokenError with a stable code.
try {
  await verifier.verify(token, { requiredScopes: ['calendar:write'] });
} catch (error) {
  if (!(error instanceof GrantTokenError)) throw error;
  console.log(`rejected: ${error.code} (missing ${error.missingScopes?.join(', ')})`);
}
// #endregion errors

// #region pin
// Every Grantex developer's tokens share one issuer and one signing key, so the signature alone does
// not say a token is yours. A token minted for another developer is refused, naming both:
try {
  await createGrantVerifier({ jwks, issuer, developerId: 'dev_01SOMEONEELSE' }).verify(token);
} catch (error) {
  if (!(error instanceof GrantTokenError)) throw error;
  console.log(`rejected: ${error.code}: ${error.message}`);
}
// #endregion pin

// #region cache
// A service that sees the same token many times can skip the RSA check for it: a verified token is
// answered from a bounded cache until its exp (or maxAgeMs), and the clock-dependent checks still run.
const cachedVerifier = createGrantVerifier({ jwks, issuer, developerId: 'dev_01EXAMPLE', cache: { maxEntries: 10_000, maxAgeMs: 60_000 } });
await cachedVerifier.verify(token); // verifies the signature
await cachedVerifier.verify(token); // answered from memory
// #endregion cache

// #region decode
// decodeGrantToken reads the claims WITHOUT checking anything: for logs, never for access decisions.
const unverified = decodeGrantToken(token);
console.log('decoded (not verified):', unverified.grantId, unverified.verified);
// #endregion decode

// #region remote
// In production, point the verifier at the API's JWKS: keys are fetched once, cached, and
// refetched when a token names an unknown key id. The issuer is derived from the URL.
// The response is read with a size limit (maxJwksBytes, 64 KiB) and a key-count limit (maxJwksKeys, 32).
export const productionVerifier = createGrantVerifier({
  jwksUri: 'https://api.grantex.dev/.well-known/jwks.json',
  developerId: 'dev_01EXAMPLE',
  requiredScopes: ['calendar:read'],
});
// #endregion remote
