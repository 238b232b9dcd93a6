import type { RunnableConfig } from '@langchain/core/runnables';
import type { DynamicStructuredTool } from '@langchain/core/tools';

import { EnforcementError } from '../enforce/errors.js';
import type { Enforcer } from '../enforce/types.js';
import { GrantexConfigurationError } from '../errors.js';
import { createToolGuard, onDeniedOf, propertyOf, toolDenial, type GuardToolOptions, type ToolDenial } from '../internal/tool-guard.js';

/**
 * Options of the LangChain `guardTool`. The token comes from the run's config
 * (`config.configurable.grantToken`) unless `grantToken` says otherwise (a function receives the
 * config); `onDenied` chooses between throwing `EnforcementError` (the default) and returning a
 * {@link ToolDenial} as the tool's output.
 *
 * @example
 * ```ts
 * const options: LangChainGuardToolOptions<{ amount: number }> = { connector: 'stripe', tool: 'create_payment', amount: (input) => input.amount };
 * ```
 */
export type LangChainGuardToolOptions<Input> = GuardToolOptions<Input, RunnableConfig | undefined> & { readonly onDenied?: 'throw' | 'return' | undefined };

type Func<Input, Output, Event> = (input: Input, runManager?: unknown, config?: RunnableConfig) => Promise<Output> | AsyncGenerator<Event, Output>;

/**
 * Guards a LangChain.js structured tool (`@langchain/core` 1.x, made with
 * `tool(fn, { name, schema })` or `new DynamicStructuredTool(...)`): the tool's function runs only
 * when the enforcer allows the call. The grant token is read from the run's config,
 * `config.configurable.grantToken`, which LangChain passes down from
 * `invoke(input, { configurable: { grantToken } })` through agents and graphs.
 *
 * Returns a tool of the same class, name, description, schema and settings. A denied call (a
 * missing token is `TOKEN_MALFORMED`) throws `EnforcementError` (LangGraph's `ToolNode` turns a
 * thrown tool error into a message the model reads); with `onDenied: 'return'` the tool's output
 * is `{ denied: true, code, message }` instead. Bad options throw `GrantexConfigurationError` at once.
 *
 * @example
 * ```ts
 * import { tool } from '@langchain/core/tools';
 * import { z } from 'zod';
 * import { guardTool } from '@grantex/sdk/langchain';
 *
 * const createIssue = guardTool(
 *   enforcer,
 *   { connector: 'github', tool: 'create_issue' },
 *   tool(async ({ repo, title }) => `opened "${title}" in ${repo}`, {
 *     name: 'create_issue',
 *     description: 'Open a GitHub issue',
 *     schema: z.object({ repo: z.string(), title: z.string() }),
 *   }),
 * );
 *
 * await createIssue.invoke({ repo: 'acme/web', title: 'Broken link' }, { configurable: { grantToken } });
 * ```
 */
export function guardTool<SchemaT, SchemaOutputT, SchemaInputT, ToolOutputT, ToolEventT, NameT extends string>(
  enforcer: Pick<Enforcer, 'check'>,
  options: LangChainGuardToolOptions<SchemaOutputT> & { readonly onDenied?: 'throw' | undefined },
  tool: DynamicStructuredTool<SchemaT, SchemaOutputT, SchemaInputT, ToolOutputT, ToolEventT, NameT>,
): DynamicStructuredTool<SchemaT, SchemaOutputT, SchemaInputT, ToolOutputT, ToolEventT, NameT>;
export function guardTool<SchemaT, SchemaOutputT, SchemaInputT, ToolOutputT, ToolEventT, NameT extends string>(
  enforcer: Pick<Enforcer, 'check'>,
  options: LangChainGuardToolOptions<SchemaOutputT> & { readonly onDenied: 'return' },
  tool: DynamicStructuredTool<SchemaT, SchemaOutputT, SchemaInputT, ToolOutputT, ToolEventT, NameT>,
): DynamicStructuredTool<SchemaT, SchemaOutputT, SchemaInputT, ToolOutputT | ToolDenial, ToolEventT, NameT>;
export function guardTool<SchemaT, SchemaOutputT, SchemaInputT, ToolOutputT, ToolEventT, NameT extends string>(
  enforcer: Pick<Enforcer, 'check'>,
  options: LangChainGuardToolOptions<SchemaOutputT>,
  tool: DynamicStructuredTool<SchemaT, SchemaOutputT, SchemaInputT, ToolOutputT, ToolEventT, NameT>,
): DynamicStructuredTool<SchemaT, SchemaOutputT, SchemaInputT, ToolOutputT | ToolDenial, ToolEventT, NameT> {
  const guard = createToolGuard<SchemaOutputT, RunnableConfig | undefined>(enforcer, options, {
    name: 'LangChain',
    extraKeys: ['onDenied'],
    readToken: (config) => propertyOf(config?.configurable, 'grantToken'),
    where: 'pass it as invoke(input, { configurable: { grantToken } })',
  });
  const onDenied = onDeniedOf(options.onDenied, 'LangChain');
  if (typeof tool !== 'object' || tool === null || typeof (tool as { func?: unknown }).func !== 'function') {
    throw new GrantexConfigurationError('LangChain guardTool: the third argument must be a structured tool made with tool() or new DynamicStructuredTool()');
  }
  const func = tool.func as Func<SchemaOutputT, ToolOutputT, ToolEventT>;
  const guardedFunc = async (input: SchemaOutputT, runManager?: unknown, config?: RunnableConfig): Promise<unknown> => {
    const decision = await guard.decide(input, config);
    if (!decision.allowed) {
      if (onDenied === 'throw') throw new EnforcementError(decision);
      return toolDenial(decision);
    }
    return func(input, runManager, config);
  };
  // A copy of the tool, same class and settings, with the guarded function: LangChain reads
  // name, schema and settings from the instance, and calls `func` from `_call`.
  const guarded = Object.create(Object.getPrototypeOf(tool) as object, Object.getOwnPropertyDescriptors(tool)) as { func: unknown };
  guarded.func = guardedFunc;
  return guarded as unknown as DynamicStructuredTool<SchemaT, SchemaOutputT, SchemaInputT, ToolOutputT | ToolDenial, ToolEventT, NameT>;
}
