// Authorization requests and the consent endpoints. Sandbox keys get the code at once; live keys
// wait for the principal, who approves or denies through the public consent endpoints (or the
// consent page at `consentUrl`). Policies are evaluated here.
import { iso, parseDuration, ulid } from '../encoding.js';
import { badRequest, HttpError, isHttpUrl, isString, json, notFound, objectBody, type Ctx, type Route } from '../http.js';
import { rateHeaders } from '../rate-limit.js';
import type { AuthRequestRecord, Plan } from '../store.js';
import { evaluatePolicies } from './policies.js';

const GRANT_LIMIT: Record<Plan, number> = { free: 1000, pro: 50_000, enterprise: Infinity };
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const SCOPE_TEXT: Record<string, string> = {
  'calendar:read': 'Read your calendar events',
  'calendar:write': 'Create, modify, and delete your calendar events',
};

export function activeGrantCount(ctx: Ctx): number {
  let count = 0;
  for (const grant of ctx.core.store.grants.values()) {
    if (grant.developerId === ctx.developer.developerId && grant.status === 'active' && grant.expiresAt > ctx.now) count++;
  }
  return count;
}

export function assertGrantCapacity(ctx: Ctx, suffix = ''): void {
  const limit = GRANT_LIMIT[ctx.developer.plan];
  if (activeGrantCount(ctx) >= limit) {
    throw new HttpError(402, 'PLAN_LIMIT_EXCEEDED', `Plan limit reached: ${ctx.developer.plan} plan allows ${limit} active grant(s)${suffix}`);
  }
}

function approve(request: AuthRequestRecord, ctx: Ctx): string {
  const code = ulid(ctx.now);
  request.status = 'approved';
  request.code = code;
  ctx.core.store.codes.set(code, request.id);
  return code;
}

/** The request behind a public consent call, if it is still waiting for the principal. */
function pendingRequest(ctx: Ctx): { request: AuthRequestRecord | undefined; pending: boolean } {
  const request = ctx.core.store.authRequests.get(ctx.params['id']!);
  return { request, pending: request !== undefined && request.status === 'pending' && request.expiresAt > ctx.now };
}

function assertFido(ctx: Ctx, request: AuthRequestRecord): void {
  const developer = ctx.core.store.developers.get(request.developerId);
  if (developer?.fidoRequired && !request.fidoVerified) {
    throw new HttpError(403, 'FIDO_REQUIRED', 'A verified passkey assertion is required before this request can be decided');
  }
}

const redirect = (request: AuthRequestRecord) => ({
  ...(request.redirectUri !== undefined ? { redirectUri: request.redirectUri } : {}),
  ...(request.state !== undefined ? { state: request.state } : {}),
});

/** The sandbox-only approve/deny: a live key must go through consent; otherwise the request must be pending. */
function sandboxDecision(ctx: Ctx): AuthRequestRecord {
  if (ctx.developer.mode !== 'sandbox') {
    throw new HttpError(403, 'CONSENT_REQUIRED', 'Live authorization requests must be approved through the consent flow');
  }
  const request = ctx.core.store.authRequests.get(ctx.params['id']!);
  if (!request || request.developerId !== ctx.developer.developerId || request.status !== 'pending' || request.expiresAt <= ctx.now) {
    throw notFound('Auth request not found or already processed');
  }
  return request;
}

