import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEnforcer, defineManifest, EnforcementError, ManifestError, type Enforcer, type EnforcementDecision } from '../../src/enforce/index.js';
import { GrantexConfigurationError, GrantexError, isGrantexError } from '../../src/errors.js';
import { delegatedClaims, hs256, nowSeconds, rootClaims, rsaKey, sign, type SigningKey } from '../support/tokens.js';
import { DEV, expectNoToken, GITHUB, ISSUER, STRIPE, tokenWith } from './support.js';

let key: SigningKey;
let stranger: SigningKey;
let enforcer: Enforcer;
const local = () => ({ jwks: { keys: [key.publicJwk] }, issuer: ISSUER, developerId: DEV });

beforeAll(async () => {
  [key, stranger] = await Promise.all([rsaKey('grantex-2026-11'), rsaKey('grantex-2026-11')]);
  enforcer = createEnforcer({ ...local(), manifests: [GITHUB, STRIPE] });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

type Call = { connector: string; tool: string; amount?: unknown };

/** Checks one call with a token carrying `scopes`, and asserts the decision never carries the token. */
async function decide(scopes: string[], call: Call, using: Enforcer = enforcer): Promise<EnforcementDecision> {
  const grantToken = await tokenWith(key, scopes);
  const decision = await using.check({ grantToken, ...call } as never);
  expect(Object.isFrozen(decision)).toBe(true);
  expectNoToken(grantToken, decision);
  return decision;
}

describe('the decision table: every code', () => {
  const expired = () => tokenWith(key, ['tool:github:admin'], { iat: nowSeconds() - 7200, exp: nowSeconds() - 60 });
  it.each<[string, string, () => Promise<string>, Call]>([
    ['a valid token with the level', 'ALLOWED', () => tokenWith(key, ['tool:github:write']), { connector: 'github', tool: 'create_issue' }],
    ['garbage', 'TOKEN_MALFORMED', async () => 'not-a-grant-token-but-long-enough', { connector: 'github', tool: 'create_issue' }],
    ['an expired token', 'TOKEN_EXPIRED', expired, { connector: 'github', tool: 'create_issue' }],
    ['a token from the future', 'TOKEN_NOT_YET_VALID', () => tokenWith(key, ['tool:github:admin'], { nbf: nowSeconds() + 600 }), { connector: 'github', tool: 'list_repos' }],
    ['a forged signature', 'TOKEN_SIGNATURE_INVALID', () => sign(stranger, rootClaims(ISSUER, { scp: ['tool:github:admin'] })), { connector: 'github', tool: 'list_repos' }],
    ['an unknown key id', 'TOKEN_KEY_UNKNOWN', () => sign(key, rootClaims(ISSUER), { kid: 'other' }), { connector: 'github', tool: 'list_repos' }],
    ['HS256', 'TOKEN_ALGORITHM_UNSUPPORTED', () => hs256(rootClaims(ISSUER), key.kid, new Uint8Array(32)), { connector: 'github', tool: 'list_repos' }],
    ['another issuer', 'TOKEN_ISSUER_INVALID', () => sign(key, rootClaims('https://evil.test', { scp: ['tool:github:admin'] })), { connector: 'github', tool: 'list_repos' }],
    ['another developer', 'TOKEN_WRONG_DEVELOPER', () => tokenWith(key, ['tool:github:admin'], { dev: 'dev_01OTHER' }), { connector: 'github', tool: 'list_repos' }],
    ['an audience-restricted token', 'TOKEN_AUDIENCE_INVALID', () => tokenWith(key, ['tool:github:admin'], { aud: 'https://mail.example' }), { connector: 'github', tool: 'list_repos' }],
    ['a token without jti', 'TOKEN_CLAIMS_MISSING', () => tokenWith(key, ['tool:github:admin'], { jti: undefined }), { connector: 'github', tool: 'list_repos' }],
    ['an unknown connector', 'CONNECTOR_UNKNOWN', () => tokenWith(key, ['tool:jira:admin']), { connector: 'jira', tool: 'create_ticket' }],
    ['an unknown tool, even with admin', 'TOOL_UNKNOWN', () => tokenWith(key, ['tool:github:admin']), { connector: 'github', tool: 'fork_repo' }],
    ['no scope for the connector', 'SCOPE_MISSING', () => tokenWith(key, ['tool:stripe:admin', 'calendar:read']), { connector: 'github', tool: 'list_repos' }],
    ['a level below the tool', 'PERMISSION_INSUFFICIENT', () => tokenWith(key, ['tool:github:write']), { connector: 'github', tool: 'delete_repo' }],
    ['an amount over the cap', 'AMOUNT_OVER_CAP', () => tokenWith(key, ['tool:stripe:write:payments:capped:500']), { connector: 'stripe', tool: 'create_payment', amount: 501 }],
    ['a negative amount under a cap', 'AMOUNT_INVALID', () => tokenWith(key, ['tool:stripe:write:payments:capped:500']), { connector: 'stripe', tool: 'create_payment', amount: -1 }],
  ])('%s → %s', async (_, code, mint, call) => {
    const grantToken = await mint();
    const decision = await enforcer.check({ grantToken, ...call } as never);
    expect(decision.code).toBe(code);
    expect(decision.allowed).toBe(code === 'ALLOWED');
    expect(decision.wouldDeny).toBeNull();
    expect(decision.grant === null).toBe(code.startsWith('TOKEN_'));
    expect(Object.isFrozen(decision)).toBe(true);
    expectNoToken(grantToken, decision, decision.message);
  });

  it('TOKEN_DELEGATION_TOO_DEEP with maxDelegationDepth', async () => {
    const shallow = createEnforcer({ ...local(), maxDelegationDepth: 0, manifests: [GITHUB] });
    const grantToken = await sign(key, delegatedClaims(ISSUER, { scp: ['tool:github:read'] }));
    expect((await shallow.check({ grantToken, connector: 'github', tool: 'list_repos' })).code).toBe('TOKEN_DELEGATION_TOO_DEEP');
  });

  it('JWKS_UNAVAILABLE when the keys cannot be loaded', async () => {
    const offline = createEnforcer({
      jwksUri: 'https://api.grantex.dev/.well-known/jwks.json',
      developerId: DEV,
      fetch: async () => new Response('down', { status: 503 }),
      manifests: [GITHUB],
    });
    const grantToken = await sign(key, rootClaims('https://grantex.dev', { scp: ['tool:github:read'] }));
    const decision = await offline.check({ grantToken, connector: 'github', tool: 'list_repos' });
    expect(decision).toMatchObject({ allowed: false, code: 'JWKS_UNAVAILABLE', message: 'Could not load the JWKS from api.grantex.dev: HTTP 503, expected 200' });
  });

  it('TOKEN_INVALID for a call object that throws when read, never a rejection', async () => {
    const hostile = {
      get grantToken(): string {
        throw new Error('boom');
      },
      connector: 'github',
      tool: 'list_repos',
    };
    expect(await enforcer.check(hostile)).toMatchObject({ allowed: false, code: 'TOKEN_INVALID' });
    const worse = { grantToken: 'x', get connector(): string {
      throw new Error('boom');
    }, tool: 't' };
    expect(await enforcer.check(worse)).toMatchObject({ allowed: false, code: 'TOKEN_INVALID', message: 'The call could not be decided' });
  });

  it('never rejects for input that is not a call', async () => {
    for (const input of [undefined, null, 42, 'token', [], { grantToken: 42 }, { grantToken: ['a.b.c'] }]) {
      await expect(enforcer.check(input as never)).resolves.toMatchObject({ allowed: false, code: 'TOKEN_MALFORMED', grant: null });
    }
  });

  it('fills every field of an allowed decision', async () => {
    const decision = await decide(['tool:stripe:write:payments:capped:500', 'calendar:read'], { connector: 'stripe', tool: 'create_payment', amount: 120 });
    expect(decision).toEqual({
      allowed: true,
      code: 'ALLOWED',
      message: 'Allowed: the tool "create_payment" of connector "stripe" needs write; the grant holds write; amount 120 is within the cap of 500',
      connector: 'stripe',
      tool: 'create_payment',
      required: 'write',
      granted: 'write',
      cap: 500,
      grant: expect.objectContaining({ verified: true, developerId: DEV, principalId: 'user_alice' }),
      wouldDeny: null,
    });
  });

  it('names the levels in a PERMISSION_INSUFFICIENT message', async () => {
    const decision = await decide(['tool:github:write'], { connector: 'github', tool: 'manage_org' });
    expect(decision).toMatchObject({ required: 'admin', granted: 'write', cap: null });
    expect(decision.message).toBe('The tool "manage_org" of connector "github" needs admin; the grant holds write');
  });

  it('denies a call with an unknown field, so that a misspelt amount cannot skip the cap', async () => {
    const decision = await decide(['tool:stripe:write:capped:10'], { connector: 'stripe', tool: 'create_payment', amout: 5000 } as Call);
    expect(decision).toMatchObject({ allowed: false, code: 'AMOUNT_INVALID' });
    expect(decision.message).toContain('"amout"');
  });
});

describe('scope grammar', () => {
  const pay = (amount?: unknown): Call => ({ connector: 'stripe', tool: 'create_payment', ...(amount === undefined ? {} : { amount }) });

  it('accepts a resource segment, with or without a cap, and resources that contain colons', async () => {
    expect(await decide(['tool:stripe:write:payments'], pay(10_000))).toMatchObject({ code: 'ALLOWED', cap: null });
    expect(await decide(['tool:stripe:write:capped:50'], pay(50))).toMatchObject({ code: 'ALLOWED', cap: 50 });
    expect(await decide(['tool:stripe:write:acct:123:eu:capped:50'], pay(50))).toMatchObject({ code: 'ALLOWED', cap: 50 });
    expect(await decide(['tool:stripe:write:acct:123:eu:capped:50'], pay(51))).toMatchObject({ code: 'AMOUNT_OVER_CAP' });
  });

  it('orders levels read < write < delete < admin, each covering the lower ones', async () => {
    const tools = ['list_repos', 'create_issue', 'delete_repo', 'manage_org'];
    const levels = ['read', 'write', 'delete', 'admin'];
    for (const [held, level] of levels.entries()) {
      for (const [needed, tool] of tools.entries()) {
        const decision = await decide([`tool:github:${level}`], { connector: 'github', tool });
        expect(decision.code, `${level} for ${tool}`).toBe(held >= needed ? 'ALLOWED' : 'PERMISSION_INSUFFICIENT');
      }
    }
  });

  it('counts the highest level among several scopes for one connector, in any order', async () => {
    for (const scopes of [['tool:github:read', 'tool:github:delete'], ['tool:github:delete', 'tool:github:read']]) {
      expect(await decide(scopes, { connector: 'github', tool: 'delete_repo' })).toMatchObject({ code: 'ALLOWED', granted: 'delete' });
    }
  });

  it("ignores other connectors' scopes and scopes that are not tool scopes", async () => {
    const scopes = ['tool:stripe:admin', 'tool:githubx:admin', 'tool:git:admin', 'github:admin', 'tools:github:admin', 'tool::admin', 'tool:github', 'xtool:github:admin'];
    expect(await decide(scopes, { connector: 'github', tool: 'list_repos' })).toMatchObject({ code: 'SCOPE_MISSING', granted: null });
  });

  it('is case-sensitive everywhere', async () => {
    for (const scope of ['tool:GitHub:read', 'Tool:github:read', 'TOOL:github:read']) {
      expect((await decide([scope], { connector: 'github', tool: 'list_repos' })).code).toBe('SCOPE_MISSING');
    }
    expect((await decide(['tool:github:admin'], { connector: 'GitHub', tool: 'list_repos' })).code).toBe('CONNECTOR_UNKNOWN');
    expect((await decide(['tool:github:admin'], { connector: 'github', tool: 'List_Repos' })).code).toBe('TOOL_UNKNOWN');
  });

  it('lets a scope with an unknown level grant nothing', async () => {
    const only = await decide(['tool:github:WRITE', 'tool:github:superuser'], { connector: 'github', tool: 'list_repos' });
    expect(only).toMatchObject({ code: 'SCOPE_MISSING', granted: null });
    expect(only.message).toContain('2 scope(s) for it with an unknown level grant nothing');
    expect(await decide(['tool:github:owner', 'tool:github:read'], { connector: 'github', tool: 'create_issue' })).toMatchObject({
      code: 'PERMISSION_INSUFFICIENT',
      granted: 'read',
    });
  });

  it('allows an amount exactly at the cap and denies the smallest step past it', async () => {
    const scopes = ['tool:stripe:write:capped:500'];
    expect((await decide(scopes, pay(500))).code).toBe('ALLOWED');
    expect((await decide(scopes, pay(500.01))).code).toBe('AMOUNT_OVER_CAP');
    expect((await decide(scopes, pay(501))).code).toBe('AMOUNT_OVER_CAP');
    expect((await decide(scopes, pay(0))).code).toBe('ALLOWED');
    expect((await decide(scopes, pay(499.99))).code).toBe('ALLOWED');
    const fractional = ['tool:stripe:write:capped:10.5'];
    expect((await decide(fractional, pay(10.5))).code).toBe('ALLOWED');
    expect((await decide(fractional, pay(10.51))).code).toBe('AMOUNT_OVER_CAP');
    const zero = ['tool:stripe:write:capped:0'];
    expect((await decide(zero, pay(0))).code).toBe('ALLOWED');
    expect((await decide(zero, pay(0.01))).code).toBe('AMOUNT_OVER_CAP');
  });

  it.each([-1, -0.01, Number.NaN, Infinity, -Infinity, '100', null, true, {}, [5]])('denies the amount %s under a cap as AMOUNT_INVALID', async (amount) => {
    const decision = await decide(['tool:stripe:write:capped:500'], pay(amount));
    expect(decision).toMatchObject({ allowed: false, code: 'AMOUNT_INVALID', cap: 500 });
  });

  it('checks amounts only where a cap applies, and allows a call without an amount under a cap', async () => {
    expect(await decide(['tool:stripe:write'], pay(-1))).toMatchObject({ code: 'ALLOWED', cap: null });
    expect(await decide(['tool:stripe:write:capped:500'], pay())).toMatchObject({ code: 'ALLOWED', cap: 500 });
  });

  it.each([
    'tool:stripe:write:capped:abc',
    'tool:stripe:write:capped:',
    'tool:stripe:write:capped',
    'tool:stripe:write:payments:capped',
    'tool:stripe:write:capped:5e2',
    'tool:stripe:write:capped:-5',
    'tool:stripe:write:capped:0x10',
    'tool:stripe:write:capped:1,000',
    'tool:stripe:write:capped: 5',
    'tool:stripe:write:capped:Infinity',
    'tool:stripe:write:capped:5:capped:6',
    'tool:stripe:write:capped:5:extra',
  ])('treats %s as an unreadable cap: no amount passes, calls without one do', async (scope) => {
    const denied = await decide([scope], pay(1));
    expect(denied).toMatchObject({ allowed: false, code: 'AMOUNT_OVER_CAP' });
    expect(Number.isNaN(denied.cap)).toBe(true);
    expect(denied.message).toContain('cannot be read');
    expect((await decide([scope], pay(0))).code).toBe('AMOUNT_OVER_CAP');
    expect((await decide([scope], pay())).code).toBe('ALLOWED');
  });

  it('takes the cap of the highest level, and the strictest one among scopes that share it', async () => {
    expect(await decide(['tool:stripe:write:capped:500', 'tool:stripe:write:capped:100'], pay(101))).toMatchObject({ code: 'AMOUNT_OVER_CAP', cap: 100 });
    expect(await decide(['tool:stripe:write', 'tool:stripe:write:capped:100'], pay(101))).toMatchObject({ code: 'AMOUNT_OVER_CAP', cap: 100 });
    expect(await decide(['tool:stripe:write:capped:500', 'tool:stripe:admin'], pay(10_000))).toMatchObject({ code: 'ALLOWED', granted: 'admin', cap: null });
    expect(await decide(['tool:stripe:admin:capped:100', 'tool:stripe:write'], pay(500))).toMatchObject({ code: 'AMOUNT_OVER_CAP', granted: 'admin', cap: 100 });
    expect((await decide(['tool:stripe:write:capped:500', 'tool:stripe:write:capped:x'], pay(1))).code).toBe('AMOUNT_OVER_CAP');
  });
});

describe('manifests', () => {
  it('loads a manifest written for another Grantex SDK unchanged, and freezes it', () => {
    const json = JSON.parse(
      '{"$schema":"https://grantex.dev/spec/manifest.schema.json","connector":"github","version":"1.0.0","description":"GitHub tools","tools":{"create_issue":"write","list_repos":"read"}}',
    );
    const manifest = defineManifest(json);
    expect(manifest).toEqual({ connector: 'github', version: '1.0.0', description: 'GitHub tools', tools: { create_issue: 'write', list_repos: 'read' } });
    expect(Object.isFrozen(manifest)).toBe(true);
    expect(Object.isFrozen(manifest.tools)).toBe(true);
    expect(defineManifest(manifest)).toEqual(manifest);
  });

  it('keeps a tool named "__proto__" as a tool, not a prototype', async () => {
    const manifest = defineManifest(JSON.parse('{"connector":"odd","tools":{"__proto__":"read","constructor":"write"}}'));
    expect(Object.keys(manifest.tools)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(manifest.tools)).toBe(Object.prototype);
    const odd = createEnforcer({ ...local(), manifests: [manifest] });
    expect((await decide(['tool:odd:read'], { connector: 'odd', tool: '__proto__' }, odd)).code).toBe('ALLOWED');
    expect((await decide(['tool:odd:admin'], { connector: 'odd', tool: 'toString' }, odd)).code).toBe('TOOL_UNKNOWN');
  });

  it.each<[string, unknown, RegExp, string?]>([
    ['null', null, /must be an object/],
    ['an array', [], /must be an object/],
    ['no connector', { tools: { a: 'read' } }, /"connector" must be a non-empty name/],
    ['an empty connector', { connector: '', tools: { a: 'read' } }, /got ""/],
    ['a connector with ":"', { connector: 'git:hub', tools: { a: 'read' } }, /without ":"; got "git:hub"/],
    ['an unknown key', { connector: 'github', tool: { a: 'read' }, tools: { a: 'read' } }, /unknown key "tool"/],
    ['no tools', { connector: 'github' }, /"tools" must be an object/],
    ['tools as an array', { connector: 'github', tools: ['read'] }, /"tools" must be an object/],
    ['empty tools', { connector: 'github', tools: {} }, /declares no tools/],
    ['an empty tool name', { connector: 'github', tools: { '': 'read' } }, /empty name/, ''],
    ['a misspelt level', { connector: 'github', tools: { list_repos: 'read', create_issue: 'writ' } }, /tool "create_issue" has permission "writ"; use one of read, write, delete, admin/, 'create_issue'],
    ['an upper-case level', { connector: 'github', tools: { create_issue: 'Write' } }, /"Write"/, 'create_issue'],
    ['an object-form tool', { connector: 'github', tools: { create_issue: { permission: 'write', caps: { per_day: 5 } } } }, /has permission an object/, 'create_issue'],
    ['a numeric version', { connector: 'github', version: 1, tools: { a: 'read' } }, /"version" must be a string; got 1/],
    ['an object description', { connector: 'github', description: {}, tools: { a: 'read' } }, /"description" must be a string/],
  ])('rejects %s with a ManifestError', (_, json, message, tool) => {
    let caught: unknown;
    try {
      defineManifest(json as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ManifestError);
    expect(caught).toBeInstanceOf(GrantexConfigurationError);
    const error = caught as ManifestError;
    expect(error.code).toBe('CONFIGURATION_ERROR');
    expect(error.message).toMatch(message);
    expect(error.tool).toBe(tool);
  });

  it('refuses two manifests for one connector, and a bad one, when the enforcer is built', () => {
    expect(() => createEnforcer({ ...local(), manifests: [GITHUB, { connector: 'github', tools: { x: 'read' } }] })).toThrow(/Two manifests declare connector "github"/);
    expect(() => createEnforcer({ ...local(), manifests: [{ connector: 'github', tools: { x: 'owner' } }] })).toThrow(ManifestError);
  });
});

describe('enforcer options', () => {
  it.each([
    ['a misspelt option', { manifest: [GITHUB] }],
    ['requiredScopes (the manifests decide)', { requiredScopes: ['a'] }],
    ['now', { now: new Date() }],
    ['an unknown mode', { mode: 'lenient' }],
    ['onDecision that is not a function', { onDecision: 'log' }],
    ['manifests that are not an array', { manifests: GITHUB }],
    ['no developer pin', { developerId: undefined }],
    ['a bad cache', { cache: { maxEntries: 0 } }],
  ])('rejects %s', (_, extra) => {
    expect(() => createEnforcer({ ...local(), manifests: [GITHUB], ...extra } as never)).toThrow(GrantexConfigurationError);
  });

  it('names the unknown option', () => {
    expect(() => createEnforcer({ ...local(), manifests: [GITHUB], onDecison: () => {} } as never)).toThrow(/"onDecison"/);
  });

  it('accepts anyDeveloper: true and then decides for any developer', async () => {
    const open = createEnforcer({ jwks: { keys: [key.publicJwk] }, issuer: ISSUER, anyDeveloper: true, manifests: [GITHUB] });
    const grantToken = await tokenWith(key, ['tool:github:read'], { dev: 'dev_01OTHER' });
    expect(await open.check({ grantToken, connector: 'github', tool: 'list_repos' })).toMatchObject({ code: 'ALLOWED', grant: { developerId: 'dev_01OTHER' } });
  });
});

describe('assert', () => {
  it('resolves to the decision when allowed', async () => {
    const grantToken = await tokenWith(key, ['tool:github:read']);
    await expect(enforcer.assert({ grantToken, connector: 'github', tool: 'list_repos' })).resolves.toMatchObject({ allowed: true, code: 'ALLOWED' });
  });

  it('throws an EnforcementError with the code, and nothing of the token', async () => {
    for (const [scopes, code] of [[['tool:github:read'], 'PERMISSION_INSUFFICIENT'], [[], 'SCOPE_MISSING']] as const) {
      const grantToken = await tokenWith(key, [...scopes]);
      const error = await enforcer.assert({ grantToken, connector: 'github', tool: 'create_issue' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EnforcementError);
      expect(error).toBeInstanceOf(GrantexError);
      expect(isGrantexError(error)).toBe(true);
      const denial = error as EnforcementError;
      expect(denial.code).toBe(code);
      expect(denial.decision.code).toBe(code);
      expect(denial.cause).toBeUndefined();
      expect(JSON.parse(JSON.stringify(denial))).toEqual({ name: 'EnforcementError', code, message: denial.message, connector: 'github', tool: 'create_issue' });
      expectNoToken(grantToken, denial, denial.decision);
    }
    const garbage = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4eHh4eHh4eHh4In0.c2lnbmF0dXJlc2lnbmF0dXJl';
    const error = (await enforcer.assert({ grantToken: garbage, connector: 'github', tool: 'create_issue' }).catch((e: unknown) => e)) as EnforcementError;
    expect(error.code).toBe('TOKEN_SIGNATURE_INVALID');
    expectNoToken(garbage, error);
  });
});

describe('permissive mode', () => {
  it('allows what strict mode would deny, says so, reports it, and warns once per connector and tool', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const seen: EnforcementDecision[] = [];
    const lenient = createEnforcer({ ...local(), manifests: [GITHUB], mode: 'permissive', onDecision: (d) => void seen.push(d) });
    const grantToken = await tokenWith(key, ['tool:github:read']);
    const first = await lenient.check({ grantToken, connector: 'github', tool: 'create_issue' });
    expect(first).toMatchObject({ allowed: true, code: 'ALLOWED', wouldDeny: 'PERMISSION_INSUFFICIENT', required: 'write', granted: 'read' });
    expect(first.message).toMatch(/^Allowed in permissive mode; strict mode would deny it: The tool "create_issue"/);
    await lenient.check({ grantToken, connector: 'github', tool: 'create_issue' });
    expect(warn).toHaveBeenCalledTimes(1);
    await lenient.check({ grantToken, connector: 'github', tool: 'delete_repo' });
    await lenient.check({ grantToken, connector: 'github', tool: 'fork_repo' });
    await lenient.check({ grantToken, connector: 'jira', tool: 'create_issue' });
    expect(warn).toHaveBeenCalledTimes(4);
    expect(String(warn.mock.calls[0]![0])).toContain('"github"/"create_issue" with PERMISSION_INSUFFICIENT');
    expect(seen.map((d) => d.wouldDeny)).toEqual(['PERMISSION_INSUFFICIENT', 'PERMISSION_INSUFFICIENT', 'PERMISSION_INSUFFICIENT', 'TOOL_UNKNOWN', 'CONNECTOR_UNKNOWN']);
    // An allowed call is not a warning.
    await lenient.check({ grantToken, connector: 'github', tool: 'list_repos' });
    expect(warn).toHaveBeenCalledTimes(4);
    for (const call of warn.mock.calls) expectNoToken(grantToken, String(call[0]));
  });

  it('still denies a token that does not verify, without a warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const lenient = createEnforcer({ ...local(), manifests: [GITHUB], mode: 'permissive' });
    const expired = await tokenWith(key, ['tool:github:admin'], { iat: nowSeconds() - 7200, exp: nowSeconds() - 60 });
    expect(await lenient.check({ grantToken: expired, connector: 'github', tool: 'list_repos' })).toMatchObject({ allowed: false, code: 'TOKEN_EXPIRED', wouldDeny: null });
    await expect(lenient.assert({ grantToken: 'garbage', connector: 'github', tool: 'list_repos' })).rejects.toMatchObject({ code: 'TOKEN_MALFORMED' });
    expect(warn).not.toHaveBeenCalled();
  });

  it('never warns in strict mode', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await decide(['tool:github:read'], { connector: 'github', tool: 'create_issue' });
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('onDecision', () => {
  it('sees every decision and cannot change or break it', async () => {
    const grantToken = await tokenWith(key, ['tool:github:read']);
    const seen: string[] = [];
    const throwing = createEnforcer({ ...local(), manifests: [GITHUB], onDecision: (d) => {
      seen.push(d.code);
      throw new Error('audit sink down');
    } });
    expect(await throwing.check({ grantToken, connector: 'github', tool: 'list_repos' })).toMatchObject({ allowed: true });
    expect(await throwing.check({ grantToken: 'x', connector: 'github', tool: 'list_repos' })).toMatchObject({ allowed: false });
    expect(seen).toEqual(['ALLOWED', 'TOKEN_MALFORMED']);
    const rejecting = createEnforcer({ ...local(), manifests: [GITHUB], onDecision: async () => Promise.reject(new Error('async sink down')) });
    expect(await rejecting.check({ grantToken, connector: 'github', tool: 'list_repos' })).toMatchObject({ allowed: true });
  });
});

describe('the verified-token cache in the enforcer', () => {
  const signatureChecks = () => vi.spyOn(crypto.subtle, 'verify');

  it('is on by default: a repeated token is verified once', async () => {
    const spy = signatureChecks();
    const cached = createEnforcer({ ...local(), manifests: [GITHUB] });
    const grantToken = await tokenWith(key, ['tool:github:read']);
    for (let i = 0; i < 5; i++) expect((await cached.check({ grantToken, connector: 'github', tool: 'list_repos' })).allowed).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('can be turned off', async () => {
    const spy = signatureChecks();
    const uncached = createEnforcer({ ...local(), manifests: [GITHUB], cache: false });
    const grantToken = await tokenWith(key, ['tool:github:read']);
    for (let i = 0; i < 3; i++) await uncached.check({ grantToken, connector: 'github', tool: 'list_repos' });
    expect(spy).toHaveBeenCalledTimes(3);
  });

  it('honours expiry on a hit', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_800_000_000_000);
    const cached = createEnforcer({ ...local(), manifests: [GITHUB] });
    const grantToken = await tokenWith(key, ['tool:github:read'], { iat: 1_800_000_000, exp: 1_800_000_030 });
    expect((await cached.check({ grantToken, connector: 'github', tool: 'list_repos' })).code).toBe('ALLOWED');
    vi.setSystemTime(1_800_000_029_999);
    expect((await cached.check({ grantToken, connector: 'github', tool: 'list_repos' })).code).toBe('ALLOWED');
    vi.setSystemTime(1_800_000_035_001); // past exp and the 5 s tolerance
    expect((await cached.check({ grantToken, connector: 'github', tool: 'list_repos' })).code).toBe('TOKEN_EXPIRED');
  });

  it('is bounded, and does not keep failures', async () => {
    const spy = signatureChecks();
    const small = createEnforcer({ ...local(), manifests: [GITHUB], cache: { maxEntries: 1 } });
    const [a, b] = await Promise.all([tokenWith(key, ['tool:github:read'], { jti: 'tok_a' }), tokenWith(key, ['tool:github:read'], { jti: 'tok_b' })]);
    for (const grantToken of [a, b, a, b]) await small.check({ grantToken, connector: 'github', tool: 'list_repos' });
    expect(spy).toHaveBeenCalledTimes(4);
    spy.mockClear();
    const other = await tokenWith(key, ['tool:github:read'], { dev: 'dev_01OTHER' });
    const cached = createEnforcer({ ...local(), manifests: [GITHUB] });
    for (let i = 0; i < 3; i++) expect((await cached.check({ grantToken: other, connector: 'github', tool: 'list_repos' })).code).toBe('TOKEN_WRONG_DEVELOPER');
    expect(spy).toHaveBeenCalledTimes(3);
  });
});
