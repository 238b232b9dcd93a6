// The SDK call behind each operation of openapi.yaml, as a Redocly `x-codeSamples` entry, built from
// the operation's `x-grantex-sdk` mapping (method, args, rename, paginate) and the spec's own
// examples. The docs build adds these to a copy of the spec; openapi.yaml itself is not changed.
//
//   x-grantex-sdk: { method: agents.get, args: [agentId=path.id] }
//   → const agent = await client.agents.get('ag_01M81NX4MJ7RD1ZF8CB8WCXME6');
//
// Rules: a leading `Grantex.` is a static method; a `withToken` segment is a credential view
// (`client.scim.withToken(scimToken).users.list()`); positional arguments come first, then one
// params object with the remaining body fields and query parameters, under their SDK names. Inputs
// that are credentials appear as variables, never as literal values. Paginated lists that walk
// pages are shown as a `for await` loop. An operation marked `x-grantex-sdk: false` gets a comment
// saying why; one without the extension gets no sample.

import { deref, exampleOf, HTTP_METHODS as METHODS, parseArg } from '../codegen/spec.mjs';
import { CURL_LABEL, CURL_LANG, curlSample } from './curl-samples.mjs';

export const SAMPLE_LANG = 'TypeScript';
export const SAMPLE_LABEL = 'TypeScript SDK';
// The reference's sample panel shows about 60 columns before it scrolls.
const WIDTH = 60;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const quote = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
const keyOf = (k) => (IDENTIFIER.test(k) ? k : quote(k));

/** A JavaScript literal for `value`, on one line when it fits in `room` characters. */
export function literal(value, indent = '', room = WIDTH) {
  if (value === null) return 'null';
  if (value instanceof Variable) return value.name;
  if (typeof value === 'string') return quote(value);
  if (typeof value !== 'object') return String(value);
  const isArray = Array.isArray(value);
  const entries = isArray ? value.map((v) => [undefined, v]) : Object.entries(value);
  if (entries.length === 0) return isArray ? '[]' : '{}';
  const part = ([k, v], inner, r) => {
    if (isArray) return literal(v, inner, r);
    if (v instanceof Variable && v.name === k) return k; // shorthand
    return `${keyOf(k)}: ${literal(v, inner, r)}`;
  };
  const flat = entries.map((e) => part(e, indent, Infinity)).join(', ');
  const oneLine = isArray ? `[${flat}]` : `{ ${flat} }`;
  if (oneLine.length <= room && !oneLine.includes('\n')) return oneLine;
  const inner = `${indent}  `;
  const lines = entries.map((e) => `${inner}${part(e, inner, WIDTH - inner.length)},`);
  return isArray ? `[\n${lines.join('\n')}\n${indent}]` : `{\n${lines.join('\n')}\n${indent}}`;
}

/** A name that stands for a value the caller holds (a credential), printed as an identifier. */
class Variable {
  constructor(name) {
    this.name = name;
  }
}

/** The variables anywhere in a sample's arguments, in order. */
function collectVariables(value) {
  if (value instanceof Variable) return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(collectVariables);
  return [];
}

const lowerFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);
function singular(word) {
  if (/ies$/.test(word)) return word.replace(/ies$/, 'y');
  if (/(ss|sh|ch|x)es$/.test(word)) return word.replace(/es$/, '');
  if (/s$/.test(word) && !/ss$/.test(word)) return word.slice(0, -1);
  return word;
}
/** `scim` → scimToken, `principalSessions` → sessionToken: the token a `withToken` view takes. */
function viewTokenName(segment) {
  const words = segment.split(/(?=[A-Z])/);
  return `${lowerFirst(singular(words.at(-1)))}Token`;
}

function successResponse(spec, operation) {
  const entry = Object.entries(operation.responses ?? {}).find(([status]) => /^2/.test(status));
  if (!entry) return {};
  const response = deref(spec, entry[1]);
  const media = response?.content && Object.values(response.content)[0];
  return { status: entry[0], schemaRef: media?.schema?.$ref, hasBody: Boolean(media) };
}

/**
 * The TypeScript source that performs `operation` with the SDK, or undefined when the operation has
 * no `x-grantex-sdk` mapping. `pathItem` supplies path-level parameters.
 */
