/**
 * Types of live revocation: how an enforcer or a verifier learns that a token it verified offline
 * was revoked since it was issued.
 */

/**
 * How revocation is seen:
 * - `'offline'`: not at all (the default): a token is good until it expires.
 * - `'online'`: each token is checked with `POST /v1/tokens/verify` at most once per `maxStaleness`.
 * - `'events'`: the live event feed reports revoked grants as they happen, and the online check
 *   covers what the feed cannot say (a token revoked by its `jti`, the time the feed was down).
 *
 * @example
 * ```ts
 * const mode: RevocationMode = process.env.NODE_ENV === 'test' ? 'offline' : 'events';
 * ```
 */
export type RevocationMode = 'events' | 'online' | 'offline';

/**
 * The `revocation` option of `createEnforcer` and `createGrantVerifier`.
 *
 * @example
 * ```ts
 * const revocation: RevocationOptions = { mode: 'events', apiKey: process.env.GRANTEX_API_KEY!, maxStaleness: 5_000 };
 * const enforcer = createEnforcer({ jwksUri, developerId: 'dev_01HXYZ', manifests, revocation });
 * ```
 */
export type RevocationOptions =
  | {
      /** No live revocation: the default. */
      readonly mode: 'offline';
    }
  | {
      readonly mode: 'events' | 'online';
      /** The API key of the developer the tokens are issued for; it reads the feed and checks tokens. */
      readonly apiKey: string;
      /** The API's base URL. Default `https://api.grantex.dev`. */
      readonly baseUrl?: string | URL | undefined;
      /**
       * Milliseconds an online answer about a token is reused, and the longest a check waits for
       * one. Default 5000; from 1 to 2 147 483 647.
       */
      readonly maxStaleness?: number | undefined;
      /**
       * When the status of a token cannot be established within `maxStaleness` (the API
       * unreachable, rate limited, the key refused): `'deny'` (default) denies with
       * `REVOCATION_UNKNOWN` (503 in `guard`); `'allow'` lets the call through and says so in the
       * decision (`revocationUnknown: true`) that `onDecision` receives.
       */
      readonly onUnavailable?: 'deny' | 'allow' | undefined;
    };

/**
 * What the revocation check says about one verified token.
 *
 * @example
 * ```ts
 * const verdict: RevocationVerdict = { status: 'revoked', message: 'Grant grnt_01 was revoked' };
 * ```
 */
export type RevocationVerdict =
  | { readonly status: 'active' }
  | { readonly status: 'revoked'; readonly message: string }
  | { readonly status: 'unknown'; readonly message: string };
