/**
 * Opt-in typing for Express: importing this entry once declares `req.grantex` (the decision that
 * `enforcer.middleware` attaches) on Express's `Request`, in every file of the program. It adds
 * nothing at run time and needs no Express code: it extends the global `Express.Request`
 * interface that `@types/express` leaves open for this, so a project without Express types
 * compiles with it as well.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createEnforcer } from '@grantex/sdk/enforce';
 * import '@grantex/sdk/enforce/express';
 *
 * const enforcer = createEnforcer({ jwksUri, developerId, manifests: [githubManifest] });
 * const app = express();
 * app.post('/issues', enforcer.middleware({ connector: 'github', tool: 'create_issue' }), (req, res) => {
 *   res.json({ principal: req.grantex?.grant?.principalId });
 * });
 * ```
 *
 * @module @grantex/sdk/enforce/express
 */
import type { EnforcementDecision } from './types.js';

declare global {
  // The name and shape are Express's own: `@types/express-serve-static-core` declares this open
  // interface and makes its `Request` extend it.
  namespace Express {
    interface Request {
      /** The decision of `enforcer.middleware` for this request: set before `next()` runs, absent on other routes. */
      grantex?: EnforcementDecision | undefined;
    }
  }
}

export {};