export const authorizeRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/authorize',
    auth: 'apiKey',
    handler: (ctx) => {
      // An extra 10 a minute per developer, checked before the body is looked at.
      const bucket = ctx.core.rate.take(`authorize:${ctx.developer.developerId}`, 10);
      if (!bucket.allowed) {
        throw new HttpError(429, 'RATE_LIMITED', `Rate limit exceeded, retry in ${bucket.resetSeconds} seconds`, undefined, rateHeaders(bucket));
      }
      const body = objectBody(ctx);
      const { agentId, principalId, scopes, redirectUri, state, audience, codeChallenge, codeChallengeMethod } = body;
      const expiresIn = body['expiresIn'] ?? '24h';
      if (
        !isString(agentId) || agentId.length === 0 || agentId.length > 256 ||
        !isString(principalId) || principalId.length === 0 || principalId.length > 256 ||
        !Array.isArray(scopes) || scopes.length === 0
      ) {
        throw badRequest('agentId, principalId, and scopes are required');
      }
      if (scopes.some((s) => !isString(s) || s.length > 256 || s.trim().length === 0)) throw badRequest('Invalid scope format');
      if (scopes.length > 100) throw badRequest('Too many scopes (max 100)');
      if (redirectUri !== undefined && !isHttpUrl(redirectUri)) throw badRequest('Invalid redirectUri');
      if (state !== undefined && (!isString(state) || state.length > 1024)) throw badRequest('state must be 1024 characters or fewer');
      if (audience !== undefined && (!isString(audience) || audience.length === 0 || audience.length > 1024)) {
        throw badRequest('audience must be a non-empty string of at most 1024 characters');
      }
      if ((codeChallenge === undefined) !== (codeChallengeMethod === undefined)) {
        throw badRequest('codeChallenge and codeChallengeMethod must be provided together');
      }
      if (codeChallenge !== undefined && (codeChallengeMethod !== 'S256' || !isString(codeChallenge) || !S256_CHALLENGE.test(codeChallenge))) {
        throw badRequest('codeChallengeMethod must be S256 and codeChallenge must be a valid S256 digest');
      }
      const lifetime = parseDuration(expiresIn);
      if (lifetime === undefined || lifetime <= 0) throw badRequest('Invalid expiresIn format. Use e.g. "1h", "30m", "24h".');
      assertGrantCapacity(ctx, '. Upgrade at /v1/billing/checkout');

      const { store } = ctx.core;
      const agent = store.agents.get(agentId);
      if (!agent || agent.developerId !== ctx.developer.developerId || agent.status !== 'active') throw notFound('Agent not found');

      const effect = evaluatePolicies(store, ctx.developer.developerId, { agentId, principalId, scopes: scopes as string[] }, ctx.now);
      if (effect === 'deny') throw new HttpError(403, 'POLICY_DENIED', 'Authorization denied by policy');

      const request: AuthRequestRecord = {
        id: `areq_${ulid(ctx.now)}`,
        developerId: ctx.developer.developerId,
        agentId,
        principalId,
        scopes: [...(scopes as string[])],
        ...(redirectUri !== undefined ? { redirectUri: redirectUri as string } : {}),
        ...(state !== undefined ? { state: state as string } : {}),
        expiresIn: expiresIn as string,
        ...(audience !== undefined ? { audience: audience as string } : {}),
        ...(codeChallenge !== undefined ? { codeChallenge: codeChallenge as string } : {}),
        status: 'pending',
        fidoVerified: false,
        createdAt: ctx.now,
        expiresAt: ctx.now + lifetime,
      };
      store.authRequests.set(request.id, request);
      const answer: Record<string, unknown> = {
        authRequestId: request.id,
        consentUrl: `${ctx.core.baseUrl()}/consent?req=${request.id}`,
        expiresAt: iso(request.expiresAt),
      };
      if (ctx.developer.mode === 'sandbox') {
        answer['sandbox'] = true;
        answer['code'] = approve(request, ctx);
      } else if (effect === 'allow') {
        answer['code'] = approve(request, ctx);
        answer['policyEnforced'] = true;
        answer['effect'] = 'allow';
      }
      return json(201, answer);
    },
  },
  {
    method: 'POST',
    path: '/v1/authorize/{id}/approve',
    auth: 'apiKey',
    handler: (ctx) => {
      const request = sandboxDecision(ctx);
      return json(200, { requestId: request.id, status: 'approved', code: approve(request, ctx) });
    },
  },
  {
    method: 'POST',
    path: '/v1/authorize/{id}/deny',
    auth: 'apiKey',
    handler: (ctx) => {
      const request = sandboxDecision(ctx);
      request.status = 'denied';
      return json(200, { requestId: request.id, status: 'denied' });
    },
  },
  {
    method: 'GET',
    path: '/v1/consent/{id}',
    auth: 'none',
    handler: (ctx) => {
      const { request, pending } = pendingRequest(ctx);
      if (!request) throw notFound('Auth request not found');
      if (!pending) throw new HttpError(410, 'GONE', 'Auth request expired or already processed');
      const agent = ctx.core.store.agents.get(request.agentId);
      const developer = ctx.core.store.developers.get(request.developerId);
      return json(200, {
        id: request.id,
        agentName: agent?.name ?? '',
        agentDid: `did:grantex:${request.agentId}`,
        agentDescription: agent?.description || null,
        scopes: [...request.scopes],
        scopeDescriptions: request.scopes.map((scope) => SCOPE_TEXT[scope] ?? scope),
        expiresAt: iso(request.expiresAt),
        status: 'pending',
        fidoRequired: developer?.fidoRequired ?? false,
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/consent/{id}/approve',
    auth: 'none',
    handler: (ctx) => {
      const { request, pending } = pendingRequest(ctx);
      // The real server answers 410 here even for an id it never issued.
      if (!request || !pending) throw new HttpError(410, 'GONE', 'Auth request expired or already processed');
      assertFido(ctx, request);
      return json(200, { code: approve(request, ctx), ...redirect(request) });
    },
  },
  {
    method: 'POST',
    path: '/v1/consent/{id}/deny',
    auth: 'none',
    handler: (ctx) => {
      const { request, pending } = pendingRequest(ctx);
      if (!request || !pending) throw notFound('Auth request not found or already processed');
      assertFido(ctx, request);
      request.status = 'denied';
      return json(200, redirect(request));
    },
  },
  {
    method: 'GET',
    path: '/consent',
    auth: 'none',
    handler: () =>
      new Response(CONSENT_PAGE, {
        status: 200,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
        },
      }),
  },
];

// A minimal consent page for trying flows by hand in a browser: it reads the request through the
// public JSON endpoints and approves or denies it. Text from the server is inserted as text.
const CONSENT_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authorization Request</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1f2328}
li{margin:.25rem 0}button{font:inherit;padding:.5rem 1.25rem;margin-right:.5rem;cursor:pointer}
.note{color:#656d76;font-size:.875rem}</style></head>
<body><h1>Authorization request</h1><p class="note">Local Grantex test server</p><div id="main">Loading…</div>
<script>
const main = document.getElementById('main');
const id = new URLSearchParams(location.search).get('req') || '';
const show = (text) => { main.textContent = text; };
async function decide(action) {
  const response = await fetch('/v1/consent/' + encodeURIComponent(id) + '/' + action, { method: 'POST' });
  const body = await response.json();
  if (!response.ok) return show(body.message || 'Request failed');
  if (body.redirectUri) {
    const target = new URL(body.redirectUri);
    if (body.code) target.searchParams.set('code', body.code);
    if (body.state) target.searchParams.set('state', body.state);
    if (action === 'deny') target.searchParams.set('error', 'access_denied');
    return location.assign(target.href);
  }
  show(action === 'approve' ? 'Approved. Authorization code: ' + body.code : 'Denied.');
}
fetch('/v1/consent/' + encodeURIComponent(id)).then(async (response) => {
  const body = await response.json();
  if (!response.ok) return show(body.message || 'Request not available');
  main.textContent = '';
  const intro = document.createElement('p');
  intro.textContent = body.agentName + ' (' + body.agentDid + ') asks for:';
  const list = document.createElement('ul');
  body.scopeDescriptions.forEach((text) => { const li = document.createElement('li'); li.textContent = text; list.appendChild(li); });
  const approve = document.createElement('button');
  approve.textContent = 'Approve';
  approve.onclick = () => decide('approve');
  const deny = document.createElement('button');
  deny.textContent = 'Deny';
  deny.onclick = () => decide('deny');
  main.append(intro, list, approve, deny);
});
</script></body></html>
`;
