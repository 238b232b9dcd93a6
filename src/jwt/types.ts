import type { RevocationOptions } from '../revocation/types.js';

// `Symbol.asyncDispose` is in the ES2022+DOM libs of older setups only as a runtime value; this
// declaration lets consumers compile against `[Symbol.asyncDispose]` without `lib: esnext`.
declare global {
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}

/**
 * A JSON Web Key Set as the Grantex JWKS endpoint serves it: the SDK's own type, so that the
 * published declarations do not pull in jose's types (which break `node16` CommonJS consumers).
 *
 * @example
 * ```ts
 * const jwks: JsonWebKeySet = { keys: [{ kty: 'RSA', kid: 'grantex-2026-11', alg: 'RS256', use: 'sig', n: '…', e: 'AQAB' }] };
 * ```
 */
export interface JsonWebKeySet {
  readonly keys: readonly JsonWebKeyEntry[];
}

/** One key of a {@link JsonWebKeySet}: the JWK members of RSA, EC and OKP public keys. */
export interface JsonWebKeyEntry {
  readonly kty?: string | undefined;
  readonly kid?: string | undefined;
  readonly alg?: string | undefined;
  readonly use?: string | undefined;
  readonly key_ops?: readonly string[] | undefined;
  readonly n?: string | undefined;
  readonly e?: string | undefined;
  readonly crv?: string | undefined;
  readonly x?: string | undefined;
  readonly y?: string | undefined;
  readonly x5c?: readonly string[] | undefined;
  readonly x5t?: string | undefined;
  readonly 'x5t#S256'?: string | undefined;
  readonly x5u?: string | undefined;
  readonly ext?: boolean | undefined;
}

/**
 * The claims of a grant token, mapped to readable names. Shared by {@link VerifiedGrant} (checked)
 * and {@link UnverifiedGrant} (only decoded).
 *
 * Times are `Date` objects: the token carries whole seconds, and a `Date` removes any doubt about
 * the unit. Each call returns new instances, so mutating one cannot affect another result.
 */
export interface GrantClaims {
  /** `jti`: the token id (`tok_…`); revoke a single token with it. */
  readonly tokenId: string;
  /** `grnt`: the grant this token was issued for (`grnt_…`). */
  readonly grantId: string;
  /** `sub`: the principal (end user) who approved the grant. */
  readonly principalId: string;
  /** `agt`: the DID of the agent that may use the token. */
  readonly agentDid: string;
  /** `dev`: the developer that owns the agent. */
  readonly developerId: string;
  /** `scp`: the scopes granted; a frozen array. */
  readonly scopes: readonly string[];
  /** `iat`: when the token was issued. */
  readonly issuedAt: Date;
  /** `exp`: when the token stops being valid. */
  readonly expiresAt: Date;
  /** `aud`: present only when the grant was requested for an audience. */
  readonly audience?: string | undefined;
  /** `bdg`: the remaining budget, present only on refreshed tokens of a grant with a budget. */
  readonly budget?: number | undefined;
  /** `delegationDepth`: 0 for a token issued to the agent the principal approved, ≥ 1 when delegated. */
  readonly delegationDepth: number;
  /** `parentAgt`: on delegated tokens, the DID of the agent that delegated. */
  readonly parentAgentDid?: string | undefined;
  /** `parentGrnt`: on delegated tokens, the grant it was delegated from. */
  readonly parentGrantId?: string | undefined;
}

/** A grant token whose signature, issuer, lifetime and claims were checked. Frozen. */
export interface VerifiedGrant extends GrantClaims {
  /** Always `true`; tells a verified grant apart from an {@link UnverifiedGrant} at compile time. */
  readonly verified: true;
}

/** A grant token that was only decoded: nothing about it can be trusted. Frozen. */
export interface UnverifiedGrant extends GrantClaims {
  /** Always `false`: the signature was NOT checked. */
  readonly verified: false;
}

/**
 * Checks that may differ per call. Set them on the verifier; values passed to `verify` replace the
 * verifier's for that call, and an `undefined` value never removes a configured check.
 */
export interface GrantCheckOptions {
  /**
   * The audience this service identifies as. When set, only tokens whose `aud` equals it pass. When
   * not set, tokens that carry any `aud` are rejected: they were issued for someone else (RFC 7519 §4.1.3).
   */
  audience?: string | undefined;
  /** Scopes the token must all carry; otherwise `TOKEN_SCOPES_MISSING` lists the missing ones. */
  requiredScopes?: readonly string[] | undefined;
  /** Largest accepted `delegationDepth` (0 accepts only tokens that were not delegated). Default: no limit. */
  maxDelegationDepth?: number | undefined;
  /**
   * Seconds of clock skew allowed for `exp`, `nbf` and `iat`. Default 5: a token is stamped with whole
   * seconds, so a few milliseconds of skew would otherwise reject a freshly issued token. A value
   * that is not a number makes every token fail rather than disabling the checks.
   */
  clockTolerance?: number | undefined;
  /** The instant to check against instead of the current time (tests, replaying logs). */
  now?: Date | undefined;
}

/**
 * Bounds of the verified-token cache. A token that verified is answered from memory until
 * `min(exp, verified at + maxAgeMs)`; the checks that depend on the clock and on the call
 * (lifetime, audience, scopes, delegation depth) still run on every call.
 *
 * @example
 * ```ts
 * const verifier = createGrantVerifier({ jwksUri, developerId: 'dev_01HXYZ', cache: { maxEntries: 1_000, maxAgeMs: 30_000 } });
 * ```
 */
