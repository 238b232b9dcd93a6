// The edges of enforcement: caps at the largest number and one past it, scope order, the developer
// pin and time claims a Date cannot hold. Each case pins one comparison, so a changed operator fails.
import { beforeAll, describe, expect, it } from 'vitest';
import { createEnforcer, type Enforcer, type EnforcementDecision } from '../../src/enforce/index.js';
import { rsaKey, type SigningKey } from '../support/tokens.js';
import { DEV, expectNoToken, ISSUER, STRIPE, tokenWith } from './support.js';

let key: SigningKey;
let enforcer: Enforcer;

beforeAll(async () => {
  key = await rsaKey('grantex-2026-11');
  enforcer = createEnforcer({ jwks: { keys: [key.publicJwk] }, issuer: ISSUER, developerId: DEV, manifests: [STRIPE] });
});

async function pay(scopes: string[], amount?: unknown, overrides: Record<string, unknown> = {}): Promise<EnforcementDecision> {
  const grantToken = await tokenWith(key, scopes, overrides);
  const decision = await enforcer.check({ grantToken, connector: 'stripe', tool: 'create_payment', ...(amount === undefined ? {} : { amount }) } as never);
  expectNoToken(grantToken, decision);
  return decision;
}

// Number.MAX_VALUE written out in plain decimal digits: the largest cap a number can hold.
const LARGEST = BigInt(Number.MAX_VALUE).toString();

describe('a cap too large for a number', () => {
  const overflowing = [
    ['400 nines', `tool:stripe:write:capped:${'9'.repeat(400)}`],
    ['a one and 400 zeros', `tool:stripe:write:capped:1${'0'.repeat(400)}`],
    ['309 nines (just past the largest number)', `tool:stripe:write:capped:${'9'.repeat(309)}`],
    ['a huge cap with a fraction', `tool:stripe:write:payments:capped:${'9'.repeat(400)}.5`],
  ] as const;

  it.each(overflowing)('%s is unreadable: NaN, -5, "1e9", 0 and 5 are all denied', async (_, scope) => {
    for (const amount of [Number.NaN, -5, '1e9', 0, 5, Number.MAX_VALUE]) {
      const decision = await pay([scope], amount);
      expect(decision.allowed, `amount ${String(amount)}`).toBe(false);
      expect(['AMOUNT_INVALID', 'AMOUNT_OVER_CAP']).toContain(decision.code);
      // Never reported as "no cap".
      expect(decision.cap).not.toBeNull();
    }
  });

  it('the largest number as a cap is a real cap: amounts at it pass, bad amounts do not', async () => {
    const scope = `tool:stripe:write:capped:${LARGEST}`;
    expect(Number(LARGEST)).toBe(Number.MAX_VALUE);
    expect(await pay([scope], 5)).toMatchObject({ code: 'ALLOWED', cap: Number.MAX_VALUE });
    expect(await pay([scope], Number.MAX_VALUE)).toMatchObject({ code: 'ALLOWED' });
    expect(await pay([scope], Number.POSITIVE_INFINITY)).toMatchObject({ allowed: false, code: 'AMOUNT_INVALID' });
    for (const amount of [Number.NaN, -5, '1e9']) expect(await pay([scope], amount)).toMatchObject({ allowed: false, code: 'AMOUNT_INVALID' });
  });

  it('an overflowing cap beside a readable one at the same level still denies every amount', async () => {
    const decision = await pay(['tool:stripe:write:capped:500', `tool:stripe:write:capped:${'9'.repeat(400)}`], 1);
    expect(decision).toMatchObject({ allowed: false, code: 'AMOUNT_OVER_CAP' });
  });
});

describe('scopes at the same level with different caps', () => {
  it('the stricter cap wins when it is listed first', async () => {
    expect(await pay(['tool:stripe:write:capped:50', 'tool:stripe:write:capped:500'], 100)).toMatchObject({ allowed: false, code: 'AMOUNT_OVER_CAP', cap: 50 });
    expect(await pay(['tool:stripe:write:capped:50', 'tool:stripe:write:capped:500'], 50)).toMatchObject({ code: 'ALLOWED', cap: 50 });
  });

  it('the stricter cap wins when it is listed in the middle', async () => {
    expect(await pay(['tool:stripe:write:capped:500', 'tool:stripe:write:capped:50', 'tool:stripe:write:capped:200'], 51)).toMatchObject({ code: 'AMOUNT_OVER_CAP', cap: 50 });
  });

  it('a cap listed first at a lower level does not bind a higher level listed later', async () => {
    expect(await pay(['tool:stripe:write:capped:50', 'tool:stripe:admin:capped:500'], 100)).toMatchObject({ code: 'ALLOWED', granted: 'admin', cap: 500 });
    expect(await pay(['tool:stripe:write:capped:50', 'tool:stripe:admin'], 100)).toMatchObject({ code: 'ALLOWED', granted: 'admin', cap: null });
  });

  it('an uncapped scope listed first does not lift a cap at the same level', async () => {
    expect(await pay(['tool:stripe:write', 'tool:stripe:write:capped:50'], 51)).toMatchObject({ code: 'AMOUNT_OVER_CAP', cap: 50 });
    expect(await pay(['tool:stripe:write:capped:50', 'tool:stripe:write'], 51)).toMatchObject({ code: 'AMOUNT_OVER_CAP', cap: 50 });
  });
});

describe('tokens the enforcer must deny before looking at scopes', () => {
  it.each([
    ['exp: 1e300', { exp: 1e300 }],
    ['iat: -1e300', { iat: -1e300 }],
    ['nbf: -1e300', { nbf: -1e300 }],
  ])('a token with %s is denied as invalid claims', async (_, overrides) => {
    const decision = await pay(['tool:stripe:admin'], 1, overrides);
    expect(decision).toMatchObject({ allowed: false, code: 'TOKEN_CLAIMS_MISSING', grant: null });
  });

  it.each([
    ['a longer id starting with the pinned one', `${DEV}2`],
    ['a prefix of the pinned id', DEV.slice(0, -3)],
  ])('a token for %s is denied as another developer', async (_, dev) => {
    expect(await pay(['tool:stripe:admin'], 1, { dev })).toMatchObject({ allowed: false, code: 'TOKEN_WRONG_DEVELOPER' });
  });
});
