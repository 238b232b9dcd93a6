// What every request goes through before and after its route: the per-IP limit, authentication,
// the plan limit, body parsing, the error envelope, and the headers the real server sends.
import { readCappedBody } from '../internal/capped-body.js';
import { uuidV4 } from './encoding.js';
import { HttpError, json, type Ctx, type Route, type ServerCore } from './http.js';
import { rateHeaders, type RateDecision } from './rate-limit.js';
import type { DeveloperRecord, Plan } from './store.js';

const MAX_BODY = 1024 * 1024;
const IP_LIMIT = 5000;
const PLAN_LIMIT: Record<Plan, number> = { free: 100, pro: 500, enterprise: 2000 };
const API_KEY_HEADER = /^bearer\s+(\S{16,512})$/i;

/**
 * Routes that read their body without a default on the real server: a POST with no body and no
 * Content-Type fails there with 500. Kept, so that clients see the same answer.
 */
const BODY_REQUIRED = new Set([
  'POST /v1/vault/credentials',
  'POST /v1/vault/credentials/exchange',
  'POST /v1/policies',
  'PATCH /v1/policies/{id}',
  'POST /v1/policies/sync',
  'POST /v1/policies/sync/webhook',
  'POST /v1/budget/allocate',
  'POST /v1/budget/debit',
  'POST /v1/webauthn/register/options',
  'POST /v1/webauthn/register/verify',
  'POST /v1/webauthn/assert/options',
  'POST /v1/webauthn/assert/verify',
  'POST /v1/passport/issue',
  'POST /v1/registry/orgs',
  'POST /v1/trust-registry/verify-dns',
  'POST /v1/mcp/servers',
  'POST /v1/mcp/certification/apply',
  'POST /v1/dpdp/consent-records',
  'POST /v1/dpdp/consent-records/{recordId}/withdraw',
  'POST /v1/dpdp/consent-notices',
  'POST /v1/dpdp/grievances',
  'POST /v1/dpdp/exports',
]);

const SECURITY_HEADERS: Record<string, string> = {
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

const CORS_ALLOWED_HEADERS = 'Content-Type, Authorization, Idempotency-Key';
const CORS_EXPOSED_HEADERS = 'X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After';

/** Hooks of the server around the routes. */
export interface PipelineOptions {
  /** Called with errors a route did not expect (they answer 500 INTERNAL_ERROR). */
  readonly onUnexpectedError: (error: unknown) => void;
}

/** Copies `response` with the server's standard and CORS headers; route-set headers win (e.g. the consent page's CSP). */
function finish(response: Response, request: Request, extra: Record<string, string> = {}): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries({ ...SECURITY_HEADERS, ...extra })) {
    if (!response.headers.has(name)) headers.set(name, value);
  }
  const origin = request.headers.get('origin');
  if (origin) {
    headers.set('Access-Control-Allow-Origin', origin);
    headers.set('Access-Control-Allow-Credentials', 'true');
    headers.set('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS);
    headers.append('Vary', 'Origin');
  }
  const body = request.method === 'HEAD' || response.status === 204 ? null : response.body;
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** The answer to a CORS preflight: any path, the methods and headers the API accepts. */
export function preflight(request: Request): Response {
  const response = new Response(null, {
    status: 204,
    headers: {
      'Access-Control-Allow-Methods': 'GET, HEAD, PUT, POST, PATCH, DELETE',
      'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS,
      'Access-Control-Max-Age': '600',
    },
  });
  return finish(response, request);
}

function errorResponse(error: HttpError, requestId: string): Response {
  const body = error.body !== undefined ? error.body : { message: error.message, code: error.code, requestId };
  return json(error.status, body, error.headers);
}

const unexpected = (requestId: string) =>
  json(500, { message: 'An unexpected error occurred', code: 'INTERNAL_ERROR', requestId });

/** The developer behind an `Authorization: Bearer <apiKey>` header; 401 as the real server words it. */
function authenticateApiKey(core: ServerCore, request: Request): DeveloperRecord {
  const match = API_KEY_HEADER.exec(request.headers.get('authorization') ?? '');
  if (!match) throw new HttpError(401, 'UNAUTHORIZED', 'Missing or invalid Authorization header');
  const developer = core.store.developers.get(core.store.apiKeys.get(match[1]!) ?? '');
  if (!developer) throw new HttpError(401, 'UNAUTHORIZED', 'Invalid API key');
  return developer;
}

/** The token after a case-sensitive `Bearer ` (grant tokens, SCIM tokens, session tokens). */
function strictBearer(request: Request): string | undefined {
  const header = request.headers.get('authorization') ?? '';
  return header.startsWith('Bearer ') && header.length > 7 ? header.slice(7).trim() : undefined;
}

const scimError = (status: number, scimType: string, detail: string) =>
  new HttpError(status, scimType, detail, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail, scimType, status });

