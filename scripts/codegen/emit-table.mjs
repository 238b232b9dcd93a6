// Emits generated/operations.gen.ts: the operation table the transport runs, grouped by namespace
// and keyed by operationId, in the compact form src/internal/operation-table.ts decodes (the
// format is described there). Pure: returns a `{ path, text }` record.
import { bespokeStepNames } from './bespoke.mjs';
import { HANDLE } from './emit-sdk.mjs';
import { HEADER, pascal, quote } from './text.mjs';

/** The validator module (generated/validators/<group>.gen.ts) that holds an operation's validator. */
export function groupOf(op) {
  const [first] = op.call.split('.');
  return op.call.includes('.') && first !== 'Grantex' ? first : 'client';
}

/** The name of an operation's response validator in hey-api's valibot.gen.ts. */
export function validatorName(op) {
  return `v${pascal(op.id)}Response`;
}

/**
 * The key of an operation's response validator in the `schemas` of its validator module: the
 * method name within the namespace (`get` for `agents.get`, `alerts.list` for
 * `anomalies.alerts.list`; the whole name in `client`). Unique there because method names are.
 */
export function validatorKey(op) {
  const group = groupOf(op);
  return group === 'client' ? op.call : op.call.slice(group.length + 1);
}

/**
 * The row the transport reads for `op` (an `OperationSpec`), with only the fields that apply:
 * what the encoded table must decode back to.
 */
export function operationSpec(op) {
  const spec = { id: op.id, call: op.call, method: op.httpMethod, path: op.template };
  if (op.args.length) spec.args = op.args.map((a) => (a.where === 'bearer' ? ['bearer'] : [a.where, a.field]));
  if (op.queryParams.length) spec.query = op.queryParams.map((p) => p.name);
  if (op.bodySchema) spec.body = true;
  // The server reads a required body without a default: send `{}` rather than nothing.
  if (op.bodySchema && op.bodyRequired) spec.requiredBody = true;
  if (op.auth !== 'apiKey') spec.auth = op.auth;
  if (op.hasBody) Object.assign(spec, { validator: validatorKey(op), group: groupOf(op) });
  if (op.stream) spec.stream = true;
  const ext = op.ext;
  if (ext.decode?.length) spec.decode = [...ext.decode];
  if (ext.secrets?.length) spec.secrets = [...ext.secrets];
  if (ext.results?.length) spec.results = [...ext.results];
  if (ext.retries !== undefined) spec.retries = Number(ext.retries);
  if (ext.rename) spec.rename = { ...ext.rename };
  if (ext.paginate) {
    const p = ext.paginate;
    spec.paginate = { style: p.style ?? 'single', ...(p.items && { items: p.items }), ...(p.cursor && { cursor: p.cursor }) };
  }
  if (ext.callers) spec.callers = [...ext.callers];
  if (ext.idempotency) spec.idempotency = ext.idempotency;
  if (ext.amounts?.length) spec.amounts = [...ext.amounts];
  if (ext.bespoke) spec.bespoke = ext.bespoke;
  return spec;
}

/** A JSON-like value as TypeScript source: single quotes, bare keys where they are identifiers. */
function literal(value) {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value && typeof value === 'object') {
    const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k));
    return `{ ${Object.entries(value).map(([k, v]) => `${key(k)}: ${literal(v)}`).join(', ')} }`;
  }
  return typeof value === 'string' ? quote(value) : String(value);
}

/** What the decoder derives for a row of `group`; a field that differs is written out instead. */
function derived(spec, group) {
  const pathArgs = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => ['path', m[1]]);
  return {
    call: (name) => (group === 'client' ? name : `${group}.${name}`),
    args: pathArgs.length ? pathArgs : undefined,
    validator: (name) => name,
  };
}

