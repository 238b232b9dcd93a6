import { createLocalJWKSet, createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import { GrantexConfigurationError, GrantTokenError } from '../errors.js';
import { toKeyError, type KeyOrigin } from './map-error.js';
import type { GrantVerifierOptions, RemoteKeyOptions } from './types.js';
import { readCappedBody } from '../internal/capped-body.js';

const GRANTEX_JWKS = 'https://api.grantex.dev/.well-known/jwks.json';
const WELL_KNOWN = '/.well-known/jwks.json';
/** A real JWKS is one or two kilobytes with two or three keys; these leave ample room for rotation. */
const MAX_JWKS_BYTES = 64 * 1024;
const MAX_JWKS_KEYS = 32;
const TIMEOUT_MS = 5000;

/** A key resolver plus the issuer that goes with it. */
export interface KeySource {
  readonly getKey: JWTVerifyGetKey;
  readonly issuer: string;
}

/** The issuer implied by a JWKS URL; `undefined` when the URL implies none. */
function issuerOf(url: URL): string | undefined {
  if (url.href === GRANTEX_JWKS) return 'https://grantex.dev';
  const { origin, pathname } = url;
  return pathname.endsWith(WELL_KNOWN) ? origin + pathname.slice(0, -WELL_KNOWN.length) : undefined;
}

type Fetch = NonNullable<RemoteKeyOptions['fetch']>;

/** A network error's code (`ECONNREFUSED`, `ENOTFOUND`, …) where the runtime gives one. */
function causeCode(error: unknown): string {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code ?? (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,39}$/.test(code) ? ` (${code})` : '';
}

/**
 * Wraps the JWKS fetch so that the response is bounded (bytes while streaming, number of keys) and
 * every failure says what happened and where. jose's own checks still run on what this returns.
 */
function boundedFetch(fetchImpl: Fetch, host: string, timeoutMs: number, maxBytes: number, maxKeys: number): Fetch {
  const fail = (what: string) => new GrantTokenError('JWKS_UNAVAILABLE', `Could not load the JWKS from ${host}: ${what}`);
  return async (url, init) => {
    try {
      const response = await fetchImpl(url, init);
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => {});
        throw fail(`HTTP ${response.status}, expected 200`);
      }
      const bytes = await readCappedBody(response, maxBytes);
      if (!bytes) throw fail(`the response is larger than ${maxBytes} bytes (maxJwksBytes)`);
      let jwks: unknown;
      try {
        jwks = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        throw fail('the response is not JSON');
      }
      const keys = (jwks as { keys?: unknown } | null)?.keys;
      if (!Array.isArray(keys)) throw fail('the response has no "keys" array');
      if (keys.length > maxKeys) throw fail(`it has ${keys.length} keys, more than ${maxKeys} (maxJwksKeys)`);
      // jose reads only `status` and `json()`; the body has been read and parsed once already.
      return { status: 200, json: async () => jwks } as unknown as Response;
    } catch (error) {
      if (error instanceof GrantTokenError) throw error;
      // The only signal jose passes is its timeout.
      if (init.signal?.aborted) throw fail(`no answer within ${timeoutMs} ms`);
      throw fail(`the request failed${causeCode(error)}`);
    }
  };
}

/**
 * Builds the key resolver for a verifier. Exactly one of `jwks` or `jwksUri` must be given; the
 * resolver reports key problems as `TOKEN_KEY_UNKNOWN` or `JWKS_UNAVAILABLE`.
 */
export function createKeySource(options: GrantVerifierOptions): KeySource {
  const { jwks, jwksUri } = options;
  let { issuer } = options;
  let keys: JWTVerifyGetKey;
  let origin: KeyOrigin = { host: undefined, timeoutMs: TIMEOUT_MS };
  try {
    if ((jwks === undefined) === (jwksUri === undefined)) throw 0;
    if (jwks) {
      // jose reads the set without changing it; its type only lacks `readonly`.
      keys = createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]);
    } else {
      const url = new URL(jwksUri!);
      const { timeoutMs = TIMEOUT_MS, cooldownMs, cacheMaxAgeMs, fetch: custom, maxJwksBytes = MAX_JWKS_BYTES, maxJwksKeys = MAX_JWKS_KEYS } = options as RemoteKeyOptions;
      origin = { host: url.host, timeoutMs };
      // The global fetch is looked up per request, so that a runtime's or a test's later replacement is used.
      const fetchImpl: Fetch = custom ?? ((input, init) => fetch(input, init));
      keys = createRemoteJWKSet(url, {
        timeoutDuration: timeoutMs,
        cooldownDuration: cooldownMs,
        cacheMaxAge: cacheMaxAgeMs,
        [customFetch]: boundedFetch(fetchImpl, url.host, timeoutMs, maxJwksBytes, maxJwksKeys),
      });
      issuer ??= issuerOf(url);
    }
  } catch {
    throw new GrantexConfigurationError('Pass either `jwksUri` (a URL) or `jwks` (a JWKS), with non-negative durations');
  }
  // Never fall back to "any issuer": a token from another Grantex deployment must not pass.
  if (!issuer) throw new GrantexConfigurationError('Pass `issuer`: it cannot be derived from this `jwksUri` or `jwks`');
  if (typeof issuer !== 'string') throw new GrantexConfigurationError('`issuer` must be a string');
  const from = origin;
  // A plain `.catch` rather than an async wrapper: this runs on every verification.
  const getKey: JWTVerifyGetKey = (header, token) =>
    (keys(header, token) as Promise<CryptoKey>).catch((error: unknown) => {
      throw toKeyError(error, header.kid, from);
    });
  return { getKey, issuer };
}
