// A small stand-in for the two endpoints live revocation uses: `POST /v1/tokens/verify` and
// `GET /v1/events/stream`. The test decides what each answers, publishes events, drops
// connections and counts requests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { decodeJwt } from 'jose';

import { delegatedClaims, rootClaims, sign, type SigningKey } from '../support/tokens.js';

export const ISSUER = 'https://grantex.test';
export const DEV = 'dev_01TESTDEV';
export const API_KEY = 'gx_test_revocation_key_0123456789abcdefghijklmnop';
export const MANIFEST = { connector: 'github', tools: { list_repos: 'read', create_issue: 'write' } };

export type VerifyAnswer = (token: string, res: ServerResponse) => boolean | void;

export class RevocationServer {
  /** `POST /v1/tokens/verify` requests, in order: the token each asked about. */
  readonly verifies: string[] = [];
  /** Authorization headers seen, on either endpoint. */
  readonly authorizations: string[] = [];
  /** `GET /v1/events/stream` requests, with their query. */
  readonly streams: string[] = [];
  /** Grants and token ids the verify endpoint treats as revoked (grants cascade through `parentGrnt` here too). */
  readonly revokedGrants = new Set<string>();
  readonly revokedTokens = new Set<string>();
  /** Replaces the verify endpoint's answer when it returns true (it wrote the response itself). */
  verifyOverride: VerifyAnswer | undefined;
  /** Replaces the stream endpoint's answer. */
  streamOverride: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  readonly #open = new Set<ServerResponse>();
  readonly #sockets = new Set<Socket>();
  #waiters: (() => void)[] = [];
  #nextId = 1;

  private constructor(readonly server: Server) {}

  static async start(): Promise<RevocationServer> {
    const server = createServer();
    const local = new RevocationServer(server);
    server.on('connection', (socket) => {
      socket.setNoDelay(true);
      local.#sockets.add(socket);
      socket.on('close', () => local.#sockets.delete(socket));
    });
    server.on('request', (req, res) => void local.#handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return local;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Open stream connections. */
  get connections(): number {
    return this.#open.size;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.authorizations.push(String(req.headers.authorization));
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/v1/events/stream') {
      this.streams.push(url.search);
      if (this.streamOverride) return this.streamOverride(req, res);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(': connected\n\n');
      this.#open.add(res);
      res.on('close', () => this.#open.delete(res));
      for (const waiter of this.#waiters.splice(0)) waiter();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/v1/tokens/verify') {
      let text = '';
      for await (const chunk of req) text += chunk;
      const { token } = JSON.parse(text) as { token: string };
      this.verifies.push(token);
      if (this.verifyOverride?.(token, res)) return;
      const claims = decodeJwt(token);
      let grant = claims.grnt as string | undefined;
      const parents = new Map(this.#lineage);
      let revoked = this.revokedTokens.has(String(claims.jti));
      for (let depth = 0; grant && depth < 5; depth++) {
        if (this.revokedGrants.has(grant)) revoked = true;
        grant = grant === claims.grnt ? (claims.parentGrnt as string | undefined) : parents.get(grant);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(revoked ? { valid: false } : { valid: true, grantId: claims.grnt }));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"NOT_FOUND","message":"no route"}');
  }

  /** child → parent, for the verify endpoint's cascade. */
  readonly #lineage = new Map<string, string>();
  delegate(child: string, parent: string): void {
    this.#lineage.set(child, parent);
  }

  /** Resolves once at least `count` stream connections are open. */
  async streamsOpen(count = 1): Promise<void> {
    while (this.#open.size < count) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  /** Sends one event to every open stream connection, as the API frames it. */
  publish(type: string, data: Record<string, unknown>): void {
    const event = { id: `evt_${this.#nextId++}`, type, createdAt: new Date().toISOString(), data };
    for (const res of this.#open) res.write(`data: ${JSON.stringify(event)}\n\n`);
  }

  /** Revokes a grant the way the API does: its tokens stop verifying, and `grant.revoked` goes out. */
  revokeGrant(grantId: string, cascade = true): void {
    this.revokedGrants.add(grantId);
    this.publish('grant.revoked', { grantId, cascade });
  }

  /** Ends every stream connection (a gap). */
  dropStreams(): void {
    for (const res of this.#open) res.destroy();
    this.#open.clear();
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let tokenCounter = 0;

/** A root grant token of `grantId` (a fresh `jti` each time unless given). */
export function rootToken(key: SigningKey, grantId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  return sign(key, rootClaims(ISSUER, { grnt: grantId, jti: `tok_${++tokenCounter}`, scp: ['tool:github:write'], ...overrides }));
}

/** A token delegated at `depth` from `parentGrantId`. */
export function delegatedToken(key: SigningKey, grantId: string, parentGrantId: string, depth: number): Promise<string> {
  return sign(key, delegatedClaims(ISSUER, { grnt: grantId, parentGrnt: parentGrantId, delegationDepth: depth, jti: `tok_${++tokenCounter}`, scp: ['tool:github:write'] }));
}

export const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 5 ms until it holds (the test's own timeout bounds it). */
export async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await tick(5);
}
