// Agent passports (MPP): issued from a grant that holds the payment scopes, kept as VC records so
// that they share the status lists, and revoked one by one or with their grant.
import { allocateStatus, credentialIssuer, revokeCredential, statusEntry } from '../credentials.js';
import { base64url, iso, parseDuration, ulid } from '../encoding.js';
import { badRequest, HttpError, isNonEmptyString, isPlainObject, isString, isStringArray, json, notFound, objectBody, type Ctx, type Route } from '../http.js';
import type { PassportRecord, VcRecord } from '../store.js';

const CATEGORIES = ['inference', 'compute', 'data', 'storage', 'search', 'media', 'delivery', 'browser', 'general'];
const MAX_EXPIRY_MS = 720 * 3_600_000;

const refuse = (status: number, code: string, message: string) => new HttpError(status, code, message);

/** The stored status, or `expired` for an active passport past its expiry. */
function passportStatus(ctx: Ctx, passport: PassportRecord): 'active' | 'revoked' | 'expired' {
  const record = ctx.core.store.vcs.get(passport.passportId);
  if (record?.status === 'revoked') return 'revoked';
  return passport.expiresAt <= ctx.now ? 'expired' : 'active';
}

function ownPassport(ctx: Ctx): PassportRecord {
  const passport = ctx.core.store.passports.get(ctx.params['id']!);
  if (!passport || passport.developerId !== ctx.developer.developerId) throw notFound('Passport not found');
  return passport;
}

/** The organisation DID a passport names: the developer's registered org, else its Grantex DID. */
function organizationDid(ctx: Ctx): string {
  const org = [...ctx.core.store.registryOrgs.values()].find((o) => o.developerId === ctx.developer.developerId);
  return org?.did ?? `did:grantex:${ctx.developer.developerId}`;
}

