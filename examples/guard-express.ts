/**
 * Guarding an Express (or Connect, or plain node:http) route with a grant token: the enforcer's
 * middleware has the `(req, res, next)` shape, so it drops into `app.post(path, middleware, handler)`
 * unchanged. This file uses node:http so that it runs without Express installed; the middleware is
 * the same. A test key pair stands in for the Grantex signing key.
 *
 *   node scripts/run-example.mjs examples/guard-express.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEnforcer, type NodeStyleRequest } from '@grantex/sdk/enforce';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

// --- Test fixture: a key pair, and grant tokens signed the way the Grantex API signs them. ---
const issuer = 'https://grantex.dev';
const { privateKey, publicKey } = await generateKeyPair('RS256');
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }] };
const mint = (scopes: string[]) =>
  new SignJWT({ agt: 'did:grantex:ag_01EXAMPLE', dev: 'dev_01EXAMPLE', scp: scopes, grnt: 'grnt_01EXAMPLE' })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setIssuer(issuer)
    .setSubject('user_123')
    .setJti(`tok_${scopes.join('_')}`)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);

const enforcer = createEnforcer({
  jwks,
  issuer,
  developerId: 'dev_01EXAMPLE',
  manifests: [{ connector: 'github', tools: { list_repos: 'read', create_issue: 'write' } }],
});

// #region middleware
// Express: app.post('/github/issues', requireCreateIssue, (req, res) => { … req.grantex … }).
// Allowed: the decision is attached as req.grantex and next() runs the handler. Denied: the
// middleware answers 401 or 403 with { code, message } itself.
const requireCreateIssue = enforcer.middleware({ connector: 'github', tool: 'create_issue' });

const server = createServer((req, res) => {
  requireCreateIssue(req, res, () => {
    const grant = (req as NodeStyleRequest).grantex?.grant;
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ issue: 1, openedFor: grant?.principalId }));
  });
});
// #endregion middleware

// #region express-types
// TypeScript with Express: one opt-in import, anywhere in the program, types req.grantex on
// Express's own Request (declarations only: nothing is loaded at run time).
import '@grantex/sdk/enforce/express';
import type { Request, Response } from 'express';

export function openedFor(req: Request, res: Response): void {
  res.json({ openedFor: req.grantex?.grant?.principalId });
}
// #endregion express-types

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/github/issues`;
try {
  for (const [label, scopes] of [['a write grant', ['tool:github:write']], ['a read grant', ['tool:github:read']]] as const) {
    const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${await mint([...scopes])}` } });
    console.log(`POST /github/issues with ${label} -> ${response.status} ${await response.text()}`);
  }
} finally {
  server.close();
}
