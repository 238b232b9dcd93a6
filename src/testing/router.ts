// Route registration and the pipeline around it: every route on a Hono app, each request run
// through the pipeline (limits, authentication, body, error envelope), CORS preflights answered
// first, and webhook retries that have come due sent before the request is answered.
import { Hono } from 'hono';
import { uuidV4 } from './encoding.js';
import type { ServerCore } from './http.js';
import { preflight, runNotFound, runRoute } from './pipeline.js';
import { allRoutes } from './route-table.js';

/** Answers one request; `env` carries the Node bindings when served by `listen`. */
export type Handle = (request: Request, env?: unknown) => Promise<Response>;

export function createHandle(core: ServerCore, onUnexpectedError: (error: unknown) => void, deliverDue: () => Promise<void>): Handle {
  const app = new Hono();
  for (const route of allRoutes()) {
    const path = route.path.replace(/\{([^}]+)\}/g, ':$1');
    app.on(route.method, path, (c) => runRoute(core, { onUnexpectedError }, route, c.req.raw, c.req.param() as Record<string, string>, ipOf(c.env)));
  }
  app.notFound((c) => runNotFound(core, c.req.raw, ipOf(c.env)));
  app.onError((error, c) => {
    onUnexpectedError(error);
    return c.json({ message: 'An unexpected error occurred', code: 'INTERNAL_ERROR', requestId: uuidV4() }, 500);
  });

  return async (request, env) => {
    if (request.method === 'OPTIONS') return preflight(request);
    // Retries due on the server clock go out before the next request is answered.
    await deliverDue();
    return app.fetch(request, env);
  };
}

/** The client address when served by `listen` (Node bindings), else one shared key. */
function ipOf(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'local';
}
