// `listen()` on Node: serves a fetch handler with Hono's Node adapter. Only the Node build of the
// testing entry imports this file, and it loads the adapter (and with it node:http) on first use,
// so the entry itself still loads where there is no node:http.
import { GrantexConfigurationError } from '../errors.js';
import { acceptWebSocket, isWebSocketRequest, type NodeSocket } from './node-websocket.js';
import type { SocketUpgrade } from './event-socket.js';
import type { StartNodeServer } from './server.js';

/** Reason phrases of the statuses an upgrade request can be answered with. */
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Payload Too Large',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

// The little of node:http and the adapter used here, typed locally: src/ compiles without Node's types.
interface NodeHttpServer {
  address(): { port: number } | string | null;
  listen(port: number, hostname: string): void;
  close(callback: (error?: Error) => void): void;
  closeAllConnections?(): void;
  once(event: 'listening' | 'error', listener: (arg?: unknown) => void): void;
  on(event: 'upgrade', listener: (request: NodeIncoming, socket: NodeSocket, head: Uint8Array) => void): void;
}

interface NodeIncoming {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly socket?: { remoteAddress?: string | undefined } | undefined;
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
  upgrade: Parameters<StartNodeServer>[3],
): Promise<{ port: number; close(): Promise<void> }> {
  let adapter: NodeAdapter;
  try {
    adapter = (await import('@hono/node-server')) as unknown as NodeAdapter;
  } catch (error) {
    throw Object.assign(new GrantexConfigurationError('listen() needs Node.js (node:http); on other runtimes pass server.fetch to the runtime\'s own server'), { cause: error });
  }
  const http = adapter.createAdaptorServer({ fetch: (request, env) => handle(request, env), port, hostname });
  // The adapter serves no upgrades; the live event socket is answered here.
  http.on('upgrade', (incoming, socket, head) => {
    socket.on('error', () => socket.destroy());
    serveUpgrade(incoming, socket, head, hostname, upgrade).catch(() => socket.destroy());
  });
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

/** Runs an upgrade request through the server; writes its HTTP answer when it was not upgraded. */
async function serveUpgrade(
  incoming: NodeIncoming,
  socket: NodeSocket,
  head: Uint8Array,
  hostname: string,
  upgrade: Parameters<StartNodeServer>[3],
): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  const request = new Request(`http://${headers.get('host') ?? hostname}${incoming.url ?? '/'}`, { method: incoming.method ?? 'GET', headers });
  let upgraded = false;
  // Only a well-formed WebSocket handshake can be accepted; any other upgrade is an HTTP request.
  const accept = isWebSocketRequest(headers)
    ? (open: Parameters<SocketUpgrade>[0]) => {
        upgraded = true;
        return acceptWebSocket(headers.get('sec-websocket-key')!, socket, head, open);
      }
    : undefined;
  const answer = await upgrade(request, { incoming }, accept);
  if (upgraded) return;
  const body = new Uint8Array(await answer.arrayBuffer());
  const lines = [`HTTP/1.1 ${answer.status} ${REASONS[answer.status] ?? 'Error'}`];
  answer.headers.forEach((value, name) => {
    if (name !== 'content-length' && name !== 'connection' && name !== 'transfer-encoding') lines.push(`${name}: ${value}`);
  });
  lines.push(`content-length: ${body.byteLength}`, 'connection: close', '', '');
  socket.write(lines.join('\r\n'));
  socket.write(body);
  socket.end();
}
