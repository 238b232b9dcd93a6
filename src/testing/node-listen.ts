// `listen()` on Node: serves a fetch handler with Hono's Node adapter. Only the Node build of the
// testing entry imports this file, and it loads the adapter (and with it node:http) on first use,
// so the entry itself still loads where there is no node:http.
import { GrantexConfigurationError } from '../errors.js';
import type { StartNodeServer } from './server.js';

// The little of node:http and the adapter used here, typed locally: src/ compiles without Node's types.
interface NodeHttpServer {
  address(): { port: number } | string | null;
  listen(port: number, hostname: string): void;
  close(callback: (error?: Error) => void): void;
  closeAllConnections?(): void;
  once(event: 'listening' | 'error', listener: (arg?: unknown) => void): void;
}

interface NodeAdapter {
  createAdaptorServer(options: { fetch: (request: Request, env: unknown) => Promise<Response>; port: number; hostname: string }): NodeHttpServer;
}

/**
 * Serves `handle` with Hono's Node adapter. Imported here, on first use, so that the testing
 * entry loads on runtimes without `node:http`.
 */
export const startNodeServer: StartNodeServer = async function startNodeServer(
  handle: (request: Request, env?: unknown) => Promise<Response>,
  port: number,
  hostname: string,
): Promise<{ port: number; close(): Promise<void> }> {
  let adapter: NodeAdapter;
  try {
    adapter = (await import('@hono/node-server')) as unknown as NodeAdapter;
  } catch (error) {
    throw Object.assign(new GrantexConfigurationError('listen() needs Node.js (node:http); on other runtimes pass server.fetch to the runtime\'s own server'), { cause: error });
  }
  const http = adapter.createAdaptorServer({ fetch: (request, env) => handle(request, env), port, hostname });
  await new Promise<void>((resolve, reject) => {
    http.once('listening', () => resolve());
    http.once('error', (error) => reject(error));
    http.listen(port, hostname);
  });
  const address = http.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would hold close() open until they time out.
        http.closeAllConnections?.();
      }),
  };
};
