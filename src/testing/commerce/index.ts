// Every commerce operation of the spec as a route of the local server: 503 `commerce_disabled`
// unless the server was created with `commerce: true` (before any credential is read, as the real
// server does), then the caller's credential, then the modelled route or, for operations without
// state here, the spec's example answer.
import { testingOperations, type TestingOperation } from '../../../generated/testing-examples.gen.js';
import { cloneJson, ulid } from '../encoding.js';
import { HttpError, type Ctx, type Route, type ServerCore } from '../http.js';
import { fail, resolveCaller } from './caller.js';
import { catalogRoutes } from './catalog.js';
import { passportRoutes } from './passports.js';
import { paymentRoutes, settlePayment } from './payments.js';
import type { CommerceRoute } from './route.js';
import { CommerceState } from './state.js';

export { CommerceState };

const MODELLED: CommerceRoute[] = [...catalogRoutes, ...passportRoutes, ...paymentRoutes];

const isCommercePath = (path: string) => path.startsWith('/v1/commerce/') || path === '/.well-known/grantex-commerce' || path === '/mcp';

function disabled(ctx: Ctx): never {
  const error = fail(503, 'commerce_disabled', 'Grantex Commerce V1 is not enabled in this environment', { retryable: false });
  if (ctx.url.pathname !== '/mcp') throw error;
  // The MCP endpoint speaks JSON-RPC: the envelope rides in the error's data.
  const id = (ctx.body as { id?: unknown } | undefined)?.id ?? null;
  throw new HttpError(503, 'commerce_disabled', error.message, { jsonrpc: '2.0', id, error: { code: -32000, message: 'Commerce disabled', data: error.body } });
}

/** The spec example of an operation the local server keeps no state for. */
function example(operation: TestingOperation): (ctx: Ctx) => Promise<Response> {
  return async () => {
    if (operation.contentType === undefined || operation.example === undefined) return new Response(null, { status: operation.status });
    const isJson = /json/.test(operation.contentType);
    return new Response(isJson ? JSON.stringify(cloneJson(operation.example)) : String(operation.example), {
      status: operation.status,
      headers: { 'content-type': isJson ? 'application/json; charset=utf-8' : operation.contentType },
    });
  };
}

function wrap(route: CommerceRoute): Route {
  return {
    method: route.method,
    path: route.path,
    auth: 'none',
    ...(route.ipLimit === undefined ? {} : { ipLimit: route.ipLimit }),
    handler: async (ctx: Ctx) => {
      if (!commerceEnabled(ctx.core)) disabled(ctx);
      if (route.public) return route.handler(ctx);
      return route.handler(ctx, await resolveCaller(ctx));
    },
  };
}

function commerceEnabled(core: ServerCore): boolean {
  return core.commerceEnabled === true;
}

/** The commerce routes: the modelled ones, and a spec-example route for every other commerce operation. */
export function commerceRoutes(): Route[] {
  const modelled = new Set(MODELLED.map((route) => `${route.method} ${route.path}`));
  const rest: CommerceRoute[] = testingOperations
    .filter((operation) => isCommercePath(operation.path) && !modelled.has(`${operation.method} ${operation.path}`))
    .map((operation) =>
      operation.auth === 'none'
        ? { method: operation.method, path: operation.path, public: true as const, handler: example(operation) }
        : { method: operation.method, path: operation.path, handler: example(operation) },
    );
  return [...MODELLED, ...rest].map(wrap);
}

/**
 * What a test needs that no API offers: merchant keys (the real server has no route that issues
 * them), the user's side of consent (a browser, a one-time code), and the provider's webhook that
 * settles a payment.
 */
export interface TestCommerce {
  /** Issues a sandbox merchant key (`grtx_sk_sandbox_…`) for a merchant the server knows. */
  merchantKey(merchantId: string): string;
  /** Grants a consent request as the user `subject` would on the consent page. */
  approveConsent(consentRequestId: string, subject?: string): void;
  /** Denies a consent request as the user would. */
  denyConsent(consentRequestId: string): void;
  /** Settles a `payment_pending` intent as the mock provider's webhook would (`paid` by default). */
  settlePayment(paymentIntentId: string, outcome?: 'paid' | 'failed'): void;
}

/** The commerce helpers of a test server, over whichever store it currently has. */
export function testCommerce(state: () => CommerceState, now: () => number): TestCommerce {
  const consent = (id: string) => {
    const record = state().consents.get(id);
    if (!record) throw new Error(`unknown consent request ${id}`);
    if (record.status !== 'requested') throw new Error(`consent request ${id} is already ${record.status}`);
    if (record.expiresAt <= now()) throw new Error(`consent request ${id} has expired`);
    return record;
  };
  return {
    merchantKey(merchantId) {
      if (!state().merchants.has(merchantId)) throw new Error(`unknown merchant ${merchantId}`);
      const key = `grtx_sk_sandbox_${ulid(now()).toLowerCase()}`;
      state().merchantKeys.set(key, merchantId);
      return key;
    },
    approveConsent(consentRequestId, subject) {
      const record = consent(consentRequestId);
      if (record.userHint !== null && subject !== undefined && subject !== record.userHint) throw new Error('principal_hint_mismatch: another user was named for this consent');
      record.status = 'granted';
      record.subject = subject ?? record.userHint ?? 'user_test';
    },
    denyConsent(consentRequestId) {
      consent(consentRequestId).status = 'denied';
    },
    settlePayment(paymentIntentId, outcome = 'paid') {
      settlePayment(state(), paymentIntentId, outcome, now());
    },
  };
}