export const passportRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/passport/issue',
    auth: 'apiKey',
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const { agentId, grantId, allowedMPPCategories: categories, maxTransactionAmount: amount, parentPassportId } = body;
      if (!isNonEmptyString(agentId) || !isNonEmptyString(grantId) || !Array.isArray(categories) || categories.length === 0 || !isPlainObject(amount)) {
        throw badRequest('agentId, grantId, allowedMPPCategories and maxTransactionAmount are required');
      }
      if (!categories.every((c) => isString(c) && CATEGORIES.includes(c))) throw badRequest(`allowedMPPCategories must be among ${CATEGORIES.join(', ')}`);
      if (typeof amount['amount'] !== 'number' || !(amount['amount'] > 0) || !isNonEmptyString(amount['currency'])) {
        throw badRequest('maxTransactionAmount needs a positive amount and a currency');
      }
      const rails = body['paymentRails'] ?? ['tempo'];
      if (!isStringArray(rails)) throw badRequest('paymentRails must be an array of strings');
      if (parentPassportId !== undefined && !isString(parentPassportId)) throw badRequest('parentPassportId must be a string');
      const lifetime = parseDuration(body['expiresIn'] ?? '24h');
      if (lifetime === undefined || lifetime <= 0) throw refuse(400, 'INVALID_EXPIRY', 'expiresIn must look like "24h"');
      if (lifetime > MAX_EXPIRY_MS) throw refuse(422, 'INVALID_EXPIRY', 'expiresIn may not exceed 720h');
      const { store } = ctx.core;
      const agent = store.agents.get(agentId);
      if (!agent || agent.developerId !== ctx.developer.developerId) throw refuse(400, 'INVALID_AGENT', 'Agent not found');
      const grant = store.grants.get(grantId);
      if (!grant || grant.developerId !== ctx.developer.developerId || grant.agentId !== agentId || grant.status === 'revoked') {
        throw refuse(400, 'INVALID_GRANT', 'Grant not found, revoked, or not held by this agent');
      }
      const missing = (categories as string[]).filter((c) => !grant.scopes.includes(`payments:mpp:${c}`));
      if (missing.length > 0) throw refuse(400, 'SCOPE_INSUFFICIENT', `Grant lacks scopes: ${missing.map((c) => `payments:mpp:${c}`).join(', ')}`);
      const remaining = ctx.core.budgetOf?.(grant.grantId);
      if (remaining !== undefined && remaining > 0 && (amount['amount'] as number) > remaining) {
        throw refuse(400, 'AMOUNT_EXCEEDS_BUDGET', 'maxTransactionAmount exceeds the remaining budget of the grant');
      }

      const passportId = `urn:grantex:passport:${ulid(ctx.now)}`;
      const expiresAt = ctx.now + lifetime;
      const { list, index } = allocateStatus(ctx.core);
      const issuer = credentialIssuer(ctx.core);
      const unsigned = {
        '@context': ['https://www.w3.org/ns/credentials/v2', 'https://grantex.dev/contexts/mpp/v1'],
        type: ['VerifiableCredential', 'AgentPassportCredential'],
        id: passportId,
        issuer,
        validFrom: iso(ctx.now),
        validUntil: iso(expiresAt),
        credentialSubject: {
          id: grant.agentDid,
          type: 'AIAgent',
          humanPrincipal: `did:grantex:${grant.principalId}`,
          organizationDID: organizationDid(ctx),
          grantId: grant.grantId,
          allowedMPPCategories: [...(categories as string[])],
          maxTransactionAmount: { amount: amount['amount'], currency: amount['currency'] },
          paymentRails: [...rails],
          delegationDepth: grant.delegationDepth,
          ...(parentPassportId !== undefined ? { parentPassportId } : {}),
        },
        credentialStatus: statusEntry(ctx.core, list.id, index),
      };
      const proofValue = await ctx.core.signer.sign({ vc: unsigned, iss: issuer, iat: Math.floor(ctx.now / 1000) });
      const credential = {
        ...unsigned,
        proof: { type: 'Ed25519Signature2020', created: iso(ctx.now), verificationMethod: `${issuer}#${ctx.core.signer.kid}`, proofPurpose: 'assertionMethod', proofValue },
      };
      const seq = store.nextSeq();
      store.passports.set(passportId, { passportId, developerId: ctx.developer.developerId, agentId, grantId, credential, expiresAt, createdAt: ctx.now, seq });
      const record: VcRecord = {
        id: passportId,
        grantId,
        developerId: ctx.developer.developerId,
        principalId: grant.principalId,
        agentDid: grant.agentDid,
        credentialType: 'AgentPassportCredential',
        format: 'agent-passport',
        credentialJwt: proofValue,
        status: 'active',
        statusListId: list.id,
        statusListIdx: index,
        issuedAt: ctx.now,
        expiresAt,
        revokedAt: null,
        seq,
      };
      store.vcs.set(passportId, record);
      await ctx.core.emit(ctx.developer.developerId, 'passport.issued', { passportId, agentId, grantId, expiresAt: iso(expiresAt) });
      return json(201, { passportId, credential, encodedCredential: base64url(JSON.stringify(credential)), expiresAt: iso(expiresAt) });
    },
  },
  {
    method: 'GET',
    path: '/v1/passports',
    auth: 'apiKey',
    handler: (ctx) => {
      const agentId = ctx.query.get('agentId');
      const grantId = ctx.query.get('grantId');
      const status = ctx.query.get('status');
      const passports = [...ctx.core.store.passports.values()]
        .filter((p) => p.developerId === ctx.developer.developerId && (agentId === null || p.agentId === agentId) && (grantId === null || p.grantId === grantId))
        // The filter reads the stored status (active|revoked); the answer shows `expired` when due.
        .filter((p) => status === null || (ctx.core.store.vcs.get(p.passportId)?.status ?? 'active') === status)
        .sort((a, b) => b.seq - a.seq);
      return json(
        200,
        passports.map((p) => ({ passportId: p.passportId, agentId: p.agentId, grantId: p.grantId, status: passportStatus(ctx, p), expiresAt: iso(p.expiresAt), createdAt: iso(p.createdAt) })),
      );
    },
  },
  {
    method: 'GET',
    path: '/v1/passport/{id}',
    auth: 'apiKey',
    handler: (ctx) => {
      const passport = ownPassport(ctx);
      return json(200, { ...passport.credential, status: passportStatus(ctx, passport) });
    },
  },
  {
    method: 'POST',
    path: '/v1/passport/{id}/revoke',
    auth: 'apiKey',
    handler: async (ctx) => {
      const passport = ownPassport(ctx);
      const record = ctx.core.store.vcs.get(passport.passportId);
      // Idempotent: a second revoke answers the current time again.
      if (record && revokeCredential(ctx.core, record, ctx.now)) {
        await ctx.core.emit(passport.developerId, 'passport.revoked', { passportId: passport.passportId, grantId: passport.grantId });
      }
      return json(200, { revoked: true, revokedAt: iso(ctx.now) });
    },
  },
];
