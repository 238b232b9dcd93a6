/**
 * Grant tokens for MCP servers built on `@modelcontextprotocol/sdk` (1.x): guard each tool callback
 * with the enforcer, verify the bearer token at the HTTP layer with the MCP SDK's
 * `requireBearerAuth`, and publish the RFC 9728 metadata that tells clients where to get a token.
 * `@modelcontextprotocol/sdk` is an optional peer dependency: only this entry loads it.
 *
 * @module @grantex/sdk/mcp
 */
export { guardTool } from './guard-tool.js';
export { grantexTokenVerifier } from './token-verifier.js';
export { protectedResourceMetadata } from './resource-metadata.js';
export type { McpGuardToolOptions, McpToolDenial, McpToolExtra } from './guard-tool.js';
export type { GrantTokenSource } from './token-verifier.js';
export type { ProtectedResourceDocument, ProtectedResourceMetadata, ProtectedResourceOptions } from './resource-metadata.js';
