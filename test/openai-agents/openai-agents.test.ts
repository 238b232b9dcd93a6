// The OpenAI Agents adapter with the real @openai/agents runner: a scripted model (our own
// implementation of its Model interface, no network) calls a guarded tool; the grant token is in
// the run's context, which the model never sees.
import { Agent, Runner, tool, ToolCallError, Usage, type Model, type ModelRequest, type ModelResponse, type StreamEvent } from '@openai/agents';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { EnforcementError } from '../../src/enforce/index.js';
import { GrantexConfigurationError } from '../../src/errors.js';
import { guardTool } from '../../src/openai-agents/index.js';
import { expectNoToken } from '../enforce/support.js';
import { fixture } from '../support/adapters.js';

/** Calls `toolName` with `args` on its first turn; on its second, repeats the tool's output as its answer. */
class ScriptedModel implements Model {
  readonly requests: ModelRequest[] = [];
  constructor(
    private readonly toolName: string,
    private readonly args: unknown,
  ) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    if (this.requests.length === 1) {
      return { usage: new Usage(), output: [{ type: 'function_call', callId: 'call_1', name: this.toolName, arguments: JSON.stringify(this.args), status: 'completed' }] };
    }
    const items = Array.isArray(request.input) ? request.input : [];
    const result = items.find((item) => item.type === 'function_call_result');
    const output = result && 'output' in result ? result.output : undefined;
    const text = typeof output === 'object' && output !== null && 'text' in output ? String(output.text) : JSON.stringify(output);
    return { usage: new Usage(), output: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: `tool said: ${text}` }] }] };
  }

  // eslint-disable-next-line require-yield
  async *getStreamedResponse(): AsyncIterable<StreamEvent> {
    throw new Error('not scripted');
  }
}

const runner = new Runner({ tracingDisabled: true });

describe('@grantex/sdk/openai-agents with the runner', () => {
  it('runs an allowed call with the token from the run context', async () => {
    const f = await fixture();
    const token = await f.token(['tool:stripe:write:capped:100']);
    const charged: number[] = [];
    const createPayment = guardTool(
      f.enforcer,
      { connector: 'stripe', tool: 'create_payment', amount: (input) => input.amount },
      tool({
        name: 'create_payment',
        description: 'Charge the customer',
        parameters: z.object({ amount: z.number(), currency: z.string() }),
        execute: async ({ amount, currency }) => {
          charged.push(amount);
          return `charged ${amount} ${currency}`;
        },
      }),
    );
    const model = new ScriptedModel('create_payment', { amount: 100, currency: 'EUR' });
    const agent = new Agent<{ grantToken: string }>({ name: 'billing', model, tools: [createPayment] });
    const result = await runner.run(agent, 'Charge 100 EUR', { context: { grantToken: token } });
    console.log(`openai-agents allowed: ${result.finalOutput}`);
    expect(result.finalOutput).toBe('tool said: charged 100 EUR');
    expect(charged).toEqual([100]);
    expectNoToken(token, model.requests.map((r) => r.input));
  });

  it('fails the run with ToolCallError carrying the EnforcementError, without running execute', async () => {
    const f = await fixture();
    const token = await f.token(['tool:stripe:write:capped:100']);
    let runs = 0;
    const createPayment = guardTool(
      f.enforcer,
      { connector: 'stripe', tool: 'create_payment', amount: (input) => input.amount },
      tool({ name: 'create_payment', description: 'Charge', parameters: z.object({ amount: z.number() }), execute: async () => String(++runs) }),
    );
    const model = new ScriptedModel('create_payment', { amount: 101 });
    const agent = new Agent<{ grantToken: string }>({ name: 'billing', model, tools: [createPayment] });
    const error = await runner.run(agent, 'Charge 101', { context: { grantToken: token } }).catch((e: unknown) => e);
    console.log(`openai-agents denied: ${String(error)}`);
    expect(error).toBeInstanceOf(ToolCallError);
    const cause = (error as ToolCallError).error;
    expect(cause).toBeInstanceOf(EnforcementError);
    expect((cause as EnforcementError).code).toBe('AMOUNT_OVER_CAP');
    expect(runs).toBe(0);
    // Ours never holds the token. (The SDK's ToolCallError also carries its RunState, and with it the
    // run context the caller passed, token included: that is the framework's object, not ours.)
    expectNoToken(token, cause, (error as Error).message, model.requests.map((r) => r.input));
  });

  it("lets a tool's exposed errorFunction say what the model reads", async () => {
    const f = await fixture();
    const token = await f.token(['tool:github:read']);
    const createIssue = guardTool(
      f.enforcer,
      { connector: 'github', tool: 'create_issue' },
      tool({
        name: 'create_issue',
        description: 'Open an issue',
        parameters: z.object({ title: z.string() }),
        outputSchema: z.object({ status: z.string() }),
        execute: async ({ title }) => ({ status: `opened ${title}` }),
        errorFunction: (_context, error) => ({ status: error instanceof EnforcementError ? `refused: ${error.code}` : 'failed' }),
      }),
    );
    const model = new ScriptedModel('create_issue', { title: 'x' });
    const result = await runner.run(new Agent<{ grantToken: string }>({ name: 'a', model, tools: [createIssue] }), 'go', { context: { grantToken: token } });
    expect(result.finalOutput).toBe('tool said: {"status":"refused: PERMISSION_INSUFFICIENT"}');
  });

  it("returns { denied, code, message } as the output with onDenied: 'return'; no token is TOKEN_MALFORMED", async () => {
    const f = await fixture();
    const listRepos = guardTool(
      f.enforcer,
      { connector: 'github', tool: 'list_repos', onDenied: 'return' },
      tool({ name: 'list_repos', description: 'List repositories', parameters: z.object({ org: z.string() }), execute: async ({ org }) => `repos of ${org}` }),
    );
    const result = await runner.run(new Agent({ name: 'a', model: new ScriptedModel('list_repos', { org: 'acme' }), tools: [listRepos] }), 'go', { context: {} });
    expect(JSON.parse(String(result.finalOutput).slice('tool said: '.length))).toEqual({
      denied: true,
      code: 'TOKEN_MALFORMED',
      message: 'No grant token for this call: pass it as run(agent, input, { context: { grantToken } })',
    });
  });

  it('rejects bad options and non-function tools at once with GrantexConfigurationError', async () => {
    const f = await fixture();
    const t = tool({ name: 'list_repos', description: 'List repositories', parameters: z.object({}), execute: async () => 'x' });
    expect(() => guardTool(f.enforcer, { connector: 'github', tool: 'list_repos', onDenied: 'never' as 'return' }, t)).toThrow(GrantexConfigurationError);
    expect(() => guardTool(f.enforcer, { connector: 'github', tool: 'list_repos' }, { ...t, type: 'hosted_tool' } as unknown as typeof t)).toThrow(GrantexConfigurationError);
  });
});
