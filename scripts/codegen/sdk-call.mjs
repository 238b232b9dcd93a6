// Renders the SDK call that performs an operation, from its `x-grantex-sdk` mapping and the spec's
// own examples. The one renderer behind both the `@example` of every generated method and the
// TypeScript sample of the API reference, so the two always show the same call:
//
//   x-grantex-sdk: { method: grants.verify, args: [token=body.token], secrets: [body.token] }
//   → const verifiedGrant = await client.grants.verify(token);
//
// Rules: a leading `Grantex.` is a static method; a `withToken` segment is a credential view
// (`client.scim.withToken(scimToken).users.list()`); positional arguments come first, then one
// params object with the remaining body fields and query parameters, under their SDK names. Inputs
// that are credentials appear as variables, never as literal values (a token is a name the reader
// holds, not 800 characters of JWT). Paginated lists that walk pages and event streams are shown
// as a `for await` loop. Calls longer than the reference's sample panel break inside the params.
import { BESPOKE } from './bespoke.mjs';
import { deref, exampleOf, parseArg } from './spec.mjs';

// The reference's sample panel shows about 60 columns before it scrolls.
export const WIDTH = 60;

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

/** The variables anywhere in a call's arguments, in order. */
function collectVariables(value) {
  if (value instanceof Variable) return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(collectVariables);
  return [];
}

/**
 * The TypeScript statement(s) that perform `operation` with the SDK (no import or client setup),
 * for an operation whose `x-grantex-sdk` is a mapping, and the names of the values the reader
 * holds (credentials) that the call uses. `pathItem` supplies path-level parameters.
 */
export function renderSdkCall(spec, operation, pathItem = {}, { into } = {}) {
  const sdk = operation['x-grantex-sdk'];
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
  // A commerce method no operator may call is reached through the caller view that may call it.
  const callers = sdk.callers;
  if (callers && !callers.some((caller) => caller === 'operator' || caller === 'admin' || caller === 'anyone')) {
    receiverParts.push(callers.includes('agent') ? 'asAgent(agentCredential)' : 'asMerchant(merchantKey)');
  }
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
    // Break inside the last argument (the params object) when the call does not fit; a call
    // without one stays on one line.
    const last = args.at(-1);
    if (flat.length <= WIDTH - 1 || last === null || typeof last !== 'object' || last instanceof Variable) return flat;
    const leading = args.slice(0, -1).map((a) => literal(a, '', Infinity));
    return `${prefix}${head}${[...leading, literal(last, '', 0)].join(', ')})`;
  };

  let code;
  // `into`: the declaration the awaited answer goes into (`const page: AgentsPage`), instead of
  // the sample's own way of holding it.
  if (into) {
    code = `${renderCall(`${into} = await `)};`;
  } else if (BESPOKE[sdk.bespoke]?.kind === 'stream') {
    code = `${renderCall('for await (const event of ')}) {\n  console.log(event.type);\n}`;
  } else if (walks) {
    const item = lowerFirst(singular(paginate.items && paginate.items !== 'data' ? paginate.items : segments.at(-2) ?? 'item'));
    code = `${renderCall(`for await (const ${item} of `)}) {\n  console.log(${item});\n}`;
  } else if (paginate?.items && /^[a-z]\w*$/.test(paginate.items)) {
    code = `${renderCall(`const { ${paginate.items} } = await `)};`;
  } else if (response.hasBody && schemaName) {
    code = `${renderCall(`const ${lowerFirst(schemaName)} = await `)};`;
  } else {
    code = `${renderCall('await ')};`;
  }

  const held = [...new Set(collectVariables(args).map((v) => v.name))];
  return { code, held };
}
