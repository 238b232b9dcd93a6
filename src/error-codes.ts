/**
 * The stable codes of the errors the helper entries raise (grant tokens, tool enforcement, PKCE,
 * webhooks, authorized fetch). They live in this leaf module, which imports nothing, so that
 * `errors.ts` can list them in `GrantexErrorCode` while each helper's error classes import
 * `errors.ts`: no module of the error tree imports a helper.
 */

/** Stable causes for a grant token that fails verification, offline or online. */
export type GrantTokenErrorCode =
  | 'TOKEN_MALFORMED'
  | 'TOKEN_SIGNATURE_INVALID'
  | 'TOKEN_ALGORITHM_UNSUPPORTED'
  | 'TOKEN_KEY_UNKNOWN'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'TOKEN_ISSUER_INVALID'
  | 'TOKEN_AUDIENCE_INVALID'
  | 'TOKEN_CLAIMS_MISSING'
  | 'TOKEN_SCOPES_MISSING'
  | 'TOKEN_DELEGATION_TOO_DEEP'
  | 'JWKS_UNAVAILABLE'
  // Online verification (`client.grants.verify`) adds what only the server knows:
  | 'TOKEN_REVOKED'
  | 'TOKEN_UNKNOWN'
  | 'TOKEN_WRONG_DEVELOPER'
  | 'TOKEN_INVALID'
  // Live revocation (`revocation: { mode: 'events' | 'online' }`): whether a token is still
  // good could not be established in time (the API unreachable, the key refused, …).
  | 'REVOCATION_UNKNOWN';

/**
 * Why a tool call was denied: a verification code of the grant token (`TOKEN_EXPIRED`,
 * `TOKEN_WRONG_DEVELOPER`, `JWKS_UNAVAILABLE`, …) or one of the enforcement codes.
 *
 * @example
 * ```ts
 * const retryable = (code: DenialCode) => code === 'JWKS_UNAVAILABLE';
 * ```
 */
export type DenialCode =
  | GrantTokenErrorCode
  /** No manifest names the connector. */
  | 'CONNECTOR_UNKNOWN'
  /** The connector's manifest does not name the tool. */
  | 'TOOL_UNKNOWN'
  /** The grant holds no usable scope for the connector. */
  | 'SCOPE_MISSING'
  /** The grant's level for the connector is below the tool's. */
  | 'PERMISSION_INSUFFICIENT'
  /** The amount is above the grant's cap, or the cap cannot be read. */
  | 'AMOUNT_OVER_CAP'
  /** A cap applies and the amount is not a finite number, 0 or more. */
  | 'AMOUNT_INVALID';

/** Why a PKCE code verifier was refused. */
export type PkceVerificationErrorCode =
  /** Not 43-128 characters of `A-Z a-z 0-9 - . _ ~` (RFC 7636 §4.1), or not a string. */
  | 'PKCE_VERIFIER_MALFORMED'
  /** Well-formed, but its S256 hash is not the challenge (or the challenge is not a string). */
  | 'PKCE_VERIFIER_MISMATCH';

/** Why a webhook delivery failed verification. */
export type WebhookVerificationErrorCode =
  | 'WEBHOOK_SIGNATURE_MISSING'
  | 'WEBHOOK_SIGNATURE_INVALID'
  | 'WEBHOOK_TIMESTAMP_INVALID'
  | 'WEBHOOK_TIMESTAMP_OUT_OF_RANGE'
  | 'WEBHOOK_PAYLOAD_INVALID';

/** Why an authorized fetch refused a request before sending it. */
export type AuthorizedFetchErrorCode =
  /** The URL is not absolute `http(s)://host…`, or cannot be parsed. */
  | 'URL_INVALID'
  /** The URL carries a user name or password (`https://user:pass@host`). */
  | 'URL_USERINFO'
  /** The host is not written the way it resolves: a trailing dot, Unicode (IDN), percent-escapes, a short IP form. */
  | 'HOST_NOT_CANONICAL'
  /** The scheme, host or port is not exactly one of `allowedOrigins`. */
  | 'ORIGIN_NOT_ALLOWED'
  /** The caller set `Authorization`, or the header or query parameter the credential goes into. */
  | 'AUTHORIZATION_CONFLICT'
  /** `getGrantToken` threw or gave something that is not a token. */
  | 'GRANT_TOKEN_UNAVAILABLE'
  /** The runtime (a browser) hid a redirect from the SDK, so it could not be handled safely. */
  | 'REDIRECT_HIDDEN'
  /** With `followRedirects`, a chain of more than 20 redirects. */
  | 'TOO_MANY_REDIRECTS';
