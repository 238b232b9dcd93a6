/**
 * Checks the `revocation` option once, where the enforcer or verifier is built. Messages name the
 * option at fault and never repeat its value: the key, or a URL that may hold credentials.
 */
import { GrantexConfigurationError } from '../errors.js';

/** The default `maxStaleness`, in milliseconds. */
export const DEFAULT_MAX_STALENESS = 5_000;
/** Where the feed and the online check go unless `baseUrl` says otherwise. */
export const DEFAULT_BASE_URL = 'https://api.grantex.dev';
/** The largest delay `setTimeout` honours. */
const MAX_DELAY = 2_147_483_647;
const KEYS = ['mode', 'apiKey', 'baseUrl', 'maxStaleness', 'onUnavailable'];

/** The checked option of a live mode. */
export interface RevocationSettings {
  readonly mode: 'events' | 'online';
  readonly apiKey: string;
  /** The base URL without a trailing slash. */
  readonly baseUrl: string;
  readonly maxStaleness: number;
  readonly onUnavailable: 'deny' | 'allow';
  /** Most tokens whose online answer is kept (the bound of the verified-token cache). */
  readonly maxEntries: number;
}

const fail = (message: string) => new GrantexConfigurationError(message);

/** `undefined` for `'offline'` (or no option); the settings of a live mode otherwise. */
export function readRevocationOptions(value: unknown, maxEntries = 10_000): RevocationSettings | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw fail("`revocation` must be an object such as { mode: 'events', apiKey }");
  for (const key of Object.keys(value)) {
    if (!KEYS.includes(key)) throw fail(`Unknown revocation option ${JSON.stringify(key)}; known options: ${KEYS.join(', ')}`);
  }
  const { mode, apiKey, baseUrl = DEFAULT_BASE_URL, maxStaleness = DEFAULT_MAX_STALENESS, onUnavailable = 'deny' } = value as Record<string, unknown>;
  if (mode !== 'events' && mode !== 'online' && mode !== 'offline') throw fail("`revocation.mode` must be 'events', 'online' or 'offline'");
  if (mode === 'offline') {
    if (Object.keys(value).some((key) => key !== 'mode' && (value as Record<string, unknown>)[key] !== undefined)) {
      throw fail("`revocation.mode: 'offline'` takes no other option");
    }
    return undefined;
  }
  // A key with a line break or a space would split or bend the Authorization header.
  if (typeof apiKey !== 'string' || !/^[\x21-\x7e]+$/.test(apiKey)) {
    throw fail(`\`revocation.apiKey\` must be the API key (printable characters, no spaces) for mode '${mode}'`);
  }
  let url: URL;
  try {
    url = new URL(String(baseUrl));
  } catch {
    throw fail('`revocation.baseUrl` must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fail('`revocation.baseUrl` must be an absolute http(s) URL');
  if (url.username || url.password || url.search || url.hash) throw fail('`revocation.baseUrl` must not carry credentials, a query or a fragment');
  if (!(Number.isInteger(maxStaleness) && (maxStaleness as number) >= 1 && (maxStaleness as number) <= MAX_DELAY)) {
    throw fail(`\`revocation.maxStaleness\` must be an integer number of milliseconds from 1 to ${MAX_DELAY}`);
  }
  if (onUnavailable !== 'deny' && onUnavailable !== 'allow') throw fail("`revocation.onUnavailable` must be 'deny' or 'allow'");
  return Object.freeze({
    mode,
    apiKey,
    baseUrl: url.href.replace(/\/+$/, ''),
    maxStaleness: maxStaleness as number,
    onUnavailable,
    maxEntries,
  });
}
