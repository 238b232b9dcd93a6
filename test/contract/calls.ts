import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

import { operations } from '../../generated/operations.gen.js';
// The one reader of the spec, shared with the generator: same $ref resolution, same example choice.
import { deref, exampleOf as exampleOfIn, requiredFields } from '../../scripts/codegen/spec.mjs';
import type { OperationSpec } from '../../src/internal/operation.js';
import { Grantex, type PublicClientOptions } from '../../src/index.js';

/** A JWT-shaped grant token (the mock does not check signatures; it must only look like one). */
export const SAMPLE_GRANT_TOKEN = [
  { alg: 'RS256', kid: 'grantex-2026-11' },
  {
    iss: 'https://grantex.dev',
    sub: 'user_alice',
    agt: 'did:grantex:ag_01M81NX4MJ7RD1ZF8CB8WCXME6',
    dev: 'dev_01M81NWHH1NGQ4JT0WQKN8NE7Y',
    scp: ['calendar:read', 'github:read'],
    jti: 'tok_01M81NX4VTKZM64DHSX9JMEAN6',
    grnt: 'grnt_01M81NX4VT1ACS2C7J47VD5C9R',
    iat: 1795352859,
    exp: 1795439259,
  },
]
  .map((part) => btoa(JSON.stringify(part)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'))
  .concat('c2lnbmF0dXJl')
  .join('.');
/** Commerce credentials of the shapes the SDK tells apart (the mock checks only that one is sent). */
export const COMMERCE_MERCHANT_KEY = 'grtx_sk_sandbox_contract_0123456789abcdef';
export const COMMERCE_AGENT_KEY = 'grtx_agent_contract_0123456789abcdef0123456789';
export const SCIM_TOKEN = '9f2c4e1a7b3d5f60718293a4b5c6d7e8f9a0b1c2d3e4f5061728394a5b6c7d8e';

type Json = Record<string, unknown>;
const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as Json;

const resolve = (node: unknown): Json | undefined => deref(spec, node);
const exampleOf = (holder: Json | undefined): unknown => exampleOfIn(spec, holder);
const requiredOf = (schema: Json | undefined): string[] => requiredFields(spec, schema);

/** The spec's view of one operation: its parameters and body with their examples. */
export function specOperation(op: OperationSpec): { parameters: Json[]; body: Json | undefined; bodySchema: Json | undefined } {
  const item = (spec['paths'] as Json)[op.path] as Json;
  const operation = item[op.method.toLowerCase()] as Json;
  const parameters = [...((item['parameters'] as Json[]) ?? []), ...((operation['parameters'] as Json[]) ?? [])].map((p) => resolve(p)!);
  const media = (resolve(operation['requestBody'])?.['content'] as Json | undefined)?.['application/json'] as Json | undefined;
  return { parameters, body: media, bodySchema: resolve(media?.['schema']) };
}

function bearerFor(op: OperationSpec): string {
  return op.path.startsWith('/scim/') ? SCIM_TOKEN : SAMPLE_GRANT_TOKEN;
}

/** Builds the arguments of an operation's SDK method from the spec's examples. */
export function argumentsFor(op: OperationSpec, variant: 'required' | 'full'): { args: unknown[]; params: Json | undefined } {
  const { parameters, body, bodySchema } = specOperation(op);
  const bodyExample = (exampleOf(body) ?? {}) as Json;
  const args: unknown[] = [];
  const positional = new Set<string>();
  for (const arg of op.args ?? []) {
    const [where, name] = arg;
    if (where === 'bearer') {
      args.push(bearerFor(op));
      continue;
    }
    positional.add(name!);
    if (where === 'body') args.push(bodyExample[name!]);
    else args.push(exampleOf(parameters.find((p) => p['name'] === name && p['in'] === where)));
  }
  const sdkName = Object.fromEntries(Object.entries(op.rename ?? {}).map(([sdk, wire]) => [wire, sdk]));
  const params: Json = {};
  if (op.body) {
    const required = requiredOf(bodySchema);
    const minProperties = Number(resolve(bodySchema)?.['minProperties'] ?? 0);
    let kept = 0;
    for (const [key, value] of Object.entries(bodyExample)) {
      if (positional.has(key)) continue;
      const keep = variant === 'full' || required.includes(key) || kept < minProperties;
      if (keep) {
        params[sdkName[key] ?? key] = value;
        kept += 1;
      }
    }
    // An update with no required field still needs one field to mean anything.
    const first = Object.entries(bodyExample).find(([key]) => !positional.has(key));
    if (kept === 0 && first) params[sdkName[first[0]] ?? first[0]] = first[1];
  }
  for (const p of parameters.filter((p) => p['in'] === 'query' && !positional.has(p['name'] as string))) {
    if (variant === 'full' || p['required']) {
      const value = exampleOf(p);
      if (value !== undefined) params[sdkName[p['name'] as string] ?? (p['name'] as string)] = value;
    }
  }
  const takesParams = op.body || (op.query ?? []).some((q) => !positional.has(q));
  return { args, params: takesParams ? params : undefined };
}

/** Calls an operation through the public SDK surface, found by walking its `call` path. */
export function callOperation(
  client: Grantex,
  publicOptions: PublicClientOptions,
  op: OperationSpec,
  variant: 'required' | 'full',
  extraOptions: Json = {},
): PromiseLike<unknown> {
  const { args, params } = argumentsFor(op, variant);
  const segments = op.call.split('.');
  let target: unknown = client;
  let options: Json = { ...extraOptions, ...(variant === 'full' ? { timeout: 10_000 } : {}) };
  if (segments[0] === 'Grantex') {
    target = Grantex;
    segments.shift();
    options = { ...publicOptions, ...options };
  }
  const method = segments.pop()!;
  // A commerce method no operator may call lives on the view of the caller kind that may.
  const callers = op.callers;
  if (callers && !callers.some((caller) => caller === 'operator' || caller === 'admin' || caller === 'anyone')) {
    segments.push(callers.includes('agent') ? 'asAgent' : 'asMerchant');
  }
  for (const segment of segments) {
    if (segment === 'asAgent' || segment === 'asMerchant') {
      const view = (target as Record<string, (credential: string) => unknown>)[segment]!;
      target = view.call(target, segment === 'asAgent' ? COMMERCE_AGENT_KEY : COMMERCE_MERCHANT_KEY);
      continue;
    }
    target = segment === 'withToken' ? (target as { withToken(t: string): unknown }).withToken(bearerFor(op)) : (target as Json)[segment];
  }
  const fn = (target as Record<string, (...a: unknown[]) => PromiseLike<unknown>>)[method];
  if (typeof fn !== 'function') throw new Error(`${op.call} is not a public SDK method`);
  const callArgs = [...args];
  const takesParams = op.body || (op.query ?? []).some((q) => !(op.args ?? []).some(([w, n]) => w === 'query' && n === q));
  if (takesParams && !op.bespoke?.startsWith('authorize')) callArgs.push(params);
  else if (takesParams) callArgs.push({ ...params });
  return fn.call(target, ...callArgs, options);
}

export const sdkOperations = Object.values(operations) as OperationSpec[];

/** A regular expression matching the URLs of a path template. */
export function templatePattern(template: string): RegExp {
  return new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, '[^/]+')}$`);
}
