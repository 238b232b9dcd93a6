import { GrantexInvalidArgumentError } from '../errors.js';
import { encoder } from './bytes.js';

/** Where the verification and signing code gets the HMAC key of a secret from. */
export type KeySource = (secret: string) => Promise<CryptoKey>;

/**
 * The HMAC-SHA256 key for a webhook secret (the secret's UTF-8 bytes, as the server uses them),
 * imported afresh. A bad secret throws at once, before any delivery is looked at.
 */
export function importHmacKey(secret: string): Promise<CryptoKey> {
  if (typeof secret !== 'string' || secret === '') throw new GrantexInvalidArgumentError('Webhook secret must be a non-empty string');
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

/** How many secrets' keys one verifier remembers; a receiver uses one or two (three during a rotation). */
export const MAX_CACHED_KEYS = 8;

/**
 * A key source that remembers the keys of the `max` secrets used last. Importing a key costs more
 * than the HMAC itself, so a verifier that sees the same secret again skips it. The map belongs to
 * the caller of this function (one per verifier), so two verifiers never share keys.
 */
export function cachedKeys(max: number = MAX_CACHED_KEYS): KeySource {
  const keys = new Map<string, Promise<CryptoKey>>();
  return (secret) => {
    let key = keys.get(secret);
    if (key) {
      // Re-inserted, so that the map's order is the order of last use and the oldest goes first.
      keys.delete(secret);
    } else {
      key = importHmacKey(secret);
      if (keys.size >= max) keys.delete(keys.keys().next().value as string);
    }
    keys.set(secret, key);
    return key;
  };
}

/** The 32 bytes of a `sha256=<64 hex>` header value; `undefined` for anything else. */
export function parseSignature(value: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (typeof value !== 'string' || !/^sha256=[\da-f]{64}$/i.test(value)) return undefined;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = parseInt(value.slice(7 + 2 * i, 9 + 2 * i), 16);
  return bytes;
}

/** Constant-time check of `signature` over `data` (WebCrypto compares the MACs, not this code). */
export async function hmacVerify(key: Promise<CryptoKey>, signature: unknown, data: Uint8Array<ArrayBuffer>): Promise<boolean> {
  const bytes = parseSignature(signature);
  return bytes !== undefined && crypto.subtle.verify('HMAC', await key, bytes, data);
}

/** `sha256=<hex HMAC-SHA256(secret, data)>`. */
export async function hmacSign(key: CryptoKey, data: Uint8Array<ArrayBuffer>): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, data));
  return 'sha256=' + Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
