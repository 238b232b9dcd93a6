// The raw HTTP request behind an operation of openapi.yaml, as a `curl` command for the API
// reference's code samples, shown beside the SDK call. Built from the spec alone: the path with its
// example values, the query parameters that have examples, the JSON body example, and the
// credential the operation's security names, as a shell variable (never a literal value).
//
//   curl -X POST "$GRANTEX_BASE_URL/v1/token" \
//     -H "Authorization: Bearer $GRANTEX_API_KEY" \
//     -H "Content-Type: application/json" \
//     -d '{"code":"…","agentId":"…"}'

import { deref, exampleOf } from '../codegen/spec.mjs';

export const CURL_LANG = 'Shell';
export const CURL_LABEL = 'curl';

/** The shell variable that holds each kind of bearer credential. */
const CREDENTIAL_VARIABLES = {
  ApiKeyAuth: 'GRANTEX_API_KEY',
  GrantTokenAuth: 'GRANT_TOKEN',
  PrincipalSessionAuth: 'SESSION_TOKEN',
  ScimTokenAuth: 'SCIM_TOKEN',
};

/** Single-quotes a value for a POSIX shell. */
const shellQuote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/**
 * The `curl` command for `method` and `route` (`post`, `/v1/token`); an event stream gets `-N` so
 * that events print as they arrive. `pathItem` supplies path-level parameters.
 */
export function curlSample(spec, route, method, operation, pathItem = {}) {
  const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p) => deref(spec, p));
  let target = route.replace(/\{([^}]+)\}/g, (_, name) => {
    const example = exampleOf(spec, parameters.find((p) => p.in === 'path' && p.name === name));
    return encodeURIComponent(String(example ?? `<${name}>`));
  });
  const query = parameters
    .filter((p) => p.in === 'query')
    .map((p) => [p.name, exampleOf(spec, p)])
    .filter(([, value]) => value !== undefined && (typeof value !== 'object' || value === null));
  if (query.length) target += `?${new URLSearchParams(query.map(([k, v]) => [k, String(v)])).toString()}`;

  const lines = [`curl${method === 'get' ? '' : ` -X ${method.toUpperCase()}`} "$GRANTEX_BASE_URL${target}"`];
  const security = operation.security ?? spec.security ?? [];
  const scheme = security.flatMap((requirement) => Object.keys(requirement))[0];
  if (scheme) lines.push(`-H "Authorization: Bearer $${CREDENTIAL_VARIABLES[scheme] ?? 'TOKEN'}"`);
  for (const header of parameters.filter((p) => p.in === 'header')) {
    const example = exampleOf(spec, header);
    if (example !== undefined && header.required) lines.push(`-H ${shellQuote(`${header.name}: ${example}`)}`);
  }
  const produces = Object.keys(deref(spec, Object.values(operation.responses ?? {})[0])?.content ?? {});
  if (produces.includes('text/event-stream')) lines[0] = lines[0].replace('curl', 'curl -N');
  const body = operation.requestBody && deref(spec, operation.requestBody);
  if (body?.content) {
    const [type, media] = Object.entries(body.content)[0];
    const example = exampleOf(spec, media);
    lines.push(`-H "Content-Type: ${type}"`);
    if (example !== undefined) {
      const text = typeof example === 'string' ? example : JSON.stringify(example);
      lines.push(`-d ${shellQuote(text)}`);
    } else if (body.required) {
      lines.push(`-d '{}'`);
    }
  }
  return lines.join(' \\\n  ');
}