async function authenticateSession(core: ServerCore, request: Request): Promise<{ developer: DeveloperRecord; principalId: string }> {
  const token = strictBearer(request);
  const fail = (message: string) => new HttpError(401, 'UNAUTHORIZED', message, { message, code: 'UNAUTHORIZED' });
  if (!token) throw fail('Missing session token');
  const claims = await core.signer.verify(token);
  const developer = core.store.developers.get(String(claims?.['dev']));
  if (
    !claims || !developer || claims['purpose'] !== 'principal_dashboard' || typeof claims['sub'] !== 'string' ||
    typeof claims['exp'] !== 'number' || claims['exp'] * 1000 <= core.clock.ms()
  ) {
    throw fail('Invalid or expired session token');
  }
  return { developer, principalId: claims['sub'] };
}

const tooLarge = () => new HttpError(413, 'BAD_REQUEST', 'Request body is too large');

/** Reads the JSON body under the real server's rules (1 MiB, JSON only, an empty JSON body is an error). */
async function readBody(request: Request, routeKey: string): Promise<unknown> {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY) throw tooLarge();
  // The shared reader trusts a declared Content-Length, which holds for a response from the network
  // but not for a Request a test hands to `server.fetch`, where nothing checks it. A Response made
  // around the stream declares nothing, so every byte is counted and reading stops at the limit.
  const bytes = await readCappedBody(new Response(request.body), MAX_BODY);
  if (bytes === undefined) throw tooLarge();
  const contentType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const isJson = contentType === 'application/json' || /^application\/[\w.+-]*\+json$/.test(contentType);
  if (bytes.byteLength === 0) {
    if (isJson) throw new HttpError(400, 'BAD_REQUEST', "Body cannot be empty when content-type is set to 'application/json'");
    if (contentType === '' && BODY_REQUIRED.has(routeKey)) throw new HttpError(500, 'INTERNAL_ERROR', 'An unexpected error occurred');
    return undefined;
  }
  if (!isJson) throw new HttpError(415, 'BAD_REQUEST', `Unsupported Media Type: ${contentType || 'none'}`);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', "Body is not valid JSON but content-type is set to 'application/json'");
  }
}

/** The per-IP bucket. Routes with their own `rl N/min/IP` count separately from the shared one. */
function takeIp(core: ServerCore, ip: string, route: Route | undefined): RateDecision {
  const key = route?.ipLimit ? `ip:${ip}:${route.method} ${route.path}` : `ip:${ip}`;
  return core.rate.take(key, route?.ipLimit ?? IP_LIMIT);
}

function ipRefusal(decision: RateDecision): HttpError {
  const wait = decision.resetSeconds === 60 ? '1 minute' : `${decision.resetSeconds} seconds`;
  return new HttpError(429, 'BAD_REQUEST', `Rate limit exceeded, retry in ${wait}`);
}

