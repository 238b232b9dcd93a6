import type { Enforcer } from '../enforce/types.js';
import { GrantexConfigurationError } from '../errors.js';
import { createToolGuard, propertyOf, type GuardToolOptions } from '../internal/tool-guard.js';

/**
 * The part of the MCP SDK's `RequestHandlerExtra` the guard reads: the access token that the
 * server's bearer-auth middleware verified (`requireBearerAuth`, see `grantexTokenVerifier`).
 *
 * @example
 * ```ts
 * const extra: McpToolExtra = { authInfo: { token: grantToken } };
 * ```
 */
export interface McpToolExtra {
  readonly authInfo?: { readonly token: string } | undefined;
}

/**
 * What a guarded MCP tool answers instead of running its callback when the call is denied: a tool
 * error the model can read, `<CODE>: <message>`. Never contains the grant token.
 *
 * @example
 * ```ts
 * const denial: McpToolDenial = { isError: true, content: [{ type: 'text', text: 'SCOPE_MISSING: The grant holds no tool scope for connector "github"' }] };
 * ```
 */
export interface McpToolDenial {
  [key: string]: unknown;
  readonly isError: true;
  readonly content: [{ readonly type: 'text'; readonly text: string }];
}

/**
 * Options of the MCP `guardTool`: the connector and tool of the manifest, the amount read from the
 * tool's arguments, and where the grant token comes from (by default `extra.authInfo.token`).
 *
 * @example
 * ```ts
 * const options: McpGuardToolOptions<{ amount: number }> = { connector: 'stripe', tool: 'create_payment', amount: (args) => args.amount };
 * ```
 */
export type McpGuardToolOptions<Args, Extra extends McpToolExtra = McpToolExtra> = GuardToolOptions<Args, Extra>;

/**
 * Guards an MCP tool callback `(args, extra)`: the callback runs only when the enforcer allows the
 * call for the grant token the client presented (`extra.authInfo.token`, set by the MCP SDK's
 * `requireBearerAuth` middleware or by the transport's `authInfo`). A denied call answers
 * `{ isError: true, content: [{ type: 'text', text: '<CODE>: <message>' }] }` without running the
 * callback; a missing token is a denial (`TOKEN_MALFORMED`). The returned function has the
 * callback's own argument and result types, so it goes straight into `registerTool`. A tool
 * without arguments declares `inputSchema: {}` so that the MCP SDK passes `(args, extra)`.
 *
 * Bad options throw `GrantexConfigurationError` at once.
 *
 * @example
 * ```ts
 * import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
 * import { guardTool } from '@grantex/sdk/mcp';
 * import { z } from 'zod';
 *
 * const server = new McpServer({ name: 'payments', version: '1.0.0' });
 * server.registerTool(
 *   'create_payment',
 *   { inputSchema: { amount: z.number(), currency: z.string() } },
 *   guardTool(enforcer, { connector: 'stripe', tool: 'create_payment', amount: (args) => args.amount }, async (args) => ({
 *     content: [{ type: 'text', text: `paid ${args.amount} ${args.currency}` }],
 *   })),
 * );
 * ```
 */
export function guardTool<Args, Extra extends McpToolExtra, Result>(
  enforcer: Pick<Enforcer, 'check'>,
  options: McpGuardToolOptions<Args, Extra>,
  callback: (args: Args, extra: Extra) => Result | Promise<Result>,
): (args: Args, extra: Extra) => Promise<Result | McpToolDenial> {
  const guard = createToolGuard<Args, Extra>(enforcer, options, {
    name: 'MCP',
    readToken: (extra) => propertyOf(propertyOf(extra, 'authInfo'), 'token'),
    where: 'the request carried no verified access token (extra.authInfo.token; see grantexTokenVerifier and requireBearerAuth)',
  });
  if (typeof callback !== 'function') throw new GrantexConfigurationError('MCP guardTool: the third argument must be the tool callback');
  return async (args: Args, extra: Extra): Promise<Result | McpToolDenial> => {
    const decision = await guard.decide(args, extra);
    if (!decision.allowed) return { isError: true, content: [{ type: 'text', text: `${decision.code}: ${decision.message}` }] };
    return callback(args, extra);
  };
}
