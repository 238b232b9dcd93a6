import type { FlexibleSchema, Tool, ToolExecuteFunction, ToolExecutionOptions } from 'ai';

import { EnforcementError } from '../enforce/errors.js';
import type { EnforcementDecision, Enforcer } from '../enforce/types.js';
import { GrantexConfigurationError } from '../errors.js';
import { createToolGuard, onDeniedOf, propertyOf, toolDenial, type GuardToolOptions, type ToolDenial } from '../internal/tool-guard.js';

/**
 * The tool context a guarded tool declares when the tool had no `contextSchema` of its own: pass it
 * per call as `generateText({ toolsContext: { <toolName>: { grantToken } } })`.
 *
 * @example
 * ```ts
 * const context: GrantToolContext = { grantToken };
 * ```
 */
export interface GrantToolContext {
  readonly grantToken: string;
}

/**
 * The context type of a guarded tool: the tool's own when it declared a `contextSchema`, otherwise
 * {@link GrantToolContext}.
 *
 * @example
 * ```ts
 * type C = GuardedToolContext<Record<string, unknown>>; // GrantToolContext
 * ```
 */
export type GuardedToolContext<Context> = unknown extends Context ? GrantToolContext : string extends keyof Context ? GrantToolContext : Context;

/**
 * Options of the AI SDK `guardTool`. The token comes from the tool's per-call context
 * (`options.context.grantToken`) unless `grantToken` says otherwise; `onDenied` chooses between
 * throwing `EnforcementError` (the default: the AI SDK reports it to the model as a tool error) and
 * returning a {@link ToolDenial} as the tool's output.
 *
 * @example
 * ```ts
 * const options: AiGuardToolOptions<{ amount: number }, GrantToolContext> = { connector: 'stripe', tool: 'create_payment', amount: (input) => input.amount, onDenied: 'return' };
 * ```
 */
export type AiGuardToolOptions<Input, Context> = GuardToolOptions<Input, Context> & { readonly onDenied?: 'throw' | 'return' | undefined };

/**
 * A guarded AI SDK tool: the wrapped tool with the same input and output types (plus
 * {@link ToolDenial} with `onDenied: 'return'`) and its context type.
 *
 * @example
 * ```ts
 * const pay: GuardedTool<{ amount: number }, string, GrantToolContext> = guardTool(enforcer, options, createPayment);
 * ```
 */
export type GuardedTool<Input, Output, Context> = Tool<Input, Output, Context> & { execute: ToolExecuteFunction<Input, Output, Context> };

/** The AI SDK's "context validation": the guard reads the token itself and denies a missing one, so everything passes. */
const grantContextSchema = {
  '~standard': { version: 1, vendor: 'grantex', validate: (value: unknown) => ({ value: value as GrantToolContext }) },
} as const satisfies FlexibleSchema<GrantToolContext>;

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/**
 * Guards a Vercel AI SDK tool (`ai` 7, made with `tool({ description, inputSchema, execute })`):
 * `execute` runs only when the enforcer allows the call. The grant token is read from the tool's
 * per-call context, `options.context.grantToken`, which the AI SDK fills from
 * `generateText({ toolsContext: { <toolName>: { grantToken } } })` (or `streamText`, or a
 * `ToolLoopAgent`). A tool without a `contextSchema` gets one typed {@link GrantToolContext}; a tool
 * with its own must let `grantToken` through, or read the token with the `grantToken` option.
 *
 * A denied call (a missing token is `TOKEN_MALFORMED`) throws `EnforcementError`, which the AI SDK
 * hands to the model as a tool error; with `onDenied: 'return'` the tool's output is
 * `{ denied: true, code, message }` instead. Input and output types stay the tool's own; a
 * streaming tool (an async generator `execute`) streams after the decision. Bad options throw
 * `GrantexConfigurationError` at once.
 *
 * @example
 * ```ts
 * import { generateText, tool } from 'ai';
 * import { z } from 'zod';
 * import { guardTool } from '@grantex/sdk/ai';
 *
 * const createPayment = guardTool(
 *   enforcer,
 *   { connector: 'stripe', tool: 'create_payment', amount: (input) => input.amount },
 *   tool({
 *     description: 'Charge the customer',
 *     inputSchema: z.object({ amount: z.number(), currency: z.string() }),
 *     execute: async ({ amount, currency }) => `charged ${amount} ${currency}`,
 *   }),
 * );
 *
 * const result = await generateText({
 *   model,
 *   tools: { createPayment },
 *   toolsContext: { createPayment: { grantToken } },
 *   prompt: 'Charge 20 EUR for the order',
 * });
 * ```
 */
