// `@grantex/sdk/enforce/express`: declarations only. This file imports it, so `req.grantex` below
// type-checks on Express's own Request (tsc -p test/tsconfig.json); the TypeScript consumer matrix
// compiles the same read without the import and requires it to fail.
import type { NextFunction, Request, Response } from 'express';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createEnforcer, type EnforcementDecision } from '../../src/enforce/index.js';
import * as augmentation from '../../src/enforce/express.js';

const ISSUER = 'https://grantex.test';
const DEV = 'dev_01EXPRESS';

async function setup() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'express-test', alg: 'RS256', use: 'sig' };
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ agt: 'did:grantex:ag_01EXPRESS', dev: DEV, scp: ['tool:stripe:write:capped:100'], grnt: 'grnt_01EXPRESS', jti: 'tok_01EXPRESS' })
    .setProtectedHeader({ alg: 'RS256', kid: 'express-test' })
    .setIssuer(ISSUER)
    .setSubject('user_express')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(privateKey);
  const enforcer = createEnforcer({ jwks: { keys: [jwk] }, issuer: ISSUER, developerId: DEV, manifests: [{ connector: 'stripe', tools: { create_payment: 'write' } }] });
  return { token, enforcer };
}

/** Just enough of Express's request and response for the middleware and the handler below. */
function expressPair(token: string, amount: number) {
  const req = { headers: { authorization: `Bearer ${token}` }, body: { amount } } as unknown as Request;
  const sent: { status: number; json?: unknown; ended?: string } = { status: 200 };
  const res = {
    set statusCode(value: number) {
      sent.status = value;
    },
    get statusCode() {
      return sent.status;
    },
    setHeader: () => res,
    end: (body: string) => {
      sent.ended = body;
      return res;
    },
    json: (body: unknown) => {
      sent.json = body;
      return res;
    },
  } as unknown as Response;
  return { req, res, sent };
}

/** An Express handler that reads the decision with Express's own types. */
function pay(req: Request, res: Response): void {
  const decision: EnforcementDecision | undefined = req.grantex;
  res.json({ allowed: decision?.allowed, principal: req.grantex?.grant?.principalId });
}

describe('@grantex/sdk/enforce/express', () => {
  it('has nothing at run time', () => {
    expect(Object.keys(augmentation)).toEqual([]);
  });

  it('an Express handler reads the decision the middleware attached, typed on Express Request', async () => {
    const { token, enforcer } = await setup();
    const middleware = enforcer.middleware<Request>({ connector: 'stripe', tool: 'create_payment', amount: (req) => (req.body as { amount: number }).amount });
    const { req, res, sent } = expressPair(token, 100);
    await new Promise<void>((resolve, reject) => {
      const next: NextFunction = (error?: unknown) => (error ? reject(error) : resolve());
      middleware(req, res, next);
    });
    pay(req, res);
    expect(sent.json).toEqual({ allowed: true, principal: 'user_express' });
    expect(req.grantex?.cap).toBe(100);
  });

  it('one past the cap: the middleware answers 403 itself and the decision is still on req.grantex', async () => {
    const { token, enforcer } = await setup();
    const middleware = enforcer.middleware<Request>({ connector: 'stripe', tool: 'create_payment', amount: (req) => (req.body as { amount: number }).amount });
    const { req, res, sent } = expressPair(token, 101);
    await new Promise<void>((resolve, reject) => {
      (res as unknown as { end: (body: string) => void }).end = (body: string) => {
        sent.ended = body;
        resolve();
      };
      middleware(req, res, () => reject(new Error('next() ran for a denied call')));
    });
    expect(sent.status).toBe(403);
    expect(JSON.parse(sent.ended!)).toMatchObject({ code: 'AMOUNT_OVER_CAP' });
    expect(req.grantex).toMatchObject({ allowed: false, code: 'AMOUNT_OVER_CAP' });
  });
});
