// Node-only: a JWKS endpoint on 127.0.0.1 whose behaviour a test can switch. Everything else in
// test/jwt is runtime-neutral; a Deno or Bun run only needs another version of this file.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * `raw` serves {@link JwksServer.raw} with a Content-Length; `raw-chunked` serves it in 1 KiB chunks
 * without one; `redirect` answers 302 to a JWKS on the same server.
 */
export type JwksMode = 'ok' | 'status500' | 'html' | 'not-a-jwks' | 'hang' | 'raw' | 'raw-chunked' | 'redirect';

export interface JwksServer {
  /** `http://127.0.0.1:<port>/.well-known/jwks.json`. */
  readonly jwksUri: string;
  /** `http://127.0.0.1:<port>`: the issuer the verifier derives from `jwksUri`. */
  readonly origin: string;
  /** Number of JWKS requests received so far. */
  readonly requests: number;
  jwks: { keys: unknown[] };
  mode: JwksMode;
  /** The body of the `raw` modes. */
  raw: string;
  close(): Promise<void>;
}

export async function startJwksServer(jwks: { keys: unknown[] }): Promise<JwksServer> {
  let requests = 0;
  const hanging = new Set<ServerResponse>();
  const state = { jwks, mode: 'ok' as JwksMode, raw: '' };
  const server = createServer((request, response) => {
    if (request.url === '/elsewhere/jwks.json') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state.jwks));
      return;
    }
    if (request.url !== '/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    requests++;
    switch (state.mode) {
      case 'ok':
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state.jwks));
        return;
      case 'status500':
        response.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"boom"}');
        return;
      case 'html':
        response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Login</title>');
        return;
      case 'not-a-jwks':
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":"nope"}');
        return;
      case 'hang':
        hanging.add(response); // never answered; ended on close()
        return;
      case 'raw':
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(state.raw) }).end(state.raw);
        return;
      case 'raw-chunked':
        response.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < state.raw.length; i += 1024) response.write(state.raw.slice(i, i + 1024));
        response.end();
        return;
      case 'redirect':
        response.writeHead(302, { location: '/elsewhere/jwks.json' }).end();
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    jwksUri: `${origin}/.well-known/jwks.json`,
    origin,
    get requests() {
      return requests;
    },
    get jwks() {
      return state.jwks;
    },
    set jwks(value) {
      state.jwks = value;
    },
    get mode() {
      return state.mode;
    },
    set mode(value) {
      state.mode = value;
    },
    get raw() {
      return state.raw;
    },
    set raw(value) {
      state.raw = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on which nothing listens (a port that was just released). */
export async function unusedJwksUri(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/.well-known/jwks.json`;
}
