/**
 * PKCE (RFC 7636, S256) for Grantex authorization requests, on WebCrypto: runs on Node, Deno, Bun,
 * Cloudflare Workers and browsers.
 *
 * @module @grantex/sdk/pkce
 */
export { computeCodeChallenge, generatePkce, verifyCodeVerifier, type PkcePair } from './pkce.js';
export { PkceVerificationError, type PkceVerificationErrorCode } from './errors.js';
export { GrantexInvalidArgumentError } from '../errors.js';
