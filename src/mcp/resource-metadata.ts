import { GrantexConfigurationError } from '../errors.js';

/**
 * Options of {@link protectedResourceMetadata}.
 *
 * @example
 * ```ts
 * const options: ProtectedResourceOptions = { resource: 'https://mcp.example.com/mcp', authorizationServers: ['https://grantex.dev'] };
 * ```
 */
export interface ProtectedResourceOptions {
  /** The MCP server's URL (its resource identifier): `https:` (or `http:` for local use), no fragment. */
  readonly resource: string;
  /** The authorization servers that issue tokens for it: the Grantex issuer. At least one. */
  readonly authorizationServers: readonly string[];
  /** The scopes the server understands, e.g. `tool:github:read`. */
  readonly scopesSupported?: readonly string[] | undefined;
}

/**
 * The OAuth 2.0 Protected Resource Metadata document (RFC 9728 §2), as served.
 *
 * @example
 * ```ts
 * const document: ProtectedResourceDocument = protectedResourceMetadata(options).document;
 * console.log(document.authorization_servers[0]);
 * ```
 */
export interface ProtectedResourceDocument {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported?: readonly string[] | undefined;
  readonly bearer_methods_supported: readonly ['header'];
}

/**
 * The metadata document and how to serve it.
 *
 * @example
 * ```ts
 * const metadata: ProtectedResourceMetadata = protectedResourceMetadata(options);
 * const response = metadata.handler(request) ?? (await handleMcp(request));
 * ```
 */
export interface ProtectedResourceMetadata {
  /** The document (frozen). */
  readonly document: ProtectedResourceDocument;
  /** Its URL: `/.well-known/oauth-protected-resource` on the resource's origin, followed by the resource's path (RFC 9728 §3.1). */
  readonly url: string;
  /** The path part of `url`, for routers. */
  readonly path: string;
  /**
   * A fetch-style handler: for a request to `path`, the document as JSON (GET, HEAD), a CORS
   * preflight answer (OPTIONS) or 405; for any other path, `null`, so the caller answers it.
   */
  handler(request: Request): Response | null;
}

const WELL_KNOWN = '/.well-known/oauth-protected-resource';
const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, HEAD, OPTIONS', 'access-control-allow-headers': '*' };

function urlOption(value: unknown, what: string): URL {
  if (typeof value !== 'string' || !URL.canParse(value)) throw new GrantexConfigurationError(`protectedResourceMetadata: ${what} must be an absolute URL`);
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new GrantexConfigurationError(`protectedResourceMetadata: ${what} must be an https: URL`);
  if (url.hash !== '' || value.includes('#')) throw new GrantexConfigurationError(`protectedResourceMetadata: ${what} must not have a fragment`);
  return url;
}

/**
 * The OAuth 2.0 Protected Resource Metadata (RFC 9728) of an MCP server whose tokens are Grantex
 * grant tokens: MCP clients read it (from the `resource_metadata` of a 401 challenge, or from the
 * well-known URL) to learn which authorization server to send the user to. Returns the document,
 * its well-known URL and a fetch-style handler serving it at
 * `/.well-known/oauth-protected-resource` (followed by the resource's path, when it has one), with
 * CORS for browser-based clients. Bad options throw `GrantexConfigurationError`.
 *
 * @example
 * ```ts
 * import { protectedResourceMetadata } from '@grantex/sdk/mcp';
 *
 * const metadata = protectedResourceMetadata({
 *   resource: 'https://mcp.example.com/mcp',
 *   authorizationServers: ['https://grantex.dev'],
 *   scopesSupported: ['tool:github:read', 'tool:github:write'],
 * });
 * metadata.url; // 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp'
 *
 * export default {
 *   async fetch(request: Request) {
 *     return metadata.handler(request) ?? handleMcp(request);
 *   },
 * };
 * ```
 */
export function protectedResourceMetadata(options: ProtectedResourceOptions): ProtectedResourceMetadata {
  if (typeof options !== 'object' || options === null) throw new GrantexConfigurationError('protectedResourceMetadata: pass { resource, authorizationServers }');
  for (const key of Object.keys(options)) {
    if (!['resource', 'authorizationServers', 'scopesSupported'].includes(key)) {
      throw new GrantexConfigurationError(`protectedResourceMetadata: unknown option ${JSON.stringify(key)}; known options: resource, authorizationServers, scopesSupported`);
    }
  }
  const resource = urlOption(options.resource, '`resource`');
  const servers = options.authorizationServers;
  if (!Array.isArray(servers) || servers.length === 0) throw new GrantexConfigurationError('protectedResourceMetadata: `authorizationServers` must list at least one URL');
  servers.forEach((server, i) => urlOption(server, `\`authorizationServers[${i}]\``));
  const scopes = options.scopesSupported;
  if (scopes !== undefined && (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string' && s !== '' && !/\s/.test(s)))) {
    throw new GrantexConfigurationError('protectedResourceMetadata: `scopesSupported` must be an array of scope strings without spaces');
  }
  const document: ProtectedResourceDocument = Object.freeze({
    resource: options.resource,
    authorization_servers: Object.freeze([...servers]),
    ...(scopes ? { scopes_supported: Object.freeze([...scopes]) } : {}),
    bearer_methods_supported: Object.freeze(['header'] as const),
  });
  const path = WELL_KNOWN + (resource.pathname === '/' ? '' : resource.pathname.replace(/\/$/, ''));
  const body = JSON.stringify(document);
  return Object.freeze({
    document,
    url: `${resource.origin}${path}`,
    path,
    handler(request: Request): Response | null {
      if (new URL(request.url).pathname !== path) return null;
      if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS });
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return new Response(null, { status: 405, headers: { ...CORS, allow: 'GET, HEAD, OPTIONS' } });
      }
      const headers = { ...CORS, 'content-type': 'application/json', 'cache-control': 'public, max-age=3600' };
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
    },
  });
}
