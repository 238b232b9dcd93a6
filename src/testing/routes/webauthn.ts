// WebAuthn (FIDO2) registration and assertion, verified for real: client data, RP id hash, flags,
// COSE public keys (ES256, EdDSA, RS256), signatures and counters. A verified assertion marks its
// authorization request, which lets consent go ahead for developers that require FIDO.
import { decodeCbor, type CborValue } from '../cbor.js';
import { base64url, fromBase64url, fromUtf8, iso, randomBytes, ulid, utf8 } from '../encoding.js';
import { badRequest, isNonEmptyString, isPlainObject, isString, json, noContent, notFound, objectBody, type Ctx, type Route } from '../http.js';
import type { WebAuthnChallengeRecord, WebAuthnCredentialRecord } from '../store.js';

const CHALLENGE_MS = 5 * 60_000;
const TIMEOUT_MS = 60_000;

/** The relying party: the host name of the server's URL. */
const rpIdOf = (ctx: Ctx) => new URL(ctx.core.baseUrl()).hostname;

const credentialView = (c: WebAuthnCredentialRecord) => ({
  id: c.id,
  principalId: c.principalId,
  deviceName: c.deviceName,
  backedUp: c.backedUp,
  transports: [...c.transports],
  createdAt: iso(c.createdAt),
});

const credentialsOf = (ctx: Ctx, developerId: string, principalId: string) =>
  [...ctx.core.store.webauthnCredentials.values()].filter((c) => c.developerId === developerId && c.principalId === principalId).sort((a, b) => a.seq - b.seq);

function newChallenge(ctx: Ctx, record: Omit<WebAuthnChallengeRecord, 'id' | 'challenge' | 'expiresAt'>): WebAuthnChallengeRecord {
  const challenge: WebAuthnChallengeRecord = { ...record, id: `wac_${ulid(ctx.now)}`, challenge: base64url(randomBytes(32)), expiresAt: ctx.now + CHALLENGE_MS };
  ctx.core.store.webauthnChallenges.set(challenge.id, challenge);
  return challenge;
}

/** Takes a challenge once: unknown, used, expired or of the other kind all read as invalid. */
function takeChallenge(ctx: Ctx, id: unknown, kind: WebAuthnChallengeRecord['kind']): WebAuthnChallengeRecord {
  const challenge = isString(id) ? ctx.core.store.webauthnChallenges.get(id) : undefined;
  if (challenge) ctx.core.store.webauthnChallenges.delete(challenge.id);
  if (!challenge || challenge.kind !== kind || challenge.expiresAt <= ctx.now) throw badRequest('Invalid or expired challenge');
  return challenge;
}

const bytesOf = (value: unknown): Uint8Array<ArrayBuffer> | undefined => (isString(value) ? fromBase64url(value) : undefined);

/** Checks `clientDataJSON`: its type, the challenge issued, and the server's origin. */
function checkClientData(ctx: Ctx, raw: Uint8Array, type: string, challenge: string): void {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(fromUtf8(raw)) as Record<string, unknown>;
  } catch {
    throw new Error('clientDataJSON is not JSON');
  }
  if (data['type'] !== type) throw new Error(`clientDataJSON type is not ${type}`);
  if (data['challenge'] !== challenge) throw new Error('challenge mismatch');
  if (data['origin'] !== new URL(ctx.core.baseUrl()).origin) throw new Error('origin mismatch');
}

interface AuthData {
  flags: number;
  counter: number;
  credentialId?: Uint8Array | undefined;
  coseKey?: Map<number | string, CborValue> | undefined;
}

async function parseAuthData(ctx: Ctx, bytes: Uint8Array, withCredential: boolean): Promise<AuthData> {
  if (bytes.length < 37) throw new Error('authenticator data too short');
  const rpHash = new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(rpIdOf(ctx))));
  if (!rpHash.every((b, i) => b === bytes[i])) throw new Error('RP id hash mismatch');
  const flags = bytes[32]!;
  if ((flags & 0x01) === 0) throw new Error('user not present');
  const counter = new DataView(bytes.buffer, bytes.byteOffset + 33, 4).getUint32(0);
  if (!withCredential) return { flags, counter };
  if ((flags & 0x40) === 0 || bytes.length < 55) throw new Error('no attested credential data');
  const length = (bytes[53]! << 8) | bytes[54]!;
  const credentialId = bytes.slice(55, 55 + length);
  const { value } = decodeCbor(bytes.subarray(55 + length));
  if (!(value instanceof Map)) throw new Error('credential public key is not a COSE key');
  return { flags, counter, credentialId, coseKey: value };
}