export function sdkSample(spec, operation, pathItem = {}) {
  const sdk = operation['x-grantex-sdk'];
  if (sdk === undefined) return undefined;
  if (sdk === false) {
    const reason = operation['x-grantex-sdk-reason'] ?? 'the SDK does not expose this operation.';
    return `// Not available in the SDK: ${reason}`.replace(/\s+/g, ' ').trim();
  }
  if (!sdk || typeof sdk.method !== 'string') throw new Error(`${operation.operationId}: x-grantex-sdk needs a method`);

  // Where the call lives.
  let segments = sdk.method.split('.');
  const isStatic = segments[0] === 'Grantex';
  if (isStatic) segments = segments.slice(1);
  const receiverParts = [isStatic ? 'Grantex' : 'client'];
  for (let i = 0; i < segments.length - 1; i++) {
    if (segments[i] === 'withToken') receiverParts.push(`withToken(${viewTokenName(segments[i - 1] ?? 'client')})`);
    else receiverParts.push(segments[i]);
  }
  const methodName = segments.at(-1);
  const callee = `${receiverParts.join('.')}.${methodName}`;

  // What the call sends.
  const secrets = new Set(sdk.secrets ?? []);
  const wireToSdk = Object.fromEntries(Object.entries(sdk.rename ?? {}).map(([sdkName, wire]) => [wire, sdkName]));
  const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p) => deref(spec, p));
  const parameter = (where, name) => parameters.find((p) => p.in === where && p.name === name);
  const bodyMedia = operation.requestBody && Object.values(deref(spec, operation.requestBody).content ?? {})[0];
  const bodyExample = exampleOf(spec, bodyMedia);
  const body = bodyExample && typeof bodyExample === 'object' && !Array.isArray(bodyExample) ? bodyExample : {};

  const used = new Set();
  const args = (sdk.args ?? []).map((raw) => {
    const { name, where, field } = parseArg(raw);
    const key = where === 'bearer' ? 'bearer' : `${where}.${field}`;
    used.add(key);
    if (where === 'bearer' || secrets.has(key)) return new Variable(name);
    if (where === 'body') return body[field] ?? new Variable(name);
    const example = exampleOf(spec, parameter(where, field));
    return example === undefined ? new Variable(name) : example;
  });

  const paginate = sdk.paginate;
  const walks = paginate && ['page', 'scim', 'cursor'].includes(paginate.style);
  // The walker sets these itself.
  const pagingParams = !walks ? [] : paginate.style === 'page' ? ['page', 'pageSize'] : paginate.style === 'scim' ? ['startIndex', 'count'] : ['cursor'];

  const params = {};
  for (const [field, value] of Object.entries(body)) {
    if (used.has(`body.${field}`)) continue;
    const name = wireToSdk[field] ?? field;
    params[name] = secrets.has(`body.${field}`) && IDENTIFIER.test(name) ? new Variable(name) : value;
  }
  for (const p of parameters) {
    if (p.in !== 'query' || used.has(`query.${p.name}`) || pagingParams.includes(p.name)) continue;
    const example = exampleOf(spec, p);
    if (example === undefined) continue;
    const name = wireToSdk[p.name] ?? p.name;
    params[name] = secrets.has(`query.${p.name}`) && IDENTIFIER.test(name) ? new Variable(name) : example;
  }
  if (Object.keys(params).length) args.push(params);

  // What it answers, and how the sample holds it.
  const response = successResponse(spec, operation);
  const schemaName = response.schemaRef?.split('/').at(-1);
  const head = `${callee}(`;
  const renderCall = (prefix) => {
    const flat = `${prefix}${head}${args.map((a) => literal(a, '', Infinity)).join(', ')})`;
    if (flat.length <= WIDTH - 1) return flat;
    // Break inside the last argument (the params object) when the call does not fit.
    const leading = args.slice(0, -1).map((a) => literal(a, '', Infinity));
    const last = literal(args.at(-1), '', 0);
    return `${prefix}${head}${[...leading, last].join(', ')})`;
  };

  let code;
  if (walks) {
    const item = lowerFirst(singular(paginate.items && paginate.items !== 'data' ? paginate.items : segments.at(-2) ?? 'item'));
    code = `${renderCall(`for await (const ${item} of `)}) {\n  console.log(${item});\n}`;
  } else if (paginate?.items && /^[a-z]\w*$/.test(paginate.items)) {
    code = `${renderCall(`const { ${paginate.items} } = await `)};`;
  } else if (response.hasBody && schemaName) {
    code = `${renderCall(`const ${lowerFirst(schemaName)} = await `)};`;
  } else {
    code = `${renderCall('await ')};`;
  }

  // Every name the call uses is declared, so the sample compiles as it stands; credentials are
  // values the application holds (a redirect's code, a stored token), never literals.
  const held = [...new Set(collectVariables(args).map((v) => v.name))];
  const declarations = held.map((name) => `declare const ${name}: string; // held by your application\n`).join('');
  const setup = isStatic
    ? `import { Grantex } from '@grantex/sdk';\n\n${declarations}`
    : `import { Grantex } from '@grantex/sdk';\n\nconst client = new Grantex(); // reads GRANTEX_API_KEY\n${declarations}`;
  return `${setup}${code}\n`;
}

/**
 * Adds an `x-codeSamples` entry with the SDK call to every operation that has `x-grantex-sdk`
 * (in place), keeping samples the spec already has. Returns counts for the build's log.
 */
export function addCodeSamples(spec) {
  const counts = { withSample: 0, notInSdk: 0, unmapped: [] };
  for (const [kind, items] of [['path', spec.paths], ['webhook', spec.webhooks]]) {
    for (const [route, item] of Object.entries(items ?? {})) {
      for (const method of METHODS) {
        const operation = item?.[method];
        if (!operation || typeof operation !== 'object') continue;
        const source = sdkSample(spec, operation, item);
        if (source === undefined) {
          // Events of the `webhooks` section are received, not called: no SDK call to show.
          if (kind === 'path') counts.unmapped.push(operation.operationId ?? `${method.toUpperCase()} ?`);
          continue;
        }
        if (operation['x-grantex-sdk'] === false) counts.notInSdk++;
        else counts.withSample++;
        const existing = (operation['x-codeSamples'] ?? []).filter((s) => s.label !== SAMPLE_LABEL && s.label !== CURL_LABEL);
        const curl = kind === 'path' ? [{ lang: CURL_LANG, label: CURL_LABEL, source: curlSample(spec, route, method, operation, item) }] : [];
        operation['x-codeSamples'] = [{ lang: SAMPLE_LANG, label: SAMPLE_LABEL, source }, ...curl, ...existing];
      }
    }
  }
  return counts;
}
