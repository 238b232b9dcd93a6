/**
 * Verifiable credentials and agent passports: check a VC-JWT or an SD-JWT presentation (public
 * calls, no API key needed), read the issuer's DID document, and issue, read and revoke an agent
 * passport. Runs against the suite's mock of the API, or any server with GRANTEX_BASE_URL and
 * GRANTEX_API_KEY.
 *
 *   node scripts/run-example.mjs examples/credentials.ts
 */
import { Grantex } from '@grantex/sdk';

const client = new Grantex();
// A VC-JWT as an agent would present it (here: the spec's example, so the mock recognises it).
const vcJwt = process.env.EXAMPLE_VC_JWT ?? 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImdyYW50ZXgtMjAyNi0xMSIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJkaWQ6d2ViOmdyYW50ZXguZGV2In0.c2lnbmF0dXJl';

// #region verify
// Anyone can check a credential: the call needs no API key.
const verifier = new Grantex({ apiKey: undefined });
const result = await verifier.credentials.verify({ credential: vcJwt });
console.log(result.valid ? `credential ${result.vcId} is valid` : `credential refused: ${result.error}`);
const did = await client.didDocument();
console.log(`issuer ${did.id} publishes ${did.verificationMethod.length} key(s)`);
// #endregion verify

// #region passport
const passport = await client.passports.issue({
  agentId: 'ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
  grantId: 'grnt_01M81NX4VT1ACS2C7J47VD5C9R',
  allowedMPPCategories: ['inference', 'data'],
  maxTransactionAmount: { amount: 25, currency: 'USD' },
  expiresIn: '24h',
});
console.log(`issued passport ${passport.passportId}`);
for await (const issued of client.passports.list()) console.log(`passport ${issued.passportId} ${issued.status}`);
await client.passports.revoke(passport.passportId);
console.log('revoked the passport');
// #endregion passport

client.close();
