import type { FunctionTool, RunContext, ToolExecuteArgument, ToolInputParameters } from '@openai/agents';

import { EnforcementError } from '../enforce/errors.js';
import type { Enforcer } from '../enforce/types.js';
import { GrantexConfigurationError } from '../errors.js';
import { createToolGuard, onDeniedOf, propertyOf, toolDenial, type GuardToolOptions, type ToolDenial } from '../internal/tool-guard.js';

/**
 * Options of the OpenAI Agents `guardTool`. The token comes from the run's context
 * (`runContext.context.grantToken`, the `context` given to `run()`) unless `grantToken` says
 * otherwise (a function receives the `RunContext`); `amount` reads the arguments the model sent.
 *
 * @example
 * ```ts
 * const options: OpenAIAgentsGuardToolOptions<{ amount: number }, { grantToken: string }> = { connector: 'stripe', tool: 'create_payment', amount: (input) => input.amount };
 * ```
 */
export type OpenAIAgentsGuardToolOptions<Input, Context> = GuardToolOptions<Input, RunContext<Context>> & { readonly onDenied?: 'throw' | 'return' | undefined };

type Invoke = FunctionTool['invoke'];

/**
 * Guards an OpenAI Agents SDK function tool (`@openai/agents` 0.x, made with
 * `tool({ name, parameters, execute })`): the tool runs only when the enforcer allows the call. The
 * grant token is read from the run's context, `runContext.context.grantToken`, i.e. the `context`
 * passed to `run(agent, input, { context: { grantToken } })`; the model never sees it.
 *
 * Returns a function tool with the same name, schema and settings. A denied call (a missing token
 * is `TOKEN_MALFORMED`) throws `EnforcementError` before the tool runs: when the tool exposes its
 * `errorFunction` (tools with an `outputSchema` do), that function turns the error into the output
 * the model reads; otherwise the run rejects with the SDK's `ToolCallError`, whose `error` is the
 * `EnforcementError`. To let the model read every denial and carry on, use `onDenied: 'return'`:
 * the tool's output is then `{ denied: true, code, message }`. `amount` reads the model's
 * arguments as sent (parsed JSON, before the tool's own validation). Bad options throw
 * `GrantexConfigurationError` at once.
 *
 * @example
 * ```ts
 * import { Agent, run, tool } from '@openai/agents';
 * import { z } from 'zod';
 * import { guardTool } from '@grantex/sdk/openai-agents';
 *
 * const createPayment = guardTool(
 *   enforcer,
 *   { connector: 'stripe', tool: 'create_payment', amount: (input) => input.amount },
 *   tool({
 *     name: 'create_payment',
 *     description: 'Charge the customer',
 *     parameters: z.object({ amount: z.number(), currency: z.string() }),
 *     execute: async ({ amount, currency }) => `charged ${amount} ${currency}`,
 *   }),
 * );
 *
 * const agent = new Agent<{ grantToken: string }>({ name: 'billing', tools: [createPayment] });
 * await run(agent, 'Charge 20 EUR for the order', { context: { grantToken } });
 * ```
 */
export function guardTool<Context, Params extends ToolInputParameters, Result>(
  enforcer: Pick<Enforcer, 'check'>,
  options: OpenAIAgentsGuardToolOptions<ToolExecuteArgument<Params>, Context> & { readonly onDenied?: 'throw' | undefined },
  tool: FunctionTool<Context, Params, Result>,
): FunctionTool<Context, Params, Result>;
export function guardTool<Context, Params extends ToolInputParameters, Result>(
  enforcer: Pick<Enforcer, 'check'>,
  options: OpenAIAgentsGuardToolOptions<ToolExecuteArgument<Params>, Context> & { readonly onDenied: 'return' },
  tool: FunctionTool<Context, Params, Result>,
): FunctionTool<Context, Params, Result | ToolDenial>;
export function guardTool<Context, Params extends ToolInputParameters, Result>(
  enforcer: Pick<Enforcer, 'check'>,
  options: OpenAIAgentsGuardToolOptions<ToolExecuteArgument<Params>, Context>,
  tool: FunctionTool<Context, Params, Result>,
): FunctionTool<Context, Params, Result | ToolDenial> {
  type Input = ToolExecuteArgument<Params>;
  const guard = createToolGuard<Input, RunContext<Context>>(enforcer, options, {
    name: 'OpenAI Agents',
    extraKeys: ['onDenied'],
    readToken: (runContext) => propertyOf(runContext?.context, 'grantToken'),
    where: 'pass it as run(agent, input, { context: { grantToken } })',
  });
  const onDenied = onDeniedOf(options.onDenied, 'OpenAI Agents');
  if (typeof tool !== 'object' || tool === null || tool.type !== 'function' || typeof tool.invoke !== 'function') {
    throw new GrantexConfigurationError('OpenAI Agents guardTool: the third argument must be a function tool made with tool()');
  }
  const invoke = tool.invoke as Invoke;
  const guardedInvoke = async (runContext: RunContext<Context>, input: string, details?: Parameters<Invoke>[2]): Promise<unknown> => {
    let parsed: Input;
    try {
      parsed = JSON.parse(input) as Input;
    } catch {
      // Arguments that are not JSON: the amount (if asked for) cannot be read, so a cap denies it.
      parsed = undefined as Input;
    }
    const decision = await guard.decide(parsed, runContext);
    if (decision.allowed) return invoke(runContext as RunContext, input, details);
    if (onDenied === 'return') return toolDenial(decision);
    const error = new EnforcementError(decision);
    // A tool that exposes its errorFunction gets to say what the model reads, as if it had thrown.
    if (!tool.errorFunction) throw error;
    return tool.errorFunction(runContext, error, details);
  };
  const guarded = Object.defineProperties({}, Object.getOwnPropertyDescriptors(tool)) as Record<string, unknown>;
  guarded['invoke'] = guardedInvoke;
  return guarded as unknown as FunctionTool<Context, Params, Result | ToolDenial>;
}
