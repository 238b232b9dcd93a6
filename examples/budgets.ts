/**
 * Budgets: give a grant a spending allowance, debit it as the agent works, read the balance and
 * the transaction log. Debiting past the allowance (or a grant with none) is a
 * `PaymentRequiredError`. Runs against the local test server in the examples suite, or any server
 * with GRANTEX_BASE_URL and GRANTEX_API_KEY (a sandbox key approves authorization at once).
 *
 *   node scripts/run-example.mjs examples/budgets.ts
 */
import { Grantex, PaymentRequiredError } from '@grantex/sdk';

const client = new Grantex();
const agent = await client.agents.register({ name: 'route-planner', scopes: ['routes:read'] });
const request = await client.authorize({ agentId: agent.agentId, userId: 'user_123', scopes: ['routes:read'] });
const code = request.code ?? (await client.consent.approve(request.authRequestId)).code;
const { grantId } = await client.tokens.exchange({ code, agentId: agent.agentId });

// #region allocate
// One allocation per grant; amounts are decimals sent back as strings ("100.0000").
const allocation = await client.budgets.allocate({ grantId, initialBudget: 100, currency: 'USD' });
console.log(`allocated ${allocation.initialBudget} ${allocation.currency} to ${grantId}`);
// #endregion allocate

// #region debit
const debit = await client.budgets.debit({ grantId, amount: 10.5, description: 'Route lookup', metadata: { calls: 3 } });
console.log(`debited 10.5, remaining ${debit.remaining}`);
try {
  await client.budgets.debit({ grantId, amount: 1_000 });
} catch (error) {
  if (!(error instanceof PaymentRequiredError)) throw error;
  console.log(`refused: ${error.code}`);
}
// #endregion debit

// #region transactions
const { remainingBudget } = await client.budgets.balance(grantId);
console.log(`balance ${remainingBudget}`);
// `metadata` arrives JSON-encoded on the wire; the SDK hands back the object you sent.
for await (const transaction of client.budgets.transactions(grantId, { pageSize: 50 })) {
  console.log(`transaction ${transaction.amount} ${JSON.stringify(transaction.metadata)}`);
}
// #endregion transactions

client.close();
