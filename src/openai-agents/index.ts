/**
 * Grant tokens for tools of the OpenAI Agents SDK (`@openai/agents` 0.x): `guardTool` wraps a
 * function tool so that it runs only when the grant token in the run's context
 * (`context.grantToken`) allows the call. `@openai/agents` is an optional peer dependency; this
 * entry imports only its types.
 *
 * @module @grantex/sdk/openai-agents
 */
export { guardTool } from './guard-tool.js';
export type { OpenAIAgentsGuardToolOptions } from './guard-tool.js';
export type { ToolDenial } from '../internal/tool-guard.js';
