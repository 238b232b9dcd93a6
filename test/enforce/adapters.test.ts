import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEnforcer, EnforcementError, type Enforcer, type NodeStyleRequest, type NodeStyleResponse } from '../../src/enforce/index.js';
import { GrantexConfigurationError } from '../../src/errors.js';
import { rootClaims, rsaKey, sign, type SigningKey } from '../support/tokens.js';
import { DEV, expectNoToken, GITHUB, ISSUER, STRIPE, tokenWith } from './support.js';

let key: SigningKey;
let enforcer: Enforcer;

beforeAll(async () => {
  key = await rsaKey('grantex-2026-11');
  enforcer = createEnforcer({ jwks: { keys: [key.publicJwk] }, issuer: ISSUER, developerId: DEV, manifests: [GITHUB, STRIPE] });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const request = (authorization?: string) =>
  new Request('https://tools.example/github/create_issue', { method: 'POST', headers: authorization === undefined ? {} : { authorization } });

/** Reads a denial Response: status, the headers that matter, the parsed body. */
async function read(response: Response | null) {
  expect(response).toBeInstanceOf(Response);
  const body = (await response!.json()) as Record<string, unknown>;
  return {
    status: response!.status,
    type: response!.headers.get('content-type'),
    challenge: response!.headers.get('www-authenticate'),
    cache: response!.headers.get('cache-control'),
    body,
    headers: [...response!.headers],
  };
}

describe('guard (fetch-style handlers)', () => {
  it('resolves to null when allowed', async () => {
    const grantToken = await tokenWith(key, ['tool:github:write']);
    await expect(enforcer.guard(request(`Bearer ${grantToken}`), { connector: 'github', tool: 'create_issue' })).resolves.toBeNull();
    // The scheme is case-insensitive (RFC 7235).
    await expect(enforcer.guard(request(`bearer ${grantToken}`), { connector: 'github', tool: 'create_issue' })).resolves.toBeNull();
  });

  it('answers 403 with { code, message } and an insufficient_scope challenge for a scope problem', async () => {
    const grantToken = await tokenWith(key, ['tool:github:read']);
    const denial = await read(await enforcer.guard(request(`Bearer ${grantToken}`), { connector: 'github', tool: 'create_issue' }));
    expect(denial).toMatchObject({
      status: 403,
      type: 'application/json; charset=utf-8',
      challenge: 'Bearer error="insufficient_scope"',
      cache: 'no-store',
    });
    expect(Object.keys(denial.body)).toEqual(['code', 'message']);
    expect(denial.body.code).toBe('PERMISSION_INSUFFICIENT');
    expectNoToken(grantToken, denial.body, denial.headers);
  });

  it('answers 401 with an invalid_token challenge for a token problem', async () => {
    const expired = await tokenWith(key, ['tool:github:admin'], { exp: Math.floor(Date.now() / 1000) - 60 });
    const denial = await read(await enforcer.guard(request(`Bearer ${expired}`), { connector: 'github', tool: 'create_issue' }));
    expect(denial).toMatchObject({ status: 401, challenge: 'Bearer error="invalid_token"', body: { code: 'TOKEN_EXPIRED' } });
    expectNoToken(expired, denial.body, denial.headers);
  });

  it.each([
    ['no Authorization header', undefined],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['an empty bearer', 'Bearer '],
    ['two credentials', 'Bearer aaaa.bbbb.cccc, Bearer dddd.eeee.ffff'],
  ])('answers 401 TOKEN_MALFORMED for %s', async (_, authorization) => {
    const denial = await read(await enforcer.guard(request(authorization), { connector: 'github', tool: 'create_issue' }));
    expect(denial).toMatchObject({ status: 401, body: { code: 'TOKEN_MALFORMED' } });
  });

  it('says when the header is missing', async () => {
    const denial = await read(await enforcer.guard(request(), { connector: 'github', tool: 'create_issue' }));
    expect(denial.body.message).toBe('The request has no "Authorization: Bearer <grant token>" header');
  });

  it('answers 403 for amounts over the cap and 503 when the keys cannot be loaded', async () => {
    const grantToken = await tokenWith(key, ['tool:stripe:write:capped:100']);
    const over = await read(await enforcer.guard(request(`Bearer ${grantToken}`), { connector: 'stripe', tool: 'create_payment', amount: 100.5 }));
    expect(over).toMatchObject({ status: 403, body: { code: 'AMOUNT_OVER_CAP' } });
    await expect(enforcer.guard(request(`Bearer ${grantToken}`), { connector: 'stripe', tool: 'create_payment', amount: 100 })).resolves.toBeNull();
    const offline = createEnforcer({
      jwksUri: 'https://api.grantex.dev/.well-known/jwks.json',
      developerId: DEV,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
      manifests: [GITHUB],
    });
    const remoteToken = await sign(key, rootClaims('https://grantex.dev', { scp: ['tool:github:admin'] }));
    const unavailable = await read(await offline.guard(request(`Bearer ${remoteToken}`), { connector: 'github', tool: 'create_issue' }));
    expect(unavailable).toMatchObject({ status: 503, challenge: null, body: { code: 'JWKS_UNAVAILABLE' } });
  });

  it('takes any object with fetch-style headers, and denies when they cannot be read', async () => {
    const grantToken = await tokenWith(key, ['tool:github:read']);
    const honoLike = { headers: new Headers({ Authorization: `Bearer ${grantToken}` }) };
    await expect(enforcer.guard(honoLike, { connector: 'github', tool: 'list_repos' })).resolves.toBeNull();
    const broken = { headers: { get: (): string | null => {
      throw new Error('closed');
    } } };
    expect((await read(await enforcer.guard(broken, { connector: 'github', tool: 'list_repos' }))).status).toBe(401);
  });

  it('denies a misspelt amount option instead of skipping the cap', async () => {
    const grantToken = await tokenWith(key, ['tool:stripe:write:capped:10']);
    const denial = await read(await enforcer.guard(request(`Bearer ${grantToken}`), { connector: 'stripe', tool: 'create_payment', amout: 5000 } as never));
    expect(denial).toMatchObject({ status: 403, body: { code: 'AMOUNT_INVALID' } });
  });
});

/** A minimal Connect-style response that records what the middleware did. */
function recorder() {
  const res = {
    statusCode: 200,
    headers: {} as Record<string, string>,
    body: undefined as string | undefined,
    setHeader(name: string, value: string) {
      res.headers[name] = value;
    },
    end(body: string) {
      res.body = body;
    },
  };
  return res;
}

/** Runs a middleware to completion: resolves once it has called next or ended the response. */
function drive(middleware: (req: NodeStyleRequest, res: NodeStyleResponse, next: (error?: unknown) => void) => void, req: NodeStyleRequest, res = recorder()) {
  return new Promise<{ next: unknown[] | undefined; res: ReturnType<typeof recorder> }>((resolve) => {
    const end = res.end.bind(res);
    res.end = (body: string) => {
      end(body);
      resolve({ next: undefined, res });
    };
    middleware(req, res, (...args: unknown[]) => resolve({ next: args, res }));
  });
}

describe('middleware (Express/Connect-shaped)', () => {
  it('calls next() and attaches the decision when allowed', async () => {
    const grantToken = await tokenWith(key, ['tool:github:write']);
    const req: NodeStyleRequest = { headers: { authorization: `Bearer ${grantToken}` } };
    const { next, res } = await drive(enforcer.middleware({ connector: 'github', tool: 'create_issue' }), req);
    expect(next).toEqual([]);
    expect(req.grantex).toMatchObject({ allowed: true, code: 'ALLOWED', grant: { principalId: 'user_alice' } });
    expect(res.body).toBeUndefined();
  });

  it('answers a denial itself, attaches it, and does not call next', async () => {
    const grantToken = await tokenWith(key, ['tool:github:read']);
    const req: NodeStyleRequest = { headers: { authorization: `Bearer ${grantToken}` } };
    const { next, res } = await drive(enforcer.middleware({ connector: 'github', tool: 'delete_repo' }), req);
    expect(next).toBeUndefined();
    expect(res.statusCode).toBe(403);
    expect(res.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'www-authenticate': 'Bearer error="insufficient_scope"',
    });
    expect(JSON.parse(res.body!)).toEqual({ code: 'PERMISSION_INSUFFICIENT', message: req.grantex!.message });
    expect(req.grantex).toMatchObject({ allowed: false, code: 'PERMISSION_INSUFFICIENT' });
    expectNoToken(grantToken, res.body, res.headers);
  });

  it('reads the amount from the request, and denies when it cannot', async () => {
    const grantToken = await tokenWith(key, ['tool:stripe:write:capped:100']);
    type BodyRequest = NodeStyleRequest & { body: { amount: number } };
    const middleware = enforcer.middleware<BodyRequest>({ connector: 'stripe', tool: 'create_payment', amount: (req) => req.body.amount });
    const at = (amount: number): BodyRequest => ({ headers: { authorization: `Bearer ${grantToken}` }, body: { amount } });
    expect((await drive(middleware as never, at(100))).next).toEqual([]);
    expect((await drive(middleware as never, at(101))).res.statusCode).toBe(403);
    const throwing = enforcer.middleware({ connector: 'stripe', tool: 'create_payment', amount: () => {
      throw new Error('no body');
    } });
    const req: NodeStyleRequest = { headers: { authorization: `Bearer ${grantToken}` } };
    await drive(throwing, req);
    expect(req.grantex?.code).toBe('AMOUNT_INVALID');
  });

  it('treats a repeated Authorization header as missing', async () => {
    const req: NodeStyleRequest = { headers: { authorization: ['Bearer a.b.c', 'Bearer d.e.f'] } };
    const { res } = await drive(enforcer.middleware({ connector: 'github', tool: 'list_repos' }), req);
    expect(res.statusCode).toBe(401);
    expect(req.grantex?.code).toBe('TOKEN_MALFORMED');
  });

  it('passes a failing response object to next', async () => {
    const grantToken = await tokenWith(key, ['tool:github:read']);
    const res = recorder();
    res.setHeader = () => {
      throw new Error('headers already sent');
    };
    const { next } = await drive(enforcer.middleware({ connector: 'github', tool: 'delete_repo' }), { headers: { authorization: `Bearer ${grantToken}` } }, res);
    expect((next?.[0] as Error).message).toBe('headers already sent');
  });

  it("fits node:http's IncomingMessage and ServerResponse", async () => {
    const guard = enforcer.middleware<IncomingMessage & NodeStyleRequest>({ connector: 'github', tool: 'create_issue' });
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      guard(req, res, () => res.writeHead(201, { 'content-type': 'text/plain' }).end(`created for ${(req as NodeStyleRequest).grantex?.grant?.principalId}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const allowed = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${await tokenWith(key, ['tool:github:write'])}` } });
      expect([allowed.status, await allowed.text()]).toEqual([201, 'created for user_alice']);
      const denied = await fetch(url, { method: 'POST' });
      expect(denied.status).toBe(401);
      expect(await denied.json()).toMatchObject({ code: 'TOKEN_MALFORMED' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each([
    ['an unknown option', { connector: 'github', tool: 'x', amout: 5 }],
    ['no tool', { connector: 'github' }],
    ['a numeric connector', { connector: 1, tool: 'x' }],
    ['an amount that is neither a number nor a function', { connector: 'github', tool: 'x', amount: '5' }],
    ['no options', undefined],
  ])('refuses %s when it is created', (_, options) => {
    expect(() => enforcer.middleware(options as never)).toThrow(GrantexConfigurationError);
  });
});

describe('wrapTool', () => {
  it('runs the tool when allowed, with its arguments and `this`', async () => {
    const grantToken = await tokenWith(key, ['tool:github:write']);
    const tool = vi.fn(async function (this: { repo: string }, title: string) {
      return `${this.repo}#1 ${title}`;
    });
    const wrapped = enforcer.wrapTool(tool, { connector: 'github', tool: 'create_issue', grantToken });
    await expect(wrapped.call({ repo: 'acme/api' }, 'Bug')).resolves.toBe('acme/api#1 Bug');
    expect(tool).toHaveBeenCalledWith('Bug');
  });

  it('rejects with an EnforcementError and never runs the tool when denied', async () => {
    const grantToken = await tokenWith(key, ['tool:github:read']);
    const tool = vi.fn(async () => 'deleted');
    const wrapped = enforcer.wrapTool(tool, { connector: 'github', tool: 'delete_repo', grantToken });
    const error = (await wrapped().catch((e: unknown) => e)) as EnforcementError;
    expect(error).toBeInstanceOf(EnforcementError);
    expect(error.code).toBe('PERMISSION_INSUFFICIENT');
    expect(tool).not.toHaveBeenCalled();
    expectNoToken(grantToken, error);
  });

  it('gets the token and the amount from the call, per call', async () => {
    const [small, large] = await Promise.all([tokenWith(key, ['tool:stripe:write:capped:50']), tokenWith(key, ['tool:stripe:write:capped:500'])]);
    const pay = enforcer.wrapTool(async (input: { token: string; cents: number }) => `paid ${input.cents / 100}`, {
      connector: 'stripe',
      tool: 'create_payment',
      getGrantToken: async (input) => input.token,
      amount: (input) => input.cents / 100,
    });
    await expect(pay({ token: large, cents: 10_000 })).resolves.toBe('paid 100');
    await expect(pay({ token: small, cents: 10_000 })).rejects.toMatchObject({ code: 'AMOUNT_OVER_CAP' });
    await expect(pay({ token: small, cents: 5_000 })).resolves.toBe('paid 50');
  });

  it('denies when the token or the amount cannot be obtained', async () => {
    const capped = await tokenWith(key, ['tool:stripe:write:capped:50']);
    const noToken = enforcer.wrapTool(async () => 'x', { connector: 'stripe', tool: 'create_payment', getGrantToken: () => {
      throw new Error('no session');
    } });
    await expect(noToken()).rejects.toMatchObject({ code: 'TOKEN_MALFORMED', message: 'The grant token could not be obtained' });
    const noAmount = enforcer.wrapTool(async () => 'x', { connector: 'stripe', tool: 'create_payment', grantToken: capped, amount: () => {
      throw new Error('bad input');
    } });
    await expect(noAmount()).rejects.toMatchObject({ code: 'AMOUNT_INVALID' });
  });

  it('passes the tool\'s own errors through unchanged', async () => {
    const grantToken = await tokenWith(key, ['tool:github:read']);
    const failure = new Error('GitHub is down');
    const wrapped = enforcer.wrapTool(async () => {
      throw failure;
    }, { connector: 'github', tool: 'list_repos', grantToken });
    await expect(wrapped()).rejects.toBe(failure);
  });

  it.each([
    ['both token options', { connector: 'github', tool: 'x', grantToken: 't', getGrantToken: () => 't' }],
    ['no token option', { connector: 'github', tool: 'x' }],
    ['an unknown option', { connector: 'github', tool: 'x', grantToken: 't', amout: 1 }],
    ['getGrantToken that is not a function', { connector: 'github', tool: 'x', getGrantToken: 't' }],
  ])('refuses %s when it is created', (_, options) => {
    expect(() => enforcer.wrapTool(async () => 0, options as never)).toThrow(GrantexConfigurationError);
  });

  it('refuses something that is not a function', () => {
    expect(() => enforcer.wrapTool('tool' as never, { connector: 'github', tool: 'x', grantToken: 't' })).toThrow(GrantexConfigurationError);
  });
});
