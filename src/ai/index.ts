/**
 * Grant tokens for tools of the Vercel AI SDK (`ai` 7): `guardTool` wraps a tool so that it runs
 * only when the grant token in its per-call context (`toolsContext`) allows the call. `ai` is an
 * optional peer dependency; this entry imports only its types.
 *
 * @module @grantex/sdk/ai
 */
export { guardTool } from './guard-tool.js';
export type { AiGuardToolOptions, GrantToolContext, GuardedTool, GuardedToolContext } from './guard-tool.js';
export type { ToolDenial } from '../internal/tool-guard.js';
