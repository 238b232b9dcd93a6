/**
 * The main entry's doors to offline verification. They load `@grantex/sdk/jwt` (and with it
 * `jose`) on first use, so importing the client costs nothing for code that never verifies a
 * token offline. Import from `@grantex/sdk/jwt` directly to load it eagerly.
 */
import { readVerifierOptions } from './jwt/options.js';
import type { GrantCheckOptions, GrantVerifier, GrantVerifierOptions, VerifiedGrant } from './jwt/types.js';

type JwtModule = typeof import('./jwt/index.js');

let jwtModule: Promise<JwtModule> | undefined;
const loadJwt = (): Promise<JwtModule> => (jwtModule ??= import('./jwt/index.js'));

/**
 * Builds a reusable offline verifier (see `@grantex/sdk/jwt`). Option names, the `developerId` pin
 * and the check values are checked here, at once; the verification code is loaded on the first
 * `verify` call, and problems with the keys (`jwks`, `jwksUri`, `issuer`) and with `revocation`
 * are reported there.
 *
 * @example
 * ```ts
 * const verifier = createGrantVerifier({ jwksUri: 'https://api.grantex.dev/.well-known/jwks.json', developerId: 'dev_01HXYZ', requiredScopes: ['calendar:read'] });
 * const grant = await verifier.verify(token);
 * ```
 */
export function createGrantVerifier(options: GrantVerifierOptions): GrantVerifier {
  readVerifierOptions(options);
  // A copy, so that changes to the caller's object before the first call cannot loosen the checks.
  const pinned = { ...options, ...(Array.isArray(options.requiredScopes) && { requiredScopes: [...options.requiredScopes] }) };
  let verifier: Promise<GrantVerifier> | undefined;
  const close = async (): Promise<void> => {
    if (verifier) await (await verifier).close();
  };
  return Object.freeze({
    verify: async (token: string, overrides?: GrantCheckOptions): Promise<VerifiedGrant> => {
      verifier ??= loadJwt().then((jwt) => jwt.createGrantVerifier(pinned));
      return (await verifier).verify(token, overrides);
    },
    close,
    [Symbol.asyncDispose]: close,
  });
}

/**
 * Verifies one grant token offline (see `@grantex/sdk/jwt`).
 *
 * @example
 * ```ts
 * const grant = await verifyGrantToken(token, { jwksUri: 'https://api.grantex.dev/.well-known/jwks.json', developerId: 'dev_01HXYZ', requiredScopes: ['calendar:read'] });
 * console.log(grant.principalId, grant.scopes);
 * ```
 */
export async function verifyGrantToken(token: string, options: GrantVerifierOptions): Promise<VerifiedGrant> {
  return (await loadJwt()).verifyGrantToken(token, options);
}
