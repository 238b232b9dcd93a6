// The same Express handler without `import '@grantex/sdk/enforce/express'`: Express's Request has
// no `grantex`, so reading it is an error (TS2339), which the directive below requires. If the
// enforce entry ever declared it without the opt-in, this file would stop compiling.
import type { Request, Response } from 'express';
import { createEnforcer } from '@grantex/sdk/enforce';

export const enforcer = createEnforcer({
  jwksUri: 'https://api.grantex.dev/.well-known/jwks.json',
  developerId: 'dev_01HXYZ',
  manifests: [{ connector: 'stripe', tools: { create_payment: 'write' } }],
});

export function pay(req: Request, res: Response): void {
  // @ts-expect-error -- Property 'grantex' does not exist on type 'Request' without the opt-in import.
  res.json({ principal: req.grantex?.grant?.principalId ?? null });
}
