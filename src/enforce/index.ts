/**
 * Tool-call enforcement for agent platforms: "may this agent, holding this grant token, call this
 * tool now, for this amount?", answered offline from the token's scopes and tool manifests, on
 * Node, Deno, Bun, Cloudflare Workers and browsers. Loads `@grantex/sdk/jwt` (and `jose`), no HTTP
 * client. With `revocation`, revoked grants are seen live: the event feed and the online check use
 * the runtime's `fetch` and load on the first check.
 *
 * @module @grantex/sdk/enforce
 */
export { createEnforcer } from './enforcer.js';
export { defineManifest } from './manifest.js';
export { EnforcementError, ManifestError } from './errors.js';
export type {
  DenialCode,
  EnforcementCode,
  EnforcementDecision,
  Enforcer,
  EnforcerOptions,
  EnforcerPolicyOptions,
  GuardOptions,
  HeadersCarrier,
  KeyOptions,
  LocalEnforcerKeyOptions,
  MiddlewareOptions,
  NodeStyleRequest,
  NodeStyleResponse,
  PermissionLevel,
  RemoteEnforcerKeyOptions,
  ToolCall,
  ToolManifest,
  ToolManifestJson,
  WrapToolOptions,
} from './types.js';
export type { RevocationMode, RevocationOptions } from '../revocation/types.js';
