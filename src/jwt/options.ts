import { GrantexConfigurationError, GrantexInvalidArgumentError } from '../errors.js';
import type { GrantCheckOptions, TokenCacheOptions } from './types.js';

/** Checks that a call may override. */
export const CHECK_OPTIONS: readonly string[] = ['audience', 'requiredScopes', 'maxDelegationDepth', 'clockTolerance', 'now'];

/** Everything else a verifier takes. */
export const VERIFIER_OPTIONS: readonly string[] = [
  'jwks', 'jwksUri', 'issuer', 'developerId', 'anyDeveloper', 'cache', 'revocation',
  'timeoutMs', 'cooldownMs', 'cacheMaxAgeMs', 'fetch', 'maxJwksBytes', 'maxJwksKeys',
];

/** Every option `createGrantVerifier` takes. */
export const ALL_OPTIONS: readonly string[] = [...VERIFIER_OPTIONS, ...CHECK_OPTIONS];

const CACHE_OPTIONS: readonly string[] = ['maxEntries', 'maxAgeMs'];

/** The first own key of `options` that is not in `known`. A misspelt check must not be a silently missing one. */
export function unknownOption(options: object, known: readonly string[]): string | undefined {
  for (const key of Object.keys(options)) if (!known.includes(key)) return key;
  return undefined;
}

/** `undefined` when the values of the per-call checks are usable, otherwise what is wrong. */
export function checkValuesProblem(options: GrantCheckOptions): string | undefined {
  const { audience, requiredScopes, maxDelegationDepth, now } = options;
  if (audience !== undefined && (typeof audience !== 'string' || audience === '')) return '`audience` must be a non-empty string';
  // A string would otherwise be read character by character.
  if (requiredScopes !== undefined && !(Array.isArray(requiredScopes) && requiredScopes.every((scope) => typeof scope === 'string'))) {
    return "`requiredScopes` must be an array of strings, e.g. ['payments:write']";
  }
  if (maxDelegationDepth !== undefined && !(typeof maxDelegationDepth === 'number' && maxDelegationDepth >= 0)) {
    return '`maxDelegationDepth` must be a number, 0 or more';
  }
  // Duck-typed rather than `instanceof Date`, which fails for a Date from another realm.
  if (now !== undefined && !(typeof (now as Partial<Date>)?.getTime === 'function' && Number.isFinite(now.getTime()))) {
    return '`now` must be a valid Date';
  }
  return undefined;
}

/** Throws `GrantexInvalidArgumentError` for per-call overrides with an unknown name or an unusable value. */
export function assertCallOptions(options: GrantCheckOptions): void {
  if (typeof options !== 'object' || options === null) throw new GrantexInvalidArgumentError('Verification options must be an object');
  const unknown = unknownOption(options, CHECK_OPTIONS);
  if (unknown !== undefined) {
    throw new GrantexInvalidArgumentError(`Unknown verification option ${JSON.stringify(unknown)}; a call can set ${CHECK_OPTIONS.join(', ')}`);
  }
  const problem = checkValuesProblem(options);
  if (problem) throw new GrantexInvalidArgumentError(problem);
}

/** The normalised bounds of the token cache, or `undefined` when it is off. */
export interface CacheBounds {
  readonly maxEntries: number;
  readonly maxAgeMs: number;
}

const isPositiveInteger = (value: unknown) => Number.isSafeInteger(value) && (value as number) > 0;
const fail = (message: string) => new GrantexConfigurationError(message);

/** What a verifier is configured with beyond its keys, checked once. */
export interface VerifierSettings {
  /** The developer id every token must carry, or `undefined` with `anyDeveloper: true`. */
  readonly developerId: string | undefined;
  readonly cache: CacheBounds | undefined;
}

/**
 * Checks everything a verifier is built with except the key source (see keys.ts): option names,
 * the developer pin, the cache bounds, the JWKS limits and the default checks. Throws
 * `GrantexConfigurationError`; `defaultCache` is what an absent `cache` option means.
 */
export function readVerifierOptions(options: unknown, known: readonly string[] = ALL_OPTIONS, defaultCache = false): VerifierSettings {
  if (typeof options !== 'object' || options === null) throw fail('Pass an options object');
  const unknown = unknownOption(options, known);
  if (unknown !== undefined) throw fail(`Unknown option ${JSON.stringify(unknown)}; known options: ${known.join(', ')}`);
  const { developerId, anyDeveloper, cache, maxJwksBytes, maxJwksKeys } = options as Record<string, unknown>;
  if (anyDeveloper !== undefined && anyDeveloper !== true) throw fail('`anyDeveloper` must be `true` when given');
  if (anyDeveloper === true && developerId !== undefined) throw fail('Pass either `developerId` or `anyDeveloper: true`, not both');
  if (anyDeveloper !== true && (typeof developerId !== 'string' || developerId === '')) {
    throw fail(
      "Pass `developerId` (the `dev_…` id your grant tokens are issued for) or `anyDeveloper: true`: every Grantex developer's tokens " +
        'share one issuer and signing key, so without a pin a token minted for another developer would verify',
    );
  }
  for (const [name, value] of [['maxJwksBytes', maxJwksBytes], ['maxJwksKeys', maxJwksKeys]] as const) {
    if (value !== undefined && !isPositiveInteger(value)) throw fail(`\`${name}\` must be a positive integer`);
  }
  const problem = checkValuesProblem(options as GrantCheckOptions);
  if (problem) throw fail(problem);
  return { developerId: developerId as string | undefined, cache: readCache(cache ?? defaultCache) };
}

function readCache(cache: unknown): CacheBounds | undefined {
  if (cache === false) return undefined;
  // `true` is the defaults, read like an empty object so that they are written once.
  if (cache === true) cache = {};
  if (typeof cache !== 'object' || cache === null) throw fail('`cache` must be true, false or { maxEntries, maxAgeMs }');
  const unknown = unknownOption(cache, CACHE_OPTIONS);
  if (unknown !== undefined) throw fail(`Unknown cache option ${JSON.stringify(unknown)}; known: ${CACHE_OPTIONS.join(', ')}`);
  const { maxEntries = 10_000, maxAgeMs = 60_000 } = cache as TokenCacheOptions;
  if (!isPositiveInteger(maxEntries)) throw fail('`cache.maxEntries` must be a positive integer');
  if (!(typeof maxAgeMs === 'number' && maxAgeMs > 0)) throw fail('`cache.maxAgeMs` must be a number of milliseconds above 0');
  return { maxEntries, maxAgeMs };
}
