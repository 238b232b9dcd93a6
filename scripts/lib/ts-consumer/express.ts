// An Express app's handlers after the opt-in import: `req.grantex` is typed on Express's own
// Request, set by the enforcer's middleware. Compiled with @types/express installed; its twin,
// express-without.ts, shows that the same read does not compile without the import.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createEnforcer, type EnforcementDecision } from '@grantex/sdk/enforce';
import '@grantex/sdk/enforce/express';

const enforcer = createEnforcer({
  jwksUri: 'https://api.grantex.dev/.well-known/jwks.json',
  developerId: 'dev_01HXYZ',
  manifests: [{ connector: 'stripe', tools: { create_payment: 'write' } }],
});

// The middleware takes Express's Request for `amount`, and is an Express handler itself.
export const requirePayment: RequestHandler = enforcer.middleware<Request>({
  connector: 'stripe',
  tool: 'create_payment',
  amount: (req) => Number((req.body as { amount?: unknown } | undefined)?.amount),
});

export function pay(req: Request, res: Response, next: NextFunction): void {
  const decision: EnforcementDecision | undefined = req.grantex;
  if (!decision?.allowed) return next(new Error('the enforcer middleware did not run'));
  res.json({ principal: req.grantex?.grant?.principalId ?? null, cap: decision.cap });
}

export const chain: RequestHandler[] = [requirePayment, pay];
