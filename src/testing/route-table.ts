// Every route the server answers: the modelled ones (with state), then a spec-example route for
// each other operation of the spec, sorted so that static segments are tried before parameters.
import { eventSocketRoutes } from './event-socket.js';
import { eventStreamRoutes } from './event-stream.js';
import { fallbackRoute, testingOperations } from './fallback.js';
import type { Route } from './http.js';
import { accountRoutes } from './routes/account.js';
import { agentRoutes } from './routes/agents.js';
import { auditRoutes } from './routes/audit.js';
import { authorizeRoutes } from './routes/authorize.js';
import { grantRoutes } from './routes/grants.js';
import { extraRoutes } from './routes/index.js';
import { policyRoutes } from './routes/policies.js';
import { tokenRoutes } from './routes/tokens.js';
import { vaultRoutes } from './routes/vault.js';
import { webhookRoutes } from './routes/webhooks.js';

/** The fields of routes not modelled above come from routes/index.ts; this is their order of precedence. */
const STATE_ROUTES: Route[] = [
  ...accountRoutes,
  ...agentRoutes,
  ...authorizeRoutes,
  ...tokenRoutes,
  ...grantRoutes,
  ...vaultRoutes,
  ...auditRoutes,
  ...policyRoutes,
  ...webhookRoutes,
  ...eventStreamRoutes,
  ...eventSocketRoutes,
  ...extraRoutes,
];

/** Static segments sort before parameters, so `/v1/policies/bundles` is tried before `/v1/policies/{id}`. */
function specificity(path: string): string {
  return path
    .split('/')
    .map((segment) => (segment.startsWith('{') ? '\uffff' : segment))
    .join('/');
}

/** Every route: the modelled ones, then a spec-example route for each other operation of the spec. */
export function allRoutes(): Route[] {
  const routes = new Map<string, Route>();
  for (const route of STATE_ROUTES) routes.set(`${route.method} ${route.path}`, route);
  for (const operation of testingOperations) {
    const key = `${operation.method} ${operation.path}`;
    if (!routes.has(key)) routes.set(key, fallbackRoute(operation));
  }
  return [...routes.values()].sort((a, b) => {
    const [x, y] = [specificity(a.path), specificity(b.path)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * Internal (not exported by the entry): which operations have state and which answer their spec
 * example, for the test suite and the docs.
 */
export function routeTable(): { method: string; path: string; auth: string; modelled: boolean }[] {
  const modelled = new Set(STATE_ROUTES.map((route) => `${route.method} ${route.path}`));
  return allRoutes().map((route) => ({ method: route.method, path: route.path, auth: route.auth, modelled: modelled.has(`${route.method} ${route.path}`) }));
}