function takePlan(core: ServerCore, developer: DeveloperRecord): RateDecision {
  const decision = core.rate.take(`plan:${developer.developerId}`, PLAN_LIMIT[developer.plan]);
  if (!decision.allowed) {
    throw new HttpError(429, 'RATE_LIMIT_EXCEEDED', `Plan rate limit exceeded, retry in ${decision.resetSeconds} seconds`, undefined, rateHeaders(decision));
  }
  return decision;
}

/** Runs one route: limits, authentication, body, handler, and the error envelope. */
export async function runRoute(
  core: ServerCore,
  options: PipelineOptions,
  route: Route,
  request: Request,
  params: Record<string, string>,
  ip: string,
): Promise<Response> {
  const requestId = uuidV4();
  const now = core.clock.ms();
  // The JWKS is exempt from every limit.
  const exempt = route.path === '/.well-known/jwks.json';
  let limits: RateDecision | undefined;
  try {
    if (!exempt) {
      limits = takeIp(core, ip, route);
      if (!limits.allowed) throw ipRefusal(limits);
    }
    let developer: DeveloperRecord | undefined;
    let bearer: string | undefined;
    let principalId: string | undefined;
    switch (route.auth) {
      case 'apiKey':
        developer = authenticateApiKey(core, request);
        limits = takePlan(core, developer);
        break;
      case 'grantToken':
        bearer = strictBearer(request);
        if (!bearer) throw new HttpError(401, 'UNAUTHORIZED', 'Missing grant token');
        break;
      case 'scimToken': {
        bearer = strictBearer(request);
        const token = bearer === undefined ? undefined : [...core.store.scimTokens.values()].find((t) => t.token === bearer);
        developer = token && core.store.developers.get(token.developerId);
        if (!developer) throw scimError(401, 'unauthorized', 'Invalid or missing SCIM bearer token');
        break;
      }
      case 'principalSession':
        ({ developer, principalId } = await authenticateSession(core, request));
        break;
      case 'none':
        break;
    }
    const routeKey = `${route.method} ${route.path}`;
    const body = await readBody(request, routeKey);
    const url = new URL(request.url);
    const ctx: Ctx = {
      core,
      request,
      url,
      params,
      query: url.searchParams,
      body,
      requestId,
      get developer(): DeveloperRecord {
        if (!developer) throw new Error(`${routeKey} has no authenticated developer`);
        return developer;
      },
      bearer,
      principalId,
      now,
    };
    const response = await route.handler(ctx);
    return finish(response, request, limits ? rateHeaders(limits) : {});
  } catch (error) {
    const headers = limits ? rateHeaders(limits) : {};
    if (error instanceof HttpError) {
      // A refusal's own limit headers (plan or authorize bucket) replace the per-IP ones.
      return finish(errorResponse(error, requestId), request, { ...headers, ...error.headers });
    }
    options.onUnexpectedError(error);
    return finish(unexpected(requestId), request, headers);
  }
}

/**
 * An unknown route. It still passes the API-key check (so an unauthenticated request gets 401, not
 * 404), except under `/.well-known/` and `/scim/`; then the framework's own 404 body.
 */
export function runNotFound(core: ServerCore, request: Request, ip: string): Response {
  const requestId = uuidV4();
  const url = new URL(request.url);
  let limits: RateDecision | undefined;
  try {
    limits = takeIp(core, ip, undefined);
    if (!limits.allowed) throw ipRefusal(limits);
    if (!url.pathname.startsWith('/.well-known/') && !url.pathname.startsWith('/scim/')) {
      limits = takePlan(core, authenticateApiKey(core, request));
    }
    const body = { message: `Route ${request.method}:${url.pathname}${url.search} not found`, error: 'Not Found', statusCode: 404 };
    return finish(json(404, body), request, rateHeaders(limits));
  } catch (error) {
    const headers = limits ? rateHeaders(limits) : {};
    if (error instanceof HttpError) return finish(errorResponse(error, requestId), request, { ...headers, ...error.headers });
    throw error;
  }
}
