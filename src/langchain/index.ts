/**
 * Grant tokens for LangChain.js tools (`@langchain/core` 1.x): `guardTool` wraps a structured tool
 * so that it runs only when the grant token in the run's config (`configurable.grantToken`) allows
 * the call. `@langchain/core` is an optional peer dependency; this entry imports only its types.
 *
 * @module @grantex/sdk/langchain
 */
export { guardTool } from './guard-tool.js';
export type { LangChainGuardToolOptions } from './guard-tool.js';
export type { ToolDenial } from '../internal/tool-guard.js';
