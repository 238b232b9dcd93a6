import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly at: number;
}

export type Behaviour = (req: IncomingMessage, res: ServerResponse, socket: Socket) => void;

/**
 * A loopback HTTP server that answers each request with the next scripted behaviour (the last
 * one repeats), and records what reached it. Tests use it to misbehave on purpose.
 */
export class HostileServer {
  readonly seen: SeenRequest[] = [];
  #behaviours: Behaviour[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<HostileServer> {
    const server = createServer();
    const hostile = new HostileServer(server);
    server.on('connection', (socket) => {
      hostile.#sockets.add(socket);
      socket.on('close', () => hostile.#sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      hostile.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, at: Date.now() });
      req.resume();
      const behaviour = hostile.#behaviours.length > 1 ? hostile.#behaviours.shift()! : hostile.#behaviours[0];
      if (!behaviour) {
        res.writeHead(500).end('no behaviour scripted');
        return;
      }
      behaviour(req, res, req.socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return hostile;
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Scripts the answers to the next requests, in order; the last repeats. */
  script(...behaviours: Behaviour[]): void {
    this.seen.length = 0;
    this.#behaviours = behaviours;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

export const reply =
  (status: number, body: unknown, headers: Record<string, string> = {}): Behaviour =>
  (_req, res) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(text);
  };

export const raw =
  (status: number, text: string, headers: Record<string, string>): Behaviour =>
  (_req, res) => {
    res.writeHead(status, headers);
    res.end(text);
  };

/** Sends headers and the first bytes of the body, then goes silent. */
export const stallBody: Behaviour = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
  res.write('{"agentId":');
};

/** Accepts the request and never answers. */
export const hang: Behaviour = () => {};

/** Sends part of the body, then resets the connection. */
export const resetMidBody: Behaviour = (_req, res, socket) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
  res.write('{"agentId":"ag_1",', () => socket.resetAndDestroy());
};
