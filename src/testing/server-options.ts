// The options of createTestServer, checked before anything is built: a bad one throws
// GrantexInvalidArgumentError naming the option.
import { GrantexInvalidArgumentError } from '../errors.js';
import { DEFAULT_KEEPALIVE_MS } from './event-bus.js';
import type { TestServerOptions } from './server-types.js';

const API_KEY_SHAPE = /^\S{16,512}$/;

/** The options the server reads more than once, with their defaults applied. */
export interface ServerSettings {
  readonly maxDelegationDepth: number;
  readonly keepaliveMs: number;
  /** The base URL without a trailing slash, until `listen` gives a real one. */
  readonly baseUrl: string;
  readonly onUnexpectedError: (error: unknown) => void;
}

export function readServerOptions(options: TestServerOptions): ServerSettings {
  for (const key of ['apiKey', 'sandboxApiKey'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || !API_KEY_SHAPE.test(value))) {
      throw new GrantexInvalidArgumentError(`${key} must be 16-512 characters without spaces`);
    }
  }
  if (options.apiKey !== undefined && options.apiKey === options.sandboxApiKey) {
    throw new GrantexInvalidArgumentError('apiKey and sandboxApiKey must differ');
  }
  const maxDelegationDepth = options.maxDelegationDepth ?? 3;
  if (!Number.isInteger(maxDelegationDepth) || maxDelegationDepth < 0) {
    throw new GrantexInvalidArgumentError('maxDelegationDepth must be a non-negative integer');
  }
  const keepaliveMs = options.eventKeepaliveInterval ?? DEFAULT_KEEPALIVE_MS;
  if (!Number.isInteger(keepaliveMs) || keepaliveMs < 1 || keepaliveMs > 2_147_483_647) {
    throw new GrantexInvalidArgumentError('eventKeepaliveInterval must be an integer number of milliseconds from 1 to 2147483647');
  }
  const baseUrl = (options.url ?? 'http://grantex.test').replace(/\/+$/, '');
  try {
    new URL(baseUrl);
  } catch {
    throw new GrantexInvalidArgumentError('url must be an absolute URL');
  }
  const onUnexpectedError = options.onUnexpectedError ?? ((error: unknown) => console.error('grantex test server:', error));
  return { maxDelegationDepth, keepaliveMs, baseUrl, onUnexpectedError };
}
