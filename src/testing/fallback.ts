// Every operation of openapi.yaml that no route models with state answers its spec example, after
// the same authentication as the real route. The table is generated from the spec, so operations
// added to it later are answered too.
import { testingOperations, type TestingOperation } from '../../generated/testing-examples.gen.js';
import { cloneJson } from './encoding.js';
import { checkGrantToken } from './grant-tokens.js';
import { HttpError, type Route } from './http.js';

/**
 * Where the real server's authentication differs from the spec's `security` (public on the server,
 * api key in the spec), the server wins.
 */
const PUBLIC_ON_SERVER = new Set([
  'GET /v1/signup/verify/{token}',
  'POST /v1/webauthn/assert/options',
  'POST /v1/webauthn/assert/verify',
  'POST /v1/credentials/verify',
]);

function exampleResponse(operation: TestingOperation): Response {
  if (operation.contentType === undefined || operation.example === undefined) return new Response(null, { status: operation.status });
  const isJson = /json/.test(operation.contentType);
  const body = isJson ? JSON.stringify(cloneJson(operation.example)) : String(operation.example);
  const contentType = operation.contentType === 'application/json' ? 'application/json; charset=utf-8' : operation.contentType;
  return new Response(body, { status: operation.status, headers: { 'content-type': contentType } });
}

export function fallbackRoute(operation: TestingOperation): Route {
  const key = `${operation.method} ${operation.path}`;
  return {
    method: operation.method,
    path: operation.path,
    auth: PUBLIC_ON_SERVER.has(key) ? 'none' : operation.auth,
    handler: async (ctx) => {
      if (operation.auth === 'grantToken') {
        const check = await checkGrantToken(ctx.core, ctx.bearer);
        if (!check.ok) throw new HttpError(401, 'UNAUTHORIZED', 'Invalid or expired grant token');
      }
      return exampleResponse(operation);
    },
  };
}

export { testingOperations };