export interface TokenCacheOptions {
  /** Most tokens kept; the least recently used one is dropped first. Default 10000. */
  maxEntries?: number | undefined;
  /** Longest time, in milliseconds, a token is answered without checking its signature again. Default 60000. */
  maxAgeMs?: number | undefined;
}

/**
 * Which developer's tokens a verifier accepts. Every Grantex developer's tokens share one issuer
 * and one signing key, so a token's signature alone does not say it was minted for you: pin your
 * developer id (the `dev` claim, `dev_…`), or say explicitly that any developer's token will do.
 *
 * @example
 * ```ts
 * createGrantVerifier({ jwksUri, developerId: 'dev_01HXYZ' }); // only tokens minted for dev_01HXYZ
 * createGrantVerifier({ jwksUri, anyDeveloper: true }); // a multi-tenant gateway that checks `developerId` itself
 * ```
 */
export type DeveloperPin =
  | {
      /** The developer whose tokens are accepted; others fail with `TOKEN_WRONG_DEVELOPER`. */
      developerId: string;
      anyDeveloper?: never;
    }
  | {
      developerId?: never;
      /** Accept tokens minted for any developer. Check `grant.developerId` yourself. */
      anyDeveloper: true;
    };

/** Options shared by both ways to name the keys. */
interface VerifierBaseOptions extends GrantCheckOptions {
  /** The expected `iss`. See {@link RemoteKeyOptions.jwksUri} for the default. */
  issuer?: string | undefined;
  /**
   * Answer tokens that verified before from memory (see {@link TokenCacheOptions}): `true` for the
   * defaults, or the bounds. Default `false`: every call checks the signature.
   */
  cache?: boolean | TokenCacheOptions | undefined;
  /**
   * Whether `verify` also sees revocations that happened after a token was issued (default
   * `'offline'`: it does not). A revoked token fails with `TOKEN_REVOKED`, one whose status cannot
   * be established with `REVOCATION_UNKNOWN` (unless `onUnavailable: 'allow'`). Not accepted by
   * `verifyGrantToken`: a live mode needs a verifier that lives as long as the program.
   */
  revocation?: RevocationOptions | undefined;
}

/** Verify with keys fetched from the Grantex JWKS endpoint (cached; refetched for an unknown `kid`). */
export interface RemoteKeyOptions extends VerifierBaseOptions {
  /**
   * The JWKS URL, e.g. `https://api.grantex.dev/.well-known/jwks.json`. Unless `issuer` is given, the
   * expected issuer is derived from it: `https://grantex.dev` for that URL, otherwise the URL without
   * its trailing `/.well-known/jwks.json` (`http://localhost:3001/.well-known/jwks.json` →
   * `http://localhost:3001`). Any other URL requires `issuer`.
   */
  jwksUri: string | URL;
  jwks?: never;
  /** Abort a JWKS request after this many milliseconds. Default 5000. */
  timeoutMs?: number | undefined;
  /** Minimum milliseconds between two fetches triggered by unknown `kid`s. Default 30000. */
  cooldownMs?: number | undefined;
  /** Milliseconds after which the keys are fetched again before use. Default 600000 (10 min). */
  cacheMaxAgeMs?: number | undefined;
  /** A `fetch` to use for the JWKS request (custom agents, tests). Default: the global `fetch`. */
  fetch?: ((url: string, init: RequestInit) => Promise<Response>) | undefined;
  /** Largest JWKS response accepted, in bytes, counted while it is read. Default 65536. */
  maxJwksBytes?: number | undefined;
  /** Most keys a JWKS may hold. Default 32. */
  maxJwksKeys?: number | undefined;
}

/** Verify fully offline against a JWKS you provide. `issuer` is then required: nothing implies it. */
export interface LocalKeyOptions extends VerifierBaseOptions {
  /** A JSON Web Key Set, e.g. a stored copy of `/.well-known/jwks.json`. */
  jwks: JsonWebKeySet;
  jwksUri?: never;
  issuer: string;
}

/**
 * Options of {@link createGrantVerifier} and {@link verifyGrantToken}: where the keys come from,
 * whose tokens are accepted ({@link DeveloperPin}), and the checks. Unknown names are rejected.
 *
 * @example
 * ```ts
 * const options: GrantVerifierOptions = {
 *   jwksUri: 'https://api.grantex.dev/.well-known/jwks.json',
 *   developerId: 'dev_01HXYZ',
 *   audience: 'https://calendar.example',
 *   requiredScopes: ['calendar:read'],
 * };
 * ```
 */
export type GrantVerifierOptions = (RemoteKeyOptions | LocalKeyOptions) & DeveloperPin;

/** Verifies grant tokens with keys and settings fixed once. */
export interface GrantVerifier {
  /**
   * Verifies `token` and returns its grant; throws `GrantTokenError` otherwise.
   * `options` override the verifier's checks for this call only; an unknown or mistyped option
   * throws `GrantexInvalidArgumentError`.
   */
  verify(token: string, options?: GrantCheckOptions): Promise<VerifiedGrant>;
  /** Ends the live event feed of `revocation: { mode: 'events' }`; resolves at once otherwise. */
  close(): Promise<void>;
  /** `await using verifier = createGrantVerifier(…)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>;
}
