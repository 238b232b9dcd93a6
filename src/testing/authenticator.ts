// A software FIDO2 authenticator for tests: it answers the test server's WebAuthn options with
// real ES256 registration and assertion responses, as a browser with a platform authenticator would.
import { GrantexInvalidArgumentError } from '../errors.js';
import { encodeCbor, type CborValue } from './cbor.js';
import { base64url, fromBase64url, randomBytes, utf8 } from './encoding.js';

/**
 * `navigator.credentials.create()`'s result, serialised as WebAuthn's `toJSON()` does.
 *
 * @example
 * ```ts
 * const response: SoftwareRegistrationResponse = await authenticator.register(options.publicKey);
 * ```
 */
export interface SoftwareRegistrationResponse {
  readonly id: string;
  readonly rawId: string;
  readonly type: 'public-key';
  readonly response: { readonly clientDataJSON: string; readonly attestationObject: string; readonly transports: readonly string[] };
  readonly clientExtensionResults: Readonly<Record<string, unknown>>;
  readonly authenticatorAttachment: 'platform';
}

/**
 * `navigator.credentials.get()`'s result, serialised as WebAuthn's `toJSON()` does.
 *
 * @example
 * ```ts
 * const response: SoftwareAssertionResponse = await authenticator.assert(options.publicKey);
 * ```
 */
export interface SoftwareAssertionResponse {
  readonly id: string;
  readonly rawId: string;
  readonly type: 'public-key';
  readonly response: { readonly clientDataJSON: string; readonly authenticatorData: string; readonly signature: string; readonly userHandle?: string | undefined };
  readonly clientExtensionResults: Readonly<Record<string, unknown>>;
  readonly authenticatorAttachment: 'platform';
}

/**
 * A software authenticator holding ES256 (P-256) credentials in memory. `register` answers the
 * `publicKey` of `webauthn.registrationOptions`, `assert` the one of `webauthn.assertionOptions`.
 *
 * @example
 * ```ts
 * const options = await client.webauthn.assertionOptions({ authRequestId });
 * await client.webauthn.verifyAssertion({ challengeId: options.challengeId, response: await authenticator.assert(options.publicKey) });
 * ```
 */
export interface SoftwareAuthenticator {
  /** The origin written into every `clientDataJSON`. */
  readonly origin: string;
  register(publicKey: { readonly challenge: string; readonly rp: { readonly id?: string | undefined }; readonly user: { readonly id: string } }): Promise<SoftwareRegistrationResponse>;
  assert(publicKey: { readonly challenge: string; readonly rpId?: string | undefined; readonly allowCredentials?: readonly { readonly id: string }[] | undefined }): Promise<SoftwareAssertionResponse>;
}

interface Held {
  readonly id: Uint8Array<ArrayBuffer>;
  readonly rpId: string;
  readonly userHandle: string;
  readonly privateKey: CryptoKey;
  counter: number;
}

const ES256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const FLAGS_UP_UV = 0x05;
const FLAG_AT = 0x40;

async function sha256(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const uint32 = (n: number) => new Uint8Array([(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);

/** An ECDSA signature as WebAuthn carries it: ASN.1 DER, from WebCrypto's raw r‖s. */
function derSignature(raw: Uint8Array): Uint8Array<ArrayBuffer> {
  const integer = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const trimmed = bytes.slice(start);
    const body = trimmed[0]! & 0x80 ? concat(new Uint8Array([0]), trimmed) : trimmed;
    return concat(new Uint8Array([0x02, body.length]), body);
  };
  const sequence = concat(integer(raw.slice(0, 32)), integer(raw.slice(32)));
  return concat(new Uint8Array([0x30, sequence.length]), sequence);
}

const rpFromOrigin = (origin: string) => new URL(origin).hostname;

/**
 * Creates a software authenticator whose responses carry `origin` (the page that would call
 * WebAuthn; for the test server, its own URL).
 *
 * @example
 * ```ts
 * const authenticator = createSoftwareAuthenticator({ origin: server.url });
 * const { challengeId, publicKey } = await client.webauthn.registrationOptions({ principalId: 'user_1' });
 * await client.webauthn.verifyRegistration({ challengeId, response: await authenticator.register(publicKey) });
 * ```
 */
export function createSoftwareAuthenticator(options: { origin: string }): SoftwareAuthenticator {
  let origin: string;
  try {
    origin = new URL(options.origin).origin;
  } catch {
    throw new GrantexInvalidArgumentError('origin must be an absolute URL');
  }
  const held: Held[] = [];
  const clientData = (type: string, challenge: string) => utf8(JSON.stringify({ type, challenge, origin, crossOrigin: false }));

  return {
    origin,
    async register(publicKey) {
      const rpId = publicKey.rp.id ?? rpFromOrigin(origin);
      const pair = (await crypto.subtle.generateKey(ES256, true, ['sign', 'verify'])) as CryptoKeyPair;
      const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
      const id = randomBytes(32);
      const coseKey = encodeCbor(
        new Map<number, number | Uint8Array>([
          [1, 2],
          [3, -7],
          [-1, 1],
          [-2, fromBase64url(jwk.x!)!],
          [-3, fromBase64url(jwk.y!)!],
        ]),
      );
      const authData = concat(await sha256(utf8(rpId)), new Uint8Array([FLAGS_UP_UV | FLAG_AT]), uint32(0), new Uint8Array(16), new Uint8Array([id.length >> 8, id.length & 0xff]), id, coseKey);
      held.push({ id, rpId, userHandle: publicKey.user.id, privateKey: pair.privateKey, counter: 0 });
      const attestationObject = encodeCbor(new Map<string, CborValue>([['fmt', 'none'], ['attStmt', new Map<string, CborValue>()], ['authData', authData]]));
      const rawId = base64url(id);
      return {
        id: rawId,
        rawId,
        type: 'public-key',
        response: { clientDataJSON: base64url(clientData('webauthn.create', publicKey.challenge)), attestationObject: base64url(attestationObject), transports: ['internal'] },
        clientExtensionResults: { credProps: { rk: true } },
        authenticatorAttachment: 'platform',
      };
    },
    async assert(publicKey) {
      const rpId = publicKey.rpId ?? rpFromOrigin(origin);
      const allowed = new Set((publicKey.allowCredentials ?? []).map((c) => c.id));
      const credential = held.find((c) => c.rpId === rpId && (allowed.size === 0 || allowed.has(base64url(c.id))));
      if (!credential) throw new GrantexInvalidArgumentError('This authenticator holds no credential for these options');
      credential.counter += 1;
      const authData = concat(await sha256(utf8(rpId)), new Uint8Array([FLAGS_UP_UV]), uint32(credential.counter));
      const data = clientData('webauthn.get', publicKey.challenge);
      const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, credential.privateKey, concat(authData, await sha256(data))));
      const rawId = base64url(credential.id);
      return {
        id: rawId,
        rawId,
        type: 'public-key',
        response: { clientDataJSON: base64url(data), authenticatorData: base64url(authData), signature: base64url(derSignature(raw)), userHandle: credential.userHandle },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },
  };
}
