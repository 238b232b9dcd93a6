// Runtime-neutral helpers (jose + WebCrypto only) to mint grant tokens the way Grantex does.
import { CompactSign, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function rsaKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicKey, publicJwk: { ...(await exportJWK(publicKey)), alg: 'RS256', use: 'sig', kid } };
}

export async function ed25519Key(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { kid, privateKey, publicKey, publicJwk: { ...(await exportJWK(publicKey)), alg: 'EdDSA', use: 'sig', kid } };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The claims of a fresh root grant token, like the ones `/v1/token` issues. */
export function rootClaims(issuer: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = nowSeconds();
  return {
    agt: 'did:grantex:ag_01TESTAGENT',
    dev: 'dev_01TESTDEV',
    scp: ['calendar:read', 'calendar:write'],
    grnt: 'grnt_01TESTGRANT',
    iss: issuer,
    sub: 'user_alice',
    jti: 'tok_01TESTTOKEN',
    iat,
    exp: iat + 3600,
    ...overrides,
  };
}

/** The claims of a delegated token, like the ones `/v1/grants/delegate` issues. */
export function delegatedClaims(issuer: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return rootClaims(issuer, {
    agt: 'did:grantex:ag_01SUBAGENT',
    grnt: 'grnt_01CHILDGRANT',
    scp: ['calendar:read'],
    parentAgt: 'did:grantex:ag_01TESTAGENT',
    parentGrnt: 'grnt_01TESTGRANT',
    delegationDepth: 1,
    ...overrides,
  });
}

/** Signs `claims` as-is (claims set to `undefined` are dropped by JSON). */
export function sign(key: SigningKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const alg = key.publicJwk.alg!;
  return new SignJWT(claims).setProtectedHeader({ alg, kid: key.kid, ...header }).sign(key.privateKey);
}

/** Signs arbitrary payload bytes (for payloads that are not JSON objects). */
export function signRaw(key: SigningKey, payload: string, header: Record<string, unknown> = {}): Promise<string> {
  return new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, ...header })
    .sign(key.privateKey);
}

/**
 * Builds a compact JWS by hand with an RSASSA-PKCS1-v1_5/SHA-256 signature, whatever the header says:
 * for headers jose would refuse to produce (unknown `crit`, `b64: false`, a mislabelled `alg`).
 * With `b64: false` the payload is placed unencoded, as RFC 7797 prescribes.
 */
export async function signByHand(key: SigningKey, header: Record<string, unknown>, payload: string): Promise<string> {
  const encodedPayload = header.b64 === false ? payload : b64url(payload);
  const input = `${b64url(JSON.stringify({ kid: key.kid, ...header }))}.${encodedPayload}`;
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key.privateKey, new TextEncoder().encode(input));
  return `${input}.${b64urlBytes(new Uint8Array(signature))}`;
}

const b64urlBytes = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export const b64url = (text: string) => b64urlBytes(new TextEncoder().encode(text));

/** An unsigned token with `alg: none`, built by hand (jose refuses to make one for verification). */
export function unsecured(claims: Record<string, unknown>, kid: string): string {
  return `${b64url(JSON.stringify({ alg: 'none', kid }))}.${b64url(JSON.stringify(claims))}.`;
}

/** HS256 over `header.payload` using `secret` as the HMAC key: the classic key-confusion forgery. */
export async function hs256(claims: Record<string, unknown>, kid: string, secret: Uint8Array): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid }).sign(secret);
}
