/**
 * An OpenAI Agents SDK tool guarded by grant tokens (`@grantex/sdk/openai-agents` with
 * `@openai/agents`): the token travels in the run's context, which the model never sees, and the
 * tool runs only when the grant allows the call. A scripted model (the SDK's `Model` interface)
 * stands in for a real one. Runs against the local test server:
 *
 *   node scripts/run-example.mjs examples/openai-agents.ts
 */
import { Grantex } from '@grantex/sdk';
import { createEnforcer } from '@grantex/sdk/enforce';
import { guardTool } from '@grantex/sdk/openai-agents';
import { createTestServer } from '@grantex/sdk/testing';
import { Agent, Runner, tool, Usage, type Model, type ModelRequest, type ModelResponse, type StreamEvent } from '@openai/agents';
import { z } from 'zod';

// --- A local Grantex and a grant that may read the calendar (in production: your Grantex and the user's consent). ---
const grantex = createTestServer();
const client = new Grantex({ apiKey: grantex.sandboxApiKey, baseUrl: grantex.url, fetch: grantex.fetch });
const agentRecord = await client.agents.register({ name: 'calendar-assistant', scopes: ['tool:calendar:read'] });
const request = await client.authorize({ agentId: agentRecord.agentId, userId: 'user_123', scopes: ['tool:calendar:read'] });
const { grantToken } = await client.tokens.exchange({ code: request.code!, agentId: agentRecord.agentId });
const enforcer = createEnforcer({
  jwks: await grantex.jwks(),
  issuer: grantex.issuer,
  developerId: grantex.sandboxDeveloperId,
  manifests: [{ connector: 'calendar', tools: { list_events: 'read', delete_event: 'delete' } }],
});

/** Calls one tool, then repeats what the tool said. */
class ScriptedModel implements Model {
  private turn = 0;
  constructor(private readonly call: { name: string; arguments: string }) {}
  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    if (this.turn++ === 0) return { usage: new Usage(), output: [{ type: 'function_call', callId: 'call_1', status: 'completed', ...this.call }] };
    const items = Array.isArray(request.input) ? request.input : [];
    const result = items.find((item) => item.type === 'function_call_result');
    const output = result && 'output' in result ? result.output : undefined;
    const text = typeof output === 'object' && output !== null && 'text' in output ? String(output.text) : JSON.stringify(output);
    return { usage: new Usage(), output: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] }] };
  }
  // eslint-disable-next-line require-yield
  async *getStreamedResponse(): AsyncIterable<StreamEvent> {
    throw new Error('not scripted');
  }
}

// #region guard
const listEvents = guardTool(
  enforcer,
  { connector: 'calendar', tool: 'list_events' },
  tool({ name: 'list_events', description: 'List the events of a day', parameters: z.object({ day: z.string() }), execute: async ({ day }) => `${day}: standup 09:30, review 14:00` }),
);
const deleteEvent = guardTool(
  enforcer,
  // The model reads the denial as the tool's output and the run goes on.
  { connector: 'calendar', tool: 'delete_event', onDenied: 'return' },
  tool({ name: 'delete_event', description: 'Delete an event', parameters: z.object({ id: z.string() }), execute: async ({ id }) => `deleted ${id}` }),
);
// #endregion guard

// #region run
const runner = new Runner({ tracingDisabled: true });
const ask = async (call: { name: string; arguments: string }) => {
  const agent = new Agent<{ grantToken: string }>({ name: 'calendar', model: new ScriptedModel(call), tools: [listEvents, deleteEvent] });
  // The grant token is run context: tools read it, the model never sees it.
  return (await runner.run(agent, 'Help me with my calendar', { context: { grantToken } })).finalOutput;
};
console.log(`list_events allowed: ${await ask({ name: 'list_events', arguments: '{"day":"2026-12-07"}' })}`);
console.log(`delete_event denied: ${await ask({ name: 'delete_event', arguments: '{"id":"evt_1"}' })}`);
// #endregion run
