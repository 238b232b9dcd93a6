/**
 * Offline verification of Grantex grant tokens (RS256 JWTs), for any JavaScript runtime:
 * Node, Deno, Bun, Cloudflare Workers and browsers. Depends only on `jose` and WebCrypto.
 *
 * @module @grantex/sdk/jwt
 */
export { createGrantVerifier, verifyGrantToken } from './verifier.js';
export { MAX_TOKEN_LENGTH } from './payload.js';
export { decodeGrantToken } from './decode.js';
export type * from './types.js';
export type { RevocationMode, RevocationOptions } from '../revocation/types.js';
export { GrantTokenError, type GrantTokenErrorCode } from '../errors.js';
