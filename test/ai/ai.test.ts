// The AI SDK adapter with the real `ai` package: generateText with a scripted mock model (ai/test)
// that calls a guarded tool; the grant token travels in toolsContext, never through the model.
import { generateText, isStepCount, tool, type ToolExecutionOptions } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { guardTool } from '../../src/ai/index.js';
import { EnforcementError } from '../../src/enforce/index.js';
import { GrantexConfigurationError } from '../../src/errors.js';
import { expectNoToken } from '../enforce/support.js';
import { fixture } from '../support/adapters.js';

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/** A model that calls `toolName` with `input`, then answers with plain text. */
function scriptedModel(toolName: string, input: unknown): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doGenerate: [
      {
        content: [{ type: 'tool-call', toolCallId: 'call-1', toolName, input: JSON.stringify(input) }],
        finishReason: { unified: 'tool-calls', raw: undefined },
        usage,
        warnings: [],
      },
      { content: [{ type: 'text', text: 'done' }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] },
    ],
  });
}

/** What the model was told about the tool call on its second turn. */
function toolMessageSeen(model: MockLanguageModelV4): unknown {
  const prompt = model.doGenerateCalls[1]!.prompt;
  return prompt.find((message) => message.role === 'tool');
}

describe('@grantex/sdk/ai with generateText', () => {
  it('runs an allowed call with the token from toolsContext', async () => {
    const f = await fixture();
    const token = await f.token(['tool:stripe:write:capped:100']);
    const charged: number[] = [];
    const createPayment = guardTool(
      f.enforcer,
      { connector: 'stripe', tool: 'create_payment', amount: (input) => input.amount },
      tool({
        description: 'Charge the customer',
        inputSchema: z.object({ amount: z.number(), currency: z.string() }),
        execute: async ({ amount, currency }) => {
          charged.push(amount);
          return { charged: `${amount} ${currency}` };
        },
      }),
    );
    const model = scriptedModel('createPayment', { amount: 100, currency: 'EUR' });
    const result = await generateText({
      model,
      tools: { createPayment },
      toolsContext: { createPayment: { grantToken: token } },
      stopWhen: isStepCount(2),
      prompt: 'Charge 100 EUR',
    });
    const [first] = result.steps;
    console.log(`ai allowed: ${JSON.stringify(first!.toolResults.map((r) => ({ tool: r.toolName, output: r.output })))}`);
    expect(first!.toolResults).toHaveLength(1);
    expect(first!.toolResults[0]!.output).toEqual({ charged: '100 EUR' });
    expect(charged).toEqual([100]);
    expect(result.text).toBe('done');
    expect(f.decisions.at(-1)).toMatchObject({ allowed: true, connector: 'stripe', tool: 'create_payment', cap: 100 });
    // The token went to the tool, not into the prompt.
    expectNoToken(token, model.doGenerateCalls.map((call) => call.prompt));
  });

  it('turns a denial into a tool error the model reads, without running execute', async () => {
    const f = await fixture();
    const token = await f.token(['tool:stripe:write:capped:100']);
    let runs = 0;
    const createPayment = guardTool(
      f.enforcer,
      { connector: 'stripe', tool: 'create_payment', amount: (input) => input.amount },
      tool({
        inputSchema: z.object({ amount: z.number() }),
        execute: async ({ amount }) => {
          runs++;
          return `charged ${amount}`;
        },
      }),
    );
    const model = scriptedModel('createPayment', { amount: 101 });
    const result = await generateText({ model, tools: { createPayment }, toolsContext: { createPayment: { grantToken: token } }, stopWhen: isStepCount(2), prompt: 'Charge 101' });
    const errors = result.steps[0]!.content.filter((part) => part.type === 'tool-error');
    console.log(`ai denied: ${JSON.stringify(errors.map((e) => ({ tool: e.toolName, error: String(e.error) })))}`);
    expect(errors).toHaveLength(1);
    const error = errors[0]!.error;
    expect(error).toBeInstanceOf(EnforcementError);
    expect((error as EnforcementError).code).toBe('AMOUNT_OVER_CAP');
    expect(runs).toBe(0);
    expect(JSON.stringify(toolMessageSeen(model))).toContain('Amount 101 is over the grant');
    expectNoToken(token, error, model.doGenerateCalls.map((call) => call.prompt));
  });

  it("returns { denied, code, message } as the tool's output with onDenied: 'return'", async () => {
    const f = await fixture();
    const token = await f.token(['tool:github:read']);
    const createIssue = guardTool(
      f.enforcer,
      { connector: 'github', tool: 'create_issue', onDenied: 'return' },
      tool({ inputSchema: z.object({ title: z.string() }), execute: async ({ title }) => ({ opened: title }) }),
    );
    const model = scriptedModel('createIssue', { title: 'Bug' });
    const result = await generateText({ model, tools: { createIssue }, toolsContext: { createIssue: { grantToken: token } }, stopWhen: isStepCount(2), prompt: 'Open an issue' });
    const output = result.steps[0]!.toolResults[0]!.output;
    expect(output).toEqual({ denied: true, code: 'PERMISSION_INSUFFICIENT', message: expect.stringContaining('needs write; the grant holds read') });
    expect(JSON.stringify(toolMessageSeen(model))).toContain('PERMISSION_INSUFFICIENT');
  });

  it('denies a call without a token in toolsContext as TOKEN_MALFORMED', async () => {
    const f = await fixture();
    let runs = 0;
    const listRepos = guardTool(
      f.enforcer,
      { connector: 'github', tool: 'list_repos' },
      tool({ inputSchema: z.object({}), execute: async () => ++runs }),
    );
    const model = scriptedModel('listRepos', {});
    // The types ask for the token; a caller that leaves it out at run time is still denied.
    const result = await generateText({ model, tools: { listRepos }, toolsContext: { listRepos: {} as { grantToken: string } }, stopWhen: isStepCount(2), prompt: 'List' });
    const error = result.steps[0]!.content.find((part) => part.type === 'tool-error')?.error;
    expect(error).toBeInstanceOf(EnforcementError);
    expect((error as EnforcementError).code).toBe('TOKEN_MALFORMED');
    expect((error as EnforcementError).message).toBe('No grant token for this call: pass it as toolsContext.<toolName>.grantToken');
    expect(runs).toBe(0);
  });

  it("keeps a tool's own contextSchema and reads the token with the grantToken option", async () => {
    const f = await fixture();
    const token = await f.token(['tool:github:read']);
    const listRepos = guardTool(
      f.enforcer,
      { connector: 'github', tool: 'list_repos', grantToken: (context) => context.session.token },
      tool({
        inputSchema: z.object({ org: z.string() }),
        contextSchema: z.object({ session: z.object({ token: z.string(), org: z.string() }) }),
        execute: async ({ org }, { context }) => `repos of ${org} for ${context.session.org}`,
      }),
    );
    const model = scriptedModel('listRepos', { org: 'acme' });
    const result = await generateText({
      model,
      tools: { listRepos },
      toolsContext: { listRepos: { session: { token, org: 'acme' } } },
      stopWhen: isStepCount(2),
      prompt: 'List',
    });
    expect(result.steps[0]!.toolResults[0]!.output).toBe('repos of acme for acme');
  });

  it('guards a streaming tool before its first value', async () => {
    const f = await fixture();
    const token = await f.token(['tool:github:read']);
    const started: string[] = [];
    const streamed = guardTool(
      f.enforcer,
      { connector: 'github', tool: 'list_repos' },
      tool({
        inputSchema: z.object({ org: z.string() }),
        async *execute({ org }) {
          started.push(org);
          yield { status: 'loading' as const, repos: [] as string[] };
          yield { status: 'done' as const, repos: [`${org}/web`] };
        },
      }),
    );
    const options = (grantToken: string): ToolExecutionOptions<{ grantToken: string }> => ({ toolCallId: 'c', messages: [], context: { grantToken } });
    const values: unknown[] = [];
    for await (const value of streamed.execute({ org: 'acme' }, options(token)) as AsyncIterable<unknown>) values.push(value);
    expect(values).toEqual([{ status: 'loading', repos: [] }, { status: 'done', repos: ['acme/web'] }]);
    const denied = streamed.execute({ org: 'other' }, options(await f.token(['tool:stripe:read']))) as AsyncIterable<unknown>;
    await expect((async () => {
      for await (const value of denied) void value;
    })()).rejects.toMatchObject({ code: 'SCOPE_MISSING' });
    expect(started).toEqual(['acme']);
  });

  it('rejects bad options and tools at once with GrantexConfigurationError', async () => {
    const f = await fixture();
    const echo = tool({ inputSchema: z.object({ x: z.number() }), execute: async ({ x }) => x });
    expect(() => guardTool(f.enforcer, { connector: 'github', tool: 'list_repos', onDenied: 'ignore' as 'return' }, echo)).toThrow(GrantexConfigurationError);
    expect(() => guardTool(f.enforcer, { connector: 'github', tool: '' }, echo)).toThrow(GrantexConfigurationError);
    const clientSide = tool({ inputSchema: z.object({ x: z.number() }), outputSchema: z.number() });
    expect(() => guardTool(f.enforcer, { connector: 'github', tool: 'list_repos' }, clientSide as typeof echo)).toThrow(/no execute function/);
  });
});
