// The LangChain adapter with the real @langchain/core: a structured tool invoked with the grant
// token in the run's configurable, directly and as a model's tool call.
import { DynamicStructuredTool, tool } from '@langchain/core/tools';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { EnforcementError } from '../../src/enforce/index.js';
import { GrantexConfigurationError } from '../../src/errors.js';
import { guardTool } from '../../src/langchain/index.js';
import { expectNoToken } from '../enforce/support.js';
import { fixture } from '../support/adapters.js';

describe('@grantex/sdk/langchain', () => {
  it('runs an allowed invoke with the token in configurable, and keeps the tool what it was', async () => {
    const f = await fixture();
    const token = await f.token(['tool:github:write']);
    const createIssue = tool(async ({ repo, title }) => `opened "${title}" in ${repo}`, {
      name: 'create_issue',
      description: 'Open a GitHub issue',
      schema: z.object({ repo: z.string(), title: z.string() }),
    });
    const guarded = guardTool(f.enforcer, { connector: 'github', tool: 'create_issue' }, createIssue);
    expect(guarded).toBeInstanceOf(DynamicStructuredTool);
    expect([guarded.name, guarded.description, guarded.schema]).toEqual([createIssue.name, createIssue.description, createIssue.schema]);
    const output = await guarded.invoke({ repo: 'acme/web', title: 'Broken link' }, { configurable: { grantToken: token } });
    console.log(`langchain allowed: ${JSON.stringify(output)}`);
    expect(output).toBe('opened "Broken link" in acme/web');
    // The original is untouched: it still runs without a token.
    expect(await createIssue.invoke({ repo: 'acme/web', title: 'x' })).toBe('opened "x" in acme/web');
  });

  it('throws EnforcementError on a denial and does not run the tool', async () => {
    const f = await fixture();
    const token = await f.token(['tool:github:read']);
    let runs = 0;
    const guarded = guardTool(
      f.enforcer,
      { connector: 'github', tool: 'create_issue' },
      tool(async () => String(++runs), { name: 'create_issue', schema: z.object({ title: z.string() }) }),
    );
    const error = await guarded.invoke({ title: 'x' }, { configurable: { grantToken: token } }).catch((e: unknown) => e);
    console.log(`langchain denied: ${String(error)}`);
    expect(error).toBeInstanceOf(EnforcementError);
    expect((error as EnforcementError).code).toBe('PERMISSION_INSUFFICIENT');
    expect(runs).toBe(0);
    expectNoToken(token, error);
  });

  it('checks the amount from the input: at the cap runs, one past it is denied', async () => {
    const f = await fixture();
    const token = await f.token(['tool:stripe:write:capped:250']);
    const pay = guardTool(
      f.enforcer,
      { connector: 'stripe', tool: 'create_payment', amount: (input) => input.cents / 100 },
      tool(async ({ cents }) => `paid ${cents / 100}`, { name: 'create_payment', schema: z.object({ cents: z.number() }) }),
    );
    expect(await pay.invoke({ cents: 25_000 }, { configurable: { grantToken: token } })).toBe('paid 250');
    await expect(pay.invoke({ cents: 25_001 }, { configurable: { grantToken: token } })).rejects.toMatchObject({ code: 'AMOUNT_OVER_CAP' });
  });

  it("returns the denial as a ToolMessage for a model's tool call with onDenied: 'return'", async () => {
    const f = await fixture();
    const token = await f.token(['tool:github:read']);
    const guarded = guardTool(
      f.enforcer,
      { connector: 'github', tool: 'delete_repo', onDenied: 'return' },
      tool(async ({ repo }) => `deleted ${repo}`, { name: 'delete_repo', schema: z.object({ repo: z.string() }) }),
    );
    const message = await guarded.invoke({ type: 'tool_call', id: 'call_1', name: 'delete_repo', args: { repo: 'acme/web' } }, { configurable: { grantToken: token } });
    expect(message.tool_call_id).toBe('call_1');
    expect(JSON.parse(String(message.content))).toEqual({ denied: true, code: 'PERMISSION_INSUFFICIENT', message: expect.stringContaining('needs delete; the grant holds read') });
    const direct = await guarded.invoke({ repo: 'acme/web' }, { configurable: { grantToken: token } });
    expect(direct).toMatchObject({ denied: true, code: 'PERMISSION_INSUFFICIENT' });
  });

  it('denies a run without a token as TOKEN_MALFORMED, and takes one from the grantToken option', async () => {
    const f = await fixture();
    const token = await f.token(['tool:github:read']);
    const list = tool(async ({ org }) => `repos of ${org}`, { name: 'list_repos', schema: z.object({ org: z.string() }) });
    const guarded = guardTool(f.enforcer, { connector: 'github', tool: 'list_repos' }, list);
    const error = (await guarded.invoke({ org: 'acme' }).catch((e: unknown) => e)) as EnforcementError;
    expect([error.code, error.message]).toEqual(['TOKEN_MALFORMED', 'No grant token for this call: pass it as invoke(input, { configurable: { grantToken } })']);
    const fromOption = guardTool(f.enforcer, { connector: 'github', tool: 'list_repos', grantToken: (config) => config?.configurable?.['session']?.token }, list);
    expect(await fromOption.invoke({ org: 'acme' }, { configurable: { session: { token } } })).toBe('repos of acme');
    expect(await guardTool(f.enforcer, { connector: 'github', tool: 'list_repos', grantToken: token }, list).invoke({ org: 'acme' })).toBe('repos of acme');
  });

  it('rejects bad options and non-tools at once with GrantexConfigurationError', async () => {
    const f = await fixture();
    const list = tool(async () => 'x', { name: 'list_repos', schema: z.object({}) });
    expect(() => guardTool(f.enforcer, { connector: 'github', tool: 'list_repos', onDenied: 'log' as 'return' }, list)).toThrow(GrantexConfigurationError);
    expect(() => guardTool(f.enforcer, { connector: 'github', tool: 'list_repos', grantToken: 42 as unknown as string }, list)).toThrow(GrantexConfigurationError);
    expect(() => guardTool(f.enforcer, { connector: 'github', tool: 'list_repos' }, {} as typeof list)).toThrow(GrantexConfigurationError);
  });
});
