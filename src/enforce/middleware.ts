/** `enforcer.middleware`: the enforcer as an Express/Connect-style `(req, res, next)` function. */
import { bearer, denialParts, NO_BEARER } from './denial.js';
import { readCallOptions } from './options.js';
import type { Run } from './run.js';
import type { MiddlewareOptions, NodeStyleRequest, NodeStyleResponse } from './types.js';

/** Attaches the decision as `req.grantex`; runs `next()` when allowed, answers the denial itself otherwise. */
export function middleware<Req extends NodeStyleRequest>(run: Run, options: MiddlewareOptions<Req>): (req: Req, res: NodeStyleResponse, next: (error?: unknown) => void) => void {
  const { connector, tool, amount } = readCallOptions(options, [], 'middleware');
  return (req: Req, res: NodeStyleResponse, next: (error?: unknown) => void) => {
    let token: string | undefined;
    let value: unknown = amount;
    try {
      token = bearer(req.headers.authorization);
      // An amount that cannot be read is not a number, which no cap lets through.
      if (typeof amount === 'function') value = (amount as (request: Req) => unknown)(req);
    } catch {
      value = Number.NaN;
    }
    run({ grantToken: token, connector, tool, amount: value }, token === undefined ? NO_BEARER : undefined)
      .then((decision) => {
        req.grantex = decision;
        if (decision.allowed) return next();
        const { status, headers, body } = denialParts(decision);
        res.statusCode = status;
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        res.end(body);
      })
      .catch(next);
  };
}
