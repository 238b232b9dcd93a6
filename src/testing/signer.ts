// The server's signing key: one RSA key pair per test server, generated with WebCrypto on first
// use, published at /.well-known/jwks.json and used for every RS256 JWT the server issues.
import { base64url, fromBase64url, fromUtf8, utf8 } from './encoding.js';

export interface RsaPublicJwk {
  readonly kty: 'RSA';
  readonly n: string;
  readonly e: string;
  readonly alg: 'RS256';
  readonly use: 'sig';
  readonly kid: string;
}

export interface Signer {
  readonly kid: string;
  jwk(): Promise<RsaPublicJwk>;
  /** Signs a JWT with header `{alg:"RS256", kid}` (plus `extraHeader`) over `payload`. */
  sign(payload: Record<string, unknown>, extraHeader?: Record<string, unknown>): Promise<string>;
  /**
   * Checks an RS256 JWT against this key and returns its payload, or `undefined` when the token is
   * malformed, uses another algorithm or key, or its signature does not verify. Claims are not checked.
   */
  verify(token: string): Promise<Record<string, unknown> | undefined>;
}

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

function parseJson(bytes: Uint8Array | undefined): Record<string, unknown> | undefined {
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(fromUtf8(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `kid` is `grantex-<yyyy>-<mm>` of the month the key was made, as the real server names its keys. */
export function createSigner(createdAt: Date): Signer {
  const kid = `grantex-${createdAt.getUTCFullYear()}-${String(createdAt.getUTCMonth() + 1).padStart(2, '0')}`;
  let pair: Promise<CryptoKeyPair> | undefined;
  // Generated on first use: key generation takes tens of milliseconds, and some runtimes
  // (Workers) allow crypto only while handling a request, not when a module is loaded.
  const keys = () =>
    (pair ??= crypto.subtle.generateKey(
      { ...ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
      true,
      ['sign', 'verify'],
    ) as Promise<CryptoKeyPair>);
  let publicJwk: Promise<RsaPublicJwk> | undefined;

  return {
    kid,
    jwk: () =>
      (publicJwk ??= keys().then(async ({ publicKey }) => {
        const { n, e } = await crypto.subtle.exportKey('jwk', publicKey);
        return { kty: 'RSA', n: n!, e: e!, alg: 'RS256', use: 'sig', kid };
      })),
    async sign(payload, extraHeader = {}) {
      const header = { alg: 'RS256', kid, ...extraHeader };
      const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
      const signature = await crypto.subtle.sign(ALGORITHM, (await keys()).privateKey, utf8(input));
      return `${input}.${base64url(new Uint8Array(signature))}`;
    },
    async verify(token) {
      if (typeof token !== 'string' || token.length > 16_384) return undefined;
      const parts = token.split('.');
      if (parts.length !== 3) return undefined;
      const header = parseJson(fromBase64url(parts[0]!));
      if (!header || header['alg'] !== 'RS256' || header['kid'] !== kid || 'crit' in header) return undefined;
      const signature = fromBase64url(parts[2]!);
      if (!signature) return undefined;
      const ok = await crypto.subtle.verify(ALGORITHM, (await keys()).publicKey, signature, utf8(`${parts[0]}.${parts[1]}`));
      return ok ? parseJson(fromBase64url(parts[1]!)) : undefined;
    },
  };
}
