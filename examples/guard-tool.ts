/**
 * Guarding a tool function: wrap any async function (a LangChain tool, an MCP tool handler, a
 * Vercel AI tool's `execute`, a plain function) so that it runs only when the grant token allows
 * the call, for that amount. Also: a single decision with `check`, and permissive mode for rolling
 * out manifests. A test key pair stands in for the Grantex signing key.
 *
 *   node scripts/run-example.mjs examples/guard-tool.ts
 */
import { createEnforcer, EnforcementError } from '@grantex/sdk/enforce';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

// --- Test fixture: a key pair, and a grant token signed the way the Grantex API signs them. ---
const issuer = 'https://grantex.dev';
const { privateKey, publicKey } = await generateKeyPair('RS256');
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }] };
const grantToken = await new SignJWT({
  agt: 'did:grantex:ag_01EXAMPLE',
  dev: 'dev_01EXAMPLE',
  scp: ['tool:stripe:write:payments:capped:500', 'calendar:read'],
  grnt: 'grnt_01EXAMPLE',
})
  .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
  .setIssuer(issuer)
  .setSubject('user_123')
  .setJti('tok_01EXAMPLE')
  .setIssuedAt()
  .setExpirationTime('1h')
  .sign(privateKey);
const stripe = { connector: 'stripe', tools: { create_payment: 'write', list_payments: 'read', close_account: 'admin' } };

const enforcer = createEnforcer({ jwks, issuer, developerId: 'dev_01EXAMPLE', manifests: [stripe] });

// #region wrap
// The tool as the agent framework calls it: the model supplies the input, your code the context.
async function createPayment(input: { amount: number; currency: string }, context: { grantToken: string }) {
  void context;
  return `created a payment of ${input.amount} ${input.currency}`;
}

const guardedCreatePayment = enforcer.wrapTool(createPayment, {
  connector: 'stripe',
  tool: 'create_payment',
  // Take the token from your own context, never from the model's input.
  getGrantToken: (_input, context) => context.grantToken,
  // Checked against a `…:capped:<N>` scope.
  amount: (input) => input.amount,
});

console.log(await guardedCreatePayment({ amount: 120, currency: 'EUR' }, { grantToken }));
// #endregion wrap

// #region errors
// A denied call rejects with an EnforcementError; the tool does not run.
try {
  await guardedCreatePayment({ amount: 900, currency: 'EUR' }, { grantToken });
} catch (error) {
  if (!(error instanceof EnforcementError)) throw error;
  console.log(`refused: ${error.code} (cap ${error.decision.cap})`);
}
// #endregion errors

// #region check
// One decision, without running anything: never rejects, and says why.
const decision = await enforcer.check({ grantToken, connector: 'stripe', tool: 'close_account' });
console.log(`close_account: ${decision.code}, needs ${decision.required}, grant holds ${decision.granted}`);
// #endregion check

// #region permissive
// Rolling out manifests: permissive mode allows what strict mode would deny, reports it to
// onDecision and warns once per connector and tool. A token that does not verify is still denied.
const observing = createEnforcer({
  jwks,
  issuer,
  developerId: 'dev_01EXAMPLE',
  manifests: [stripe],
  mode: 'permissive',
  onDecision: (d) => {
    if (d.wouldDeny) console.log(`would deny ${d.connector}/${d.tool}: ${d.wouldDeny}`);
  },
});
const observed = await observing.check({ grantToken, connector: 'stripe', tool: 'close_account' });
console.log(`permissive: allowed ${observed.allowed}`);
// #endregion permissive