/** Imports a COSE public key: EC2 P-256 (ES256), OKP Ed25519 (EdDSA) or RSA (RS256). */
async function importCoseKey(key: Map<number | string, CborValue>): Promise<{ publicKey: CryptoKey; algorithm: number }> {
  const b64 = (label: number) => {
    const value = key.get(label);
    if (!(value instanceof Uint8Array)) throw new Error('COSE key is missing a coordinate');
    return base64url(value);
  };
  const algorithm = key.get(3);
  if (key.get(1) === 2 && algorithm === -7 && key.get(-1) === 1) {
    return { algorithm, publicKey: await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: b64(-2), y: b64(-3) }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']) };
  }
  if (key.get(1) === 1 && algorithm === -8 && key.get(-1) === 6) {
    return { algorithm, publicKey: await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: b64(-2) }, { name: 'Ed25519' }, false, ['verify']) };
  }
  if (key.get(1) === 3 && algorithm === -257) {
    return { algorithm, publicKey: await crypto.subtle.importKey('jwk', { kty: 'RSA', n: b64(-1), e: b64(-2) }, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']) };
  }
  throw new Error('unsupported public key algorithm');
}

/** An ASN.1 DER ECDSA signature as WebCrypto's raw r‖s (32 bytes each for P-256). */
function rawEcdsaSignature(der: Uint8Array): Uint8Array<ArrayBuffer> {
  if (der[0] !== 0x30) throw new Error('signature is not DER');
  const out = new Uint8Array(64);
  let at = 2;
  for (let part = 0; part < 2; part++) {
    if (der[at] !== 0x02) throw new Error('signature is not DER');
    const length = der[at + 1]!;
    let value = der.slice(at + 2, at + 2 + length);
    while (value.length > 32 && value[0] === 0) value = value.slice(1);
    if (value.length > 32) throw new Error('signature is not P-256');
    out.set(value, part * 32 + 32 - value.length);
    at += 2 + length;
  }
  return out;
}

async function verifySignature(credential: WebAuthnCredentialRecord, signature: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<boolean> {
  if (credential.algorithm === -7) return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, credential.publicKey, rawEcdsaSignature(signature), data);
  if (credential.algorithm === -8) return crypto.subtle.verify({ name: 'Ed25519' }, credential.publicKey, signature, data);
  return crypto.subtle.verify({ name: 'RSASSA-PKCS1-v1_5' }, credential.publicKey, signature, data);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The pending, unexpired authorization request an assertion is for. */
function pendingRequest(ctx: Ctx, id: string) {
  const request = ctx.core.store.authRequests.get(id);
  return request && request.status === 'pending' && request.expiresAt > ctx.now ? request : undefined;
}

export const webauthnRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/webauthn/register/options',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = objectBody(ctx);
      if (!isNonEmptyString(body['principalId'])) throw badRequest('principalId is required');
      const principalId = body['principalId'];
      const challenge = newChallenge(ctx, { developerId: ctx.developer.developerId, kind: 'registration', principalId, authRequestId: null });
      return json(200, {
        challengeId: challenge.id,
        publicKey: {
          challenge: challenge.challenge,
          rp: { name: ctx.developer.fidoRpName ?? ctx.developer.name, id: rpIdOf(ctx) },
          user: { id: base64url(principalId), name: principalId, displayName: '' },
          pubKeyCredParams: [-8, -7, -257].map((alg) => ({ alg, type: 'public-key' })),
          timeout: TIMEOUT_MS,
          attestation: 'direct',
          excludeCredentials: credentialsOf(ctx, ctx.developer.developerId, principalId).map((c) => ({ id: c.credentialId, type: 'public-key', transports: [...c.transports] })),
          authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred', requireResidentKey: false },
          extensions: { credProps: true },
          hints: [],
        },
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/webauthn/register/verify',
    auth: 'apiKey',
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const response = body['response'];
      if (!isString(body['challengeId']) || !isPlainObject(response) || !isPlainObject(response['response'])) throw badRequest('challengeId and response are required');
      if (body['deviceName'] !== undefined && !isString(body['deviceName'])) throw badRequest('deviceName must be a string');
      const challenge = takeChallenge(ctx, body['challengeId'], 'registration');
      if (challenge.developerId !== ctx.developer.developerId) throw badRequest('Invalid or expired challenge');
      const inner = response['response'];
      let record: WebAuthnCredentialRecord;
      try {
        const clientData = bytesOf(inner['clientDataJSON']);
        const attestation = bytesOf(inner['attestationObject']);
        if (!clientData || !attestation) throw new Error('clientDataJSON and attestationObject are required');
        checkClientData(ctx, clientData, 'webauthn.create', challenge.challenge);
        const { value } = decodeCbor(attestation);
        const authDataBytes = value instanceof Map ? value.get('authData') : undefined;
        // Attestation statements are not checked: the test server trusts any authenticator model.
        if (!(authDataBytes instanceof Uint8Array)) throw new Error('attestationObject has no authData');
        const authData = await parseAuthData(ctx, authDataBytes, true);
        const credentialId = base64url(authData.credentialId!);
        if ([...ctx.core.store.webauthnCredentials.values()].some((c) => c.credentialId === credentialId)) throw new Error('credential already registered');
        const { publicKey, algorithm } = await importCoseKey(authData.coseKey!);
        const transports = Array.isArray(inner['transports']) ? (inner['transports'] as unknown[]).filter(isString) : [];
        record = {
          id: `cred_${ulid(ctx.now)}`,
          developerId: ctx.developer.developerId,
          principalId: challenge.principalId,
          credentialId,
          publicKey,
          algorithm,
          counter: authData.counter,
          transports,
          backedUp: (authData.flags & 0x10) !== 0,
          deviceName: (body['deviceName'] as string | undefined) ?? null,
          createdAt: ctx.now,
          lastUsedAt: null,
          seq: ctx.core.store.nextSeq(),
        };
      } catch {
        throw badRequest('Registration verification failed');
      }
      ctx.core.store.webauthnCredentials.set(record.id, record);
      await ctx.core.emit(record.developerId, 'fido.registered', { credentialId: record.id, principalId: record.principalId });
      return json(201, credentialView(record));
    },
  },
  {
    method: 'GET',
    path: '/v1/webauthn/credentials',
    auth: 'apiKey',
    handler: (ctx) => {
      const principalId = ctx.query.get('principalId');
      if (!principalId) throw badRequest('principalId is required');
      return json(200, {
        credentials: credentialsOf(ctx, ctx.developer.developerId, principalId).map((c) => ({ ...credentialView(c), lastUsedAt: c.lastUsedAt === null ? null : iso(c.lastUsedAt) })),
      });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/webauthn/credentials/{id}',
    auth: 'apiKey',
    handler: (ctx) => {
      const credential = ctx.core.store.webauthnCredentials.get(ctx.params['id']!);
      if (!credential || credential.developerId !== ctx.developer.developerId) throw notFound('Credential not found');
      ctx.core.store.webauthnCredentials.delete(credential.id);
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/v1/webauthn/assert/options',
    auth: 'none',
    handler: (ctx) => {
      const body = objectBody(ctx);
      if (!isNonEmptyString(body['authRequestId'])) throw badRequest('authRequestId is required');
      const request = pendingRequest(ctx, body['authRequestId']);
      if (!request) throw notFound('Authorization request not found');
      const developer = ctx.core.store.developers.get(request.developerId);
      if (!developer?.fidoRequired) throw badRequest('FIDO not required for this developer');
      const credentials = credentialsOf(ctx, request.developerId, request.principalId);
      if (credentials.length === 0) throw badRequest('No FIDO credentials registered for this principal');
      const challenge = newChallenge(ctx, { developerId: request.developerId, kind: 'assertion', principalId: request.principalId, authRequestId: request.id });
      return json(200, {
        challengeId: challenge.id,
        publicKey: {
          challenge: challenge.challenge,
          rpId: rpIdOf(ctx),
          allowCredentials: credentials.map((c) => ({ id: c.credentialId, type: 'public-key', transports: [...c.transports] })),
          userVerification: 'preferred',
          timeout: TIMEOUT_MS,
        },
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/webauthn/assert/verify',
    auth: 'none',
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const response = body['response'];
      if (!isString(body['challengeId']) || !isPlainObject(response) || !isPlainObject(response['response'])) throw badRequest('challengeId and response are required');
      const challenge = takeChallenge(ctx, body['challengeId'], 'assertion');
      const request = pendingRequest(ctx, challenge.authRequestId ?? '');
      if (!request) throw badRequest('Invalid or expired challenge');
      const rawId = response['rawId'] ?? response['id'];
      const credential = credentialsOf(ctx, challenge.developerId, challenge.principalId).find((c) => c.credentialId === rawId);
      if (!credential) throw badRequest('Unknown credential');
      const inner = response['response'];
      let counter: number;
      try {
        const clientData = bytesOf(inner['clientDataJSON']);
        const authDataBytes = bytesOf(inner['authenticatorData']);
        const signature = bytesOf(inner['signature']);
        if (!clientData || !authDataBytes || !signature) throw new Error('clientDataJSON, authenticatorData and signature are required');
        checkClientData(ctx, clientData, 'webauthn.get', challenge.challenge);
        counter = (await parseAuthData(ctx, authDataBytes, false)).counter;
        const signed = concat(authDataBytes, new Uint8Array(await crypto.subtle.digest('SHA-256', clientData)));
        if (!(await verifySignature(credential, signature, signed))) throw new Error('bad signature');
      } catch {
        throw badRequest('Assertion verification failed');
      }
      // A counter that does not move forward points at a cloned authenticator.
      if ((counter > 0 || credential.counter > 0) && counter <= credential.counter) throw badRequest('Authenticator counter did not increase');
      credential.counter = counter;
      credential.lastUsedAt = ctx.now;
      request.fidoVerified = true;
      await ctx.core.emit(request.developerId, 'fido.assertion', { credentialId: credential.id, principalId: credential.principalId, authRequestId: request.id });
      return json(200, { verified: true });
    },
  },
];