export function guardTool<Input, Output, Context extends Record<string, unknown>>(
  enforcer: Pick<Enforcer, 'check'>,
  options: AiGuardToolOptions<Input, GuardedToolContext<Context>> & { readonly onDenied?: 'throw' | undefined },
  tool: Tool<Input, Output, Context> & { execute: ToolExecuteFunction<Input, Output, Context> },
): GuardedTool<Input, Output, GuardedToolContext<Context>>;
export function guardTool<Input, Output, Context extends Record<string, unknown>>(
  enforcer: Pick<Enforcer, 'check'>,
  options: AiGuardToolOptions<Input, GuardedToolContext<Context>> & { readonly onDenied: 'return' },
  tool: Tool<Input, Output, Context> & { execute: ToolExecuteFunction<Input, Output, Context> },
): GuardedTool<Input, Output | ToolDenial, GuardedToolContext<Context>>;
export function guardTool<Input, Output, Context extends Record<string, unknown>>(
  enforcer: Pick<Enforcer, 'check'>,
  options: AiGuardToolOptions<Input, GuardedToolContext<Context>>,
  tool: Tool<Input, Output, Context> & { execute: ToolExecuteFunction<Input, Output, Context> },
): GuardedTool<Input, Output | ToolDenial, GuardedToolContext<Context>> {
  type Ctx = GuardedToolContext<Context>;
  const guard = createToolGuard<Input, Ctx>(enforcer, options, {
    name: 'AI SDK',
    extraKeys: ['onDenied'],
    readToken: (context) => propertyOf(context, 'grantToken'),
    where: 'pass it as toolsContext.<toolName>.grantToken',
  });
  const onDenied = onDeniedOf(options.onDenied, 'AI SDK');
  if (typeof tool !== 'object' || tool === null) throw new GrantexConfigurationError('AI SDK guardTool: the third argument must be a tool made with tool()');
  const execute = tool.execute as unknown;
  if (typeof execute !== 'function') {
    throw new GrantexConfigurationError('AI SDK guardTool: the tool has no execute function (a tool executed by the client or the provider cannot be guarded here)');
  }
  const run = execute as (input: Input, options: ToolExecutionOptions<Ctx>) => unknown;

  /** `undefined` when allowed; otherwise the denial to return (or it throws). */
  async function denial(input: Input, callOptions: ToolExecutionOptions<Ctx>): Promise<ToolDenial | undefined> {
    const decision: EnforcementDecision = await guard.decide(input, callOptions?.context);
    if (decision.allowed) return undefined;
    if (onDenied === 'throw') throw new EnforcementError(decision);
    return toolDenial(decision);
  }

  const streaming = Object.prototype.toString.call(execute) === '[object AsyncGeneratorFunction]';
  const guardedExecute = streaming
    ? async function* (input: Input, callOptions: ToolExecutionOptions<Ctx>): AsyncGenerator<Output | ToolDenial> {
        const denied = await denial(input, callOptions);
        if (denied) {
          yield denied;
          return;
        }
        yield* run(input, callOptions) as AsyncIterable<Output>;
      }
    : async (input: Input, callOptions: ToolExecutionOptions<Ctx>): Promise<Output | ToolDenial> => {
        const denied = await denial(input, callOptions);
        if (denied) return denied;
        const result = await run(input, callOptions);
        // A plain function that returned a stream: the wrapper is already a promise, so hand back the last value.
        if (isAsyncIterable(result)) {
          let last: unknown;
          for await (const value of result) last = value;
          return last as Output;
        }
        return result as Output;
      };

  // Copy every own property, non-enumerable ones included (the AI SDK keeps some that way).
  const guarded = Object.defineProperties({}, Object.getOwnPropertyDescriptors(tool)) as Record<string, unknown>;
  guarded['execute'] = guardedExecute;
  if (tool.contextSchema === undefined) guarded['contextSchema'] = grantContextSchema;
  return guarded as unknown as GuardedTool<Input, Output | ToolDenial, Ctx>;
}
