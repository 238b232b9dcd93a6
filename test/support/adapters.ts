// Shared set-up of the adapter tests: a local Grantex (real RS256 grant tokens), the manifests of
// two connectors, and an enforcer that verifies against the server's keys.
import { createEnforcer, type EnforcementDecision, type Enforcer } from '../../src/enforce/index.js';
import { createTestServer, type TestServer } from '../../src/testing/index.js';

export const GITHUB = { connector: 'github', tools: { list_repos: 'read', create_issue: 'write', delete_repo: 'delete' } };
export const STRIPE = { connector: 'stripe', tools: { create_payment: 'write', list_payments: 'read' } };

export interface Fixture {
  readonly server: TestServer;
  readonly enforcer: Enforcer;
  /** Every decision the enforcer made, oldest first. */
  readonly decisions: EnforcementDecision[];
  /** A grant token with these scopes, for the server's developer. */
  token(scopes: string[]): Promise<string>;
}

export async function fixture(): Promise<Fixture> {
  const server = createTestServer();
  const decisions: EnforcementDecision[] = [];
  const enforcer = createEnforcer({
    jwks: await server.jwks(),
    issuer: server.issuer,
    developerId: server.developerId,
    manifests: [GITHUB, STRIPE],
    onDecision: (decision) => decisions.push(decision),
  });
  return {
    server,
    enforcer,
    decisions,
    token: (scopes) => server.mintGrantToken({ scp: scopes, sub: 'user_adapters', agt: 'did:grantex:ag_adapters', expiresIn: '1h' }),
  };
}
