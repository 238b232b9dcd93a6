/**
 * A Vercel AI SDK tool guarded by grant tokens (`@grantex/sdk/ai` with `ai` 7): the token travels
 * in `toolsContext`, never through the model, and the tool runs only when the grant allows the
 * call for that amount. A scripted mock model (`ai/test`) stands in for a real one. Runs against
 * the local test server:
 *
 *   node scripts/run-example.mjs examples/ai-sdk.ts
 */
import { Grantex } from '@grantex/sdk';
import { guardTool } from '@grantex/sdk/ai';
import { createEnforcer, EnforcementError } from '@grantex/sdk/enforce';
import { createTestServer } from '@grantex/sdk/testing';
import { generateText, isStepCount, tool } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { z } from 'zod';

// --- A local Grantex and a grant capped at 500 (in production: your Grantex and the user's consent). ---
const grantex = createTestServer();
const client = new Grantex({ apiKey: grantex.sandboxApiKey, baseUrl: grantex.url, fetch: grantex.fetch });
const agent = await client.agents.register({ name: 'billing-assistant', scopes: ['tool:stripe:write:capped:500'] });
const request = await client.authorize({ agentId: agent.agentId, userId: 'user_123', scopes: ['tool:stripe:write:capped:500'] });
const { grantToken } = await client.tokens.exchange({ code: request.code!, agentId: agent.agentId });
const enforcer = createEnforcer({
  jwks: await grantex.jwks(),
  issuer: grantex.issuer,
  developerId: grantex.sandboxDeveloperId,
  manifests: [{ connector: 'stripe', tools: { create_payment: 'write', list_payments: 'read' } }],
});

// A model that asks for one payment, then answers.
const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 1, text: 1, reasoning: undefined } };
const modelPaying = (amount: number) =>
  new MockLanguageModelV4({
    doGenerate: [
      { content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'createPayment', input: JSON.stringify({ amount, currency: 'EUR' }) }], finishReason: { unified: 'tool-calls', raw: undefined }, usage, warnings: [] },
      { content: [{ type: 'text', text: 'Done.' }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] },
    ],
  });

// #region guard
const createPayment = guardTool(
  enforcer,
  { connector: 'stripe', tool: 'create_payment', amount: (input) => input.amount },
  tool({
    description: 'Charge the customer',
    inputSchema: z.object({ amount: z.number(), currency: z.string() }),
    execute: async ({ amount, currency }) => ({ paymentId: 'pay_123', amount, currency }),
  }),
);
// #endregion guard

// #region call
for (const amount of [120, 900]) {
  const result = await generateText({
    model: modelPaying(amount),
    tools: { createPayment },
    // The grant token goes to the tool's context; the model never sees it.
    toolsContext: { createPayment: { grantToken } },
    stopWhen: isStepCount(2),
    prompt: `Charge ${amount} EUR for order 42`,
  });
  for (const part of result.steps[0]!.content) {
    if (part.type === 'tool-result') console.log(`${amount} EUR allowed: ${JSON.stringify(part.output)}`);
    // A denial is a tool error: the model reads it on its next step.
    if (part.type === 'tool-error' && part.error instanceof EnforcementError) console.log(`${amount} EUR denied: ${part.error.code} (${part.error.message})`);
  }
}
// #endregion call
