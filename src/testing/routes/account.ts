// System and account routes: health, JWKS, signup, the developer profile, key rotation and the
// e-mail confirmation flow.
import { iso, randomBytes, base64url, ulid, uuidV4 } from '../encoding.js';
import { badRequest, HttpError, isString, json, notFound, objectBody, optionalBoolean, type Route } from '../http.js';
import type { DeveloperRecord, Mode, Plan, Store } from '../store.js';
import { issuerDid } from './tokens.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A fresh API key: `gx_live_` or `gx_test_` and 43 base64url characters (256 random bits). */
export const newApiKey = (mode: Mode) => `${mode === 'live' ? 'gx_live_' : 'gx_test_'}${base64url(randomBytes(32))}`;

export function createDeveloper(
  store: Store,
  now: number,
  input: { name: string; email?: string | null | undefined; mode: Mode; plan?: Plan | undefined; apiKey?: string | undefined; developerId?: string | undefined },
): DeveloperRecord {
  const developer: DeveloperRecord = {
    developerId: input.developerId ?? `dev_${ulid(now)}`,
    name: input.name,
    email: input.email ?? null,
    mode: input.mode,
    plan: input.plan ?? 'free',
    fidoRequired: false,
    fidoRpName: null,
    createdAt: now,
    apiKey: input.apiKey ?? newApiKey(input.mode),
  };
  store.developers.set(developer.developerId, developer);
  store.apiKeys.set(developer.apiKey, developer.developerId);
  return developer;
}

export const developerView = (d: DeveloperRecord) => ({
  developerId: d.developerId,
  name: d.name,
  email: d.email,
  mode: d.mode,
  plan: d.plan,
  fidoRequired: d.fidoRequired,
  fidoRpName: d.fidoRpName,
  createdAt: iso(d.createdAt),
});

export const accountRoutes: Route[] = [
  {
    method: 'GET',
    path: '/health',
    auth: 'none',
    handler: () => json(200, { status: 'healthy', database: 'ok', redis: 'ok' }),
  },
  {
    method: 'GET',
    path: '/.well-known/jwks.json',
    auth: 'none',
    handler: async ({ core }) => json(200, { keys: [await core.signer.jwk()] }),
  },
  {
    method: 'GET',
    path: '/.well-known/did.json',
    auth: 'none',
    // The server's DID document, naming the same key as the JWKS.
    handler: async (ctx) => {
      const did = issuerDid(ctx);
      const jwk = await ctx.core.signer.jwk();
      const method = `${did}#${jwk.kid}`;
      return json(200, {
        '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
        id: did,
        verificationMethod: [{ id: method, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwk }],
        authentication: [method],
        assertionMethod: [method],
        service: [
          { id: `${did}#jwks`, type: 'JsonWebKeySet', serviceEndpoint: `${ctx.core.baseUrl()}/.well-known/jwks.json` },
          { id: `${did}#grant-protocol`, type: 'GrantexProtocol', serviceEndpoint: `${ctx.core.baseUrl()}/v1` },
        ],
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/signup',
    auth: 'none',
    ipLimit: 30,
    handler: (ctx) => {
      const body = objectBody(ctx);
      const name = isString(body['name']) ? body['name'].trim() : '';
      if (name.length === 0 || name.length > 200) throw badRequest('name is required (1-200 characters)');
      let email: string | null = null;
      if (body['email'] !== undefined) {
        if (!isString(body['email']) || body['email'].length > 254 || !EMAIL.test(body['email'])) throw badRequest('Invalid email address');
        email = body['email'].toLowerCase();
        if ([...ctx.core.store.developers.values()].some((d) => d.email === email)) {
          throw new HttpError(409, 'CONFLICT', 'An account with this email already exists');
        }
      }
      const mode = body['mode'] ?? 'live';
      if (mode !== 'live' && mode !== 'sandbox') throw badRequest('mode must be live or sandbox');
      const developer = createDeveloper(ctx.core.store, ctx.now, { name, email, mode });
      return json(201, {
        developerId: developer.developerId,
        apiKey: developer.apiKey,
        name: developer.name,
        email: developer.email,
        mode: developer.mode,
        createdAt: iso(developer.createdAt),
      });
    },
  },
  {
    method: 'GET',
    path: '/v1/me',
    auth: 'apiKey',
    handler: ({ developer }) => json(200, developerView(developer)),
  },
  {
    method: 'PATCH',
    path: '/v1/me',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = objectBody(ctx);
      const fidoRequired = optionalBoolean(body, 'fidoRequired');
      const rpName = body['fidoRpName'];
      if (rpName !== undefined && (!isString(rpName) || rpName.length < 1 || rpName.length > 100)) {
        throw badRequest('fidoRpName must be 1-100 characters');
      }
      if (fidoRequired === undefined && rpName === undefined) throw badRequest('At least one of fidoRequired or fidoRpName is required');
      if (fidoRequired !== undefined) ctx.developer.fidoRequired = fidoRequired;
      if (rpName !== undefined) ctx.developer.fidoRpName = rpName as string;
      return json(200, { updated: true });
    },
  },
  {
    method: 'POST',
    path: '/v1/keys/rotate',
    auth: 'apiKey',
    ipLimit: 5,
    handler: ({ core, developer, now }) => {
      // The old key stops working at once.
      core.store.apiKeys.delete(developer.apiKey);
      developer.apiKey = newApiKey(developer.mode);
      core.store.apiKeys.set(developer.apiKey, developer.developerId);
      return json(200, { apiKey: developer.apiKey, rotatedAt: iso(now) });
    },
  },
  {
    method: 'POST',
    path: '/v1/signup/verify',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = objectBody(ctx);
      const email = body['email'];
      if (!isString(email) || email.length > 254 || !EMAIL.test(email)) throw badRequest('A valid email is required');
      const token = uuidV4();
      const expiresAt = ctx.now + 86_400_000;
      ctx.core.store.emailVerifications.set(token, { token, developerId: ctx.developer.developerId, email: email.toLowerCase(), expiresAt, used: false });
      return json(201, { message: 'Verification email sent', expiresAt: iso(expiresAt) });
    },
  },
  {
    method: 'GET',
    path: '/v1/signup/verify/{token}',
    auth: 'none',
    handler: ({ core, params, now }) => {
      const record = core.store.emailVerifications.get(params['token']!);
      if (!record) throw notFound('Verification token not found');
      if (record.used) return json(200, { message: 'Email already verified' });
      if (record.expiresAt <= now) throw new HttpError(400, 'TOKEN_EXPIRED', 'Verification token has expired');
      const developer = core.store.developers.get(record.developerId);
      if ([...core.store.developers.values()].some((d) => d !== developer && d.email === record.email)) {
        throw new HttpError(409, 'EMAIL_TAKEN', 'This email is already used by another account');
      }
      record.used = true;
      if (developer) developer.email = record.email;
      return json(200, { message: 'Email verified successfully', email: record.email });
    },
  },
];
