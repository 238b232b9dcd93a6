// Which public name (`Api.<Name>`, generated/api-types.gen.ts) a returned value has. The `Api`
// namespace and the method signatures both derive a returned schema's type from here, so a method
// can say `ApiPromise<Api.Grant>` (what an editor's hover and the reference show) only when that
// name is exactly the type it would otherwise spell out. Pure.
import { deref, refName, schemaAt, schemasAlong } from './spec.mjs';

/** The TypeScript type of a JSON-encoded field once decoded, from its `contentSchema`. */
function decodedType(spec, schema, types) {
  const content = schema?.contentSchema ? deref(spec, schema.contentSchema) : undefined;
  if (content?.type === 'array') {
    const item = refName(schema.contentSchema.items ?? content.items);
    if (item) {
      types.add(item);
      return `T.${item}[]`;
    }
    return 'unknown[]';
  }
  return 'Record<string, unknown>';
}

/** The type of the decoded field at `field` (a `decode` path) of an operation's answer. */
export function decodedFieldType(spec, op, field, types) {
  const found = schemaAt(spec, op.successSchema, field.split('.'));
  // The field may be only sometimes encoded (a oneOf of an object and an encoded string).
  const schema = found?.contentMediaType ? found : [...(found?.oneOf ?? []), ...(found?.anyOf ?? [])].map((b) => deref(spec, b)).find((b) => b?.contentMediaType);
  return decodedType(spec, schema, types);
}

/**
 * For each named schema an answer holds a `decode`d field in, the fields (dotted paths from that
 * schema) the SDK returns decoded and their types: `AnomalyList` gets `anomalies.metadata`,
 * `Anomaly` gets `metadata`. validate.mjs has made sure every answer holding one decodes it.
 * @returns {Map<string, Map<string, string>>}
 */
export function decodedBySchema(model, types = new Set()) {
  const bySchema = new Map();
  for (const op of model.operations) {
    for (const field of op.ext.decode ?? []) {
      const type = decodedFieldType(model.spec, op, field, types);
      for (const [name, rest] of schemasAlong(model.spec, op.successSchema, field.split('.'))) {
        if (!bySchema.has(name)) bySchema.set(name, new Map());
        bySchema.get(name).set(rest, type);
      }
    }
  }
  return bySchema;
}

/**
 * The `Api` name of the value at `node` (a schema or `$ref` inside an operation's answer) when the
 * method returns it with exactly the decoded fields `decodes` (path from `node` → decoded type),
 * or undefined: an inline schema has no name, and a named schema whose `Api` type decodes other
 * fields than this answer does is not the type this answer has.
 */
function nameIfSame(node, decodes, decoded) {
  const name = refName(node);
  if (!name) return undefined;
  const own = decoded.get(name) ?? new Map();
  if (own.size !== decodes.size) return undefined;
  for (const [field, type] of decodes) if (own.get(field) !== type) return undefined;
  return name;
}

/**
 * The `Api` name of an operation's whole result (`Grant` for `grants.get`), or undefined when the
 * result has none: no named success schema, or extra answers (`results`) joined to it.
 */
export function publicResultName(spec, op, decoded) {
  if (!op.hasBody || op.bespoke?.returns || (op.ext.results ?? []).length > 0) return undefined;
  const decodes = new Map((op.ext.decode ?? []).map((field) => [field, decodedFieldType(spec, op, field, new Set())]));
  return nameIfSame(op.successSchema, decodes, decoded);
}

/** The `Api` name of one item of a list (`Agent` for `agents.list`), or undefined when it has none. */
export function publicItemName(spec, op, decoded) {
  const paginate = op.ext.paginate;
  if (!paginate || !op.hasBody || op.bespoke?.returns || (op.ext.results ?? []).length > 0) return undefined;
  const items = paginate.style === 'scim' ? 'Resources' : paginate.items;
  const list = items ? schemaAt(spec, op.successSchema, [items]) : deref(spec, op.successSchema);
  if (!list?.items) return undefined;
  // `decode` paths walk arrays, so a path below the items field is a path from one item.
  const prefix = items ? `${items}.` : '';
  const decodes = new Map(
    (op.ext.decode ?? [])
      .filter((field) => field.startsWith(prefix))
      .map((field) => [field.slice(prefix.length), decodedFieldType(spec, op, field, new Set())]),
  );
  return nameIfSame(list.items, decodes, decoded);
}