/** The encoded row of one operation: `'<name> <METHOD> <path>[?query&…] <flags>'`, plus the rarer fields. */
export function encodeRow(spec, group) {
  const rest = { ...spec };
  const expect = derived(spec, group);
  for (const key of ['id', 'call', 'method', 'path', 'query', 'body', 'requiredBody', 'auth', 'validator', 'group', 'stream']) delete rest[key];
  const name = group === 'client' ? spec.call : spec.call.slice(group.length + 1);
  // The string form splits on spaces and `?`, `&`: a value that holds one is written out in full.
  const plain = (text) => !/[\s?&]/.test(text);
  const fits = expect.call(name) === spec.call && plain(name) && plain(spec.path) && (spec.query ?? []).every(plain);
  if (!fits) Object.assign(rest, { call: spec.call, path: spec.path, ...(spec.query && { query: spec.query }) });
  if (JSON.stringify(spec.args) === JSON.stringify(fits ? expect.args : undefined)) delete rest.args;
  // validate.mjs makes every path parameter a positional argument, so this cannot be written.
  else if (!spec.args) throw new Error(`${spec.id}: a row whose path parameters are not arguments cannot be encoded`);
  let flags = '';
  if (spec.validator) {
    flags += 'v';
    if (!fits || spec.validator !== expect.validator(name)) rest.validator = spec.validator;
    if (spec.group !== group) rest.group = spec.group;
  }
  if (spec.body) flags += spec.requiredBody ? 'B' : 'b';
  else if (spec.requiredBody) rest.requiredBody = true;
  if (spec.auth === 'none') flags += 'n';
  else if (spec.auth === 'bearer') flags += 't';
  if (spec.stream) flags += 's';
  const target = fits ? `${spec.path}${spec.query ? `?${spec.query.join('&')}` : ''}` : '/';
  const text = [fits ? name : '-', spec.method, target, flags].filter(Boolean).join(' ');
  return Object.keys(rest).length ? [text, rest] : text;
}

/** generated/operations.gen.ts. */
export function emitTable(model) {
  const groups = new Map();
  for (const op of model.operations) {
    const group = groupOf(op);
    if (!groups.has(group)) groups.set(group, []);
    const row = encodeRow(operationSpec(op), group);
    groups.get(group).push(`    ${op.id}: ${typeof row === 'string' ? quote(row) : `[${quote(row[0])}, ${literal(row[1])}]`},`);
  }
  const body = [...groups].map(([group, rows]) => `  ${/^[A-Za-z_$][\w$]*$/.test(group) ? group : quote(group)}: {\n${rows.join('\n')}\n  },`).join('\n');
  return {
    path: 'operations.gen.ts',
    text:
      `${HEADER}import { decodeOperations } from '../${HANDLE}';\n\n` +
      `/**\n` +
      ` * Every operation the SDK calls, keyed by operationId: what the transport needs to send it and read the answer.\n` +
      ` * Written compactly, one line per operation and grouped by namespace (src/internal/operation-table.ts decodes it):\n` +
      ` * \`'<method name> <HTTP method> <path>[?<query>&…] <flags>'\`, and an object with the rarer fields when there are any.\n` +
      ` * Path parameters are the positional arguments, in order. Flags: \`v\` the response is validated (by\n` +
      ` * \`schemas[<method name>]\` of generated/validators/<namespace>.gen.ts), \`b\` a JSON body, \`B\` a required JSON body,\n` +
      ` * \`n\` public (no credential), \`t\` authenticated with another bearer token, \`s\` an event stream.\n` +
      ` * Every call by namespace, with its HTTP line: generated/operations.gen.md.\n` +
      ` */\n` +
      `export const operations = decodeOperations({\n${body}\n});\n\n` +
      `/** The hand-written steps operations name with \`bespoke\` (registry: scripts/codegen/bespoke.mjs); src/internal/bespoke.ts implements exactly these. */\n` +
      `export type BespokeStepName = ${bespokeStepNames().map(quote).join(' | ')};\n`,
  };
}
