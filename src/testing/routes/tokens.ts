// Code exchange (single-use codes, PKCE S256), refresh (single-use, rotating refresh tokens), and
// online token verification and revocation.
import { base64url, iso, parseDuration, ulid, utf8 } from '../encoding.js';
import { credentialIssuer, issueGrantSdJwt, issueGrantVc } from '../credentials.js';
import { checkGrantToken, issueGrantToken, issueRefreshToken } from '../grant-tokens.js';
import { badRequest, isString, json, noContent, notFound, objectBody, type Ctx, type Route } from '../http.js';
import type { GrantRecord } from '../store.js';
import { assertGrantCapacity } from './authorize.js';

const CREDENTIAL_FORMATS = ['jwt', 'vc-jwt', 'sd-jwt', 'both', 'agent-passport'];
const PKCE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

async function s256(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(verifier))));
}

/** The issuer DID of credentials and of the server's DID document. */
export const issuerDid = (ctx: Ctx) => credentialIssuer(ctx.core);

export const tokenRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/token',
    auth: 'apiKey',
    ipLimit: 20,
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const { code, agentId, codeVerifier, credentialFormat } = body;
      if (!isString(code) || code.length === 0 || code.length > 512 || !isString(agentId) || agentId.length === 0 || agentId.length > 256) {
        throw badRequest('code and agentId are required');
      }
      if (codeVerifier !== undefined && !isString(codeVerifier)) throw badRequest('codeVerifier must be a string');
      if (credentialFormat !== undefined && !CREDENTIAL_FORMATS.includes(credentialFormat as string)) throw badRequest('Invalid credentialFormat');

      const { store } = ctx.core;
      const request = store.authRequests.get(store.codes.get(code) ?? '');
      const agent = request && store.agents.get(request.agentId);
      if (!request || request.agentId !== agentId || request.developerId !== ctx.developer.developerId || agent?.status !== 'active') {
        throw badRequest('Invalid code');
      }
      // A consumed request (a code used before) lands here too.
      if (request.status !== 'approved') throw badRequest('Auth request not approved');
      if (request.expiresAt <= ctx.now) throw badRequest('Auth request expired');
      if (request.codeChallenge !== undefined) {
        if (codeVerifier === undefined) throw badRequest('codeVerifier is required for PKCE');
        if (!PKCE_VERIFIER.test(codeVerifier as string) || (await s256(codeVerifier as string)) !== request.codeChallenge) {
          throw badRequest('Invalid codeVerifier');
        }
      }
      assertGrantCapacity(ctx);

      // The grant lives for the `expiresIn` asked for at /v1/authorize, counted from the exchange.
      const grant: GrantRecord = {
        grantId: `grnt_${ulid(ctx.now)}`,
        developerId: request.developerId,
        agentId: request.agentId,
        agentDid: `did:grantex:${request.agentId}`,
        principalId: request.principalId,
        scopes: [...request.scopes],
        status: 'active',
        issuedAt: ctx.now,
        expiresAt: ctx.now + (parseDuration(request.expiresIn) ?? 86_400_000),
        ...(request.audience !== undefined ? { audience: request.audience } : {}),
        delegationDepth: 0,
        seq: store.nextSeq(),
      };
      request.status = 'consumed';
      store.grants.set(grant.grantId, grant);
      const { token, jti } = await issueGrantToken(ctx.core, grant);
      const refreshToken = issueRefreshToken(ctx.core, grant);
      const answer: Record<string, unknown> = {
        grantToken: token,
        expiresAt: iso(grant.expiresAt),
        scopes: [...grant.scopes],
        refreshToken,
        grantId: grant.grantId,
      };
      if (credentialFormat === 'vc-jwt' || credentialFormat === 'both') answer['verifiableCredential'] = await issueGrantVc(ctx.core, grant);
      if (credentialFormat === 'sd-jwt') answer['sdJwtCredential'] = await issueGrantSdJwt(ctx.core, grant);
      if (credentialFormat === 'agent-passport') answer['agentPassportId'] = `urn:grantex:passport:token-exchange:${grant.grantId}`;

      const { developerId, agentId: grantAgent, principalId, grantId } = grant;
      const scopes = [...grant.scopes];
      const expiresAt = iso(grant.expiresAt);
      await ctx.core.emit(developerId, 'grant.created', { grantId, agentId: grantAgent, principalId, scopes, expiresAt });
      await ctx.core.emit(developerId, 'token.issued', { tokenId: jti, grantId, agentId: grantAgent, principalId, scopes, expiresAt });
      return json(201, answer);
    },
  },
  {
    method: 'POST',
    path: '/v1/token/refresh',
    auth: 'apiKey',
    ipLimit: 20,
    handler: async (ctx) => {
      const body = objectBody(ctx);
      const { refreshToken, agentId } = body;
      if (!isString(refreshToken) || refreshToken.length === 0 || refreshToken.length > 512 || !isString(agentId) || agentId.length === 0 || agentId.length > 256) {
        throw badRequest('refreshToken and agentId are required');
      }
      const { store } = ctx.core;
      const record = store.refreshTokens.get(refreshToken);
      const grant = record && store.grants.get(record.grantId);
      if (!record || !grant || record.developerId !== ctx.developer.developerId) throw badRequest('Invalid refresh token');
      if (grant.agentId !== agentId) throw badRequest('Agent mismatch');
      if (record.used) throw badRequest('Refresh token already used');
      if (record.expiresAt <= ctx.now) throw badRequest('Refresh token expired');
      if (grant.status === 'revoked') throw badRequest('Grant has been revoked');
      if (grant.status !== 'active') throw badRequest('Grant is not active');
      if (grant.expiresAt <= ctx.now) throw badRequest('Grant has expired');
      if (store.agents.get(grant.agentId)?.status !== 'active') throw badRequest('Agent is not active');

      record.used = true;
      const budget = ctx.core.budgetOf?.(grant.grantId);
      const { token, jti } = await issueGrantToken(ctx.core, grant, budget === undefined ? {} : { bdg: budget });
      const next = issueRefreshToken(ctx.core, grant);
      await ctx.core.emit(grant.developerId, 'token.issued', {
        tokenId: jti,
        grantId: grant.grantId,
        agentId: grant.agentId,
        principalId: grant.principalId,
        scopes: [...grant.scopes],
        expiresAt: iso(grant.expiresAt),
      });
      return json(201, { grantToken: token, expiresAt: iso(grant.expiresAt), scopes: [...grant.scopes], refreshToken: next, grantId: grant.grantId });
    },
  },
  {
    method: 'POST',
    path: '/v1/tokens/verify',
    auth: 'apiKey',
    handler: async (ctx) => {
      const body = objectBody(ctx);
      if (!isString(body['token']) || body['token'].length === 0) throw badRequest('token is required');
      const check = await checkGrantToken(ctx.core, body['token'], ctx.developer.developerId);
      if (!check.ok) return json(200, { valid: false });
      const { claims } = check;
      return json(200, {
        valid: true,
        grantId: claims.grnt,
        scopes: [...claims.scp],
        principal: claims.sub,
        agent: claims.agt,
        expiresAt: iso(claims.exp * 1000),
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/tokens/revoke',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = objectBody(ctx);
      const jti = body['jti'];
      if (!isString(jti) || jti.length === 0 || jti.length > 512) throw badRequest('jti is required');
      const record = ctx.core.store.tokens.get(jti);
      if (!record || record.developerId !== ctx.developer.developerId || record.revoked) throw notFound('Token not found or already revoked');
      record.revoked = true;
      return noContent();
    },
  },
];
