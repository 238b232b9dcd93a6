// Reading an OpenAPI document: following `$ref`s, walking its operations and picking examples.
// Every script that reads openapi.yaml (the generator, the docs' code samples, the test server's
// example table, the contract suite) goes through these functions, so all of them follow a
// reference and choose an example the same way.

/** The HTTP methods an OpenAPI path item can hold, in the order its operations are listed. */
export const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'options', 'head', 'trace'];

/**
 * Follows local `$ref`s (`#/components/...`) until it reaches an object that is not a reference.
 * A non-local, unresolved or circular reference throws: the spec linter refuses those, so meeting
 * one here is a bug worth stopping for.
 */
export function deref(spec, node) {
  let current = node;
  const seen = new Set();
  while (current && typeof current === 'object' && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
    current = ref
      .slice(2)
      .split('/')
      .reduce((value, key) => value?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
    if (current === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return current;
}

/** The component name a `$ref` points at (`#/components/schemas/Agent` → `Agent`), if it is one. */
export function refName(node) {
  return typeof node?.$ref === 'string' ? node.$ref.split('/').pop() : undefined;
}

/**
 * Every operation of the document in path order, with what the readers need around it: its path
 * template and method, the path item (for path-level parameters) and its resolved parameters.
 */
export function operationsOf(spec) {
  const found = [];
  for (const [template, itemOrRef] of Object.entries(spec.paths ?? {})) {
    const item = deref(spec, itemOrRef) ?? {};
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation || typeof operation !== 'object') continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => deref(spec, p));
      found.push({ template, method, item, operation, parameters });
    }
  }
  return found;
}

/** `getAgent (GET /v1/agents/{id})`: how messages name an operation. */
export function operationLabel({ operation, method, template }) {
  return `${operation?.operationId ?? '(no operationId)'} (${method.toUpperCase()} ${template})`;
}

/** The JSON request body's media object of an operation, if it takes one. */
export function jsonBodyOf(spec, operation) {
  return deref(spec, operation.requestBody)?.content?.['application/json'];
}

/**
 * The example of a parameter or a media type: its `example`, else the first of its `examples` that
 * has a value, else its schema's `example`, first `examples` entry or first `enum` value.
 */
export function exampleOf(spec, holder) {
  if (!holder) return undefined;
  if (holder.example !== undefined) return holder.example;
  for (const example of Object.values(holder.examples ?? {})) {
    const value = deref(spec, example)?.value;
    if (value !== undefined) return value;
  }
  const schema = deref(spec, holder.schema);
  if (schema?.example !== undefined) return schema.example;
  if (Array.isArray(schema?.examples) && schema.examples.length > 0) return schema.examples[0];
  if (Array.isArray(schema?.enum) && schema.enum.length > 0) return schema.enum[0];
  return undefined;
}

/**
 * Required property names of a (possibly composed) object schema. For a `oneOf`/`anyOf`, the
 * fields every branch requires.
 */
export function requiredFields(spec, schema) {
  const s = deref(spec, schema);
  if (!s) return [];
  const own = Array.isArray(s.required) ? s.required : [];
  const fromAll = (s.allOf ?? []).flatMap((part) => requiredFields(spec, part));
  const branches = s.oneOf ?? s.anyOf;
  let common = [];
  if (Array.isArray(branches) && branches.length > 0) {
    const lists = branches.map((branch) => requiredFields(spec, branch));
    common = lists[0].filter((name) => lists.every((list) => list.includes(name)));
  }
  return [...new Set([...own, ...fromAll, ...common])];
}

/**
 * Property names an object schema can hold, through `allOf`, `oneOf` and `anyOf`. `open` is true
 * when the schema also takes names it does not list (`additionalProperties`, or no `properties`).
 */
export function propertyNames(spec, schema, seen = new Set()) {
  const s = deref(spec, schema);
  if (!s || typeof s !== 'object' || seen.has(s)) return { names: new Set(), open: false };
  seen.add(s);
  const names = new Set(Object.keys(s.properties ?? {}));
  const parts = [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])];
  let open = Boolean(s.additionalProperties) || (parts.length === 0 && !s.properties);
  for (const part of parts) {
    const inner = propertyNames(spec, part, seen);
    for (const name of inner.names) names.add(name);
    open ||= inner.open;
  }
  return { names, open };
}

/** The schema at a dotted path below `schema`, walking references, compositions and arrays. */
export function schemaAt(spec, schema, segments) {
  const s = deref(spec, schema);
  if (!s || typeof s !== 'object') return undefined;
  if (segments.length === 0) return s;
  for (const branch of [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])]) {
    const found = schemaAt(spec, branch, segments);
    if (found) return found;
  }
  if (s.items) return schemaAt(spec, s.items, segments);
  const [head, ...rest] = segments;
  if (s.properties?.[head]) return schemaAt(spec, s.properties[head], rest);
  return undefined;
}

/** The named schemas `$ref`-reachable from `roots`, through every keyword. */
export function reachableSchemas(spec, roots) {
  const found = new Set();
  const walk = (node) => {
    if (!node || typeof node !== 'object') return;
    const name = node.$ref?.startsWith?.('#/components/schemas/') ? refName(node) : undefined;
    if (name) {
      if (found.has(name)) return;
      found.add(name);
      walk(spec.components?.schemas?.[name]);
    }
    for (const value of Object.values(node)) walk(value);
  };
  for (const root of roots) walk(root);
  return found;
}

/**
 * The named schemas a dotted path (arrays walked, as `decode` paths are) passes through from
 * `schema`, each with the rest of the path from it: `AnomalyList` + `anomalies.metadata` gives
 * `[AnomalyList, 'anomalies.metadata']` and `[Anomaly, 'metadata']`.
 */
export function schemasAlong(spec, schema, segments) {
  const out = [];
  const visit = (node, rest) => {
    if (rest.length === 0) return;
    const name = refName(node);
    if (name) out.push([name, rest.join('.')]);
    const s = deref(spec, node);
    if (!s || typeof s !== 'object') return;
    for (const branch of [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])]) visit(branch, rest);
    if (s.items) return visit(s.items, rest);
    if (s.properties?.[rest[0]]) visit(s.properties[rest[0]], rest.slice(1));
  };
  visit(schema, segments);
  return out;
}

/**
 * Parses one `x-grantex-sdk.args` entry: `name=source`, where a bare `name` means `path.<name>`
 * and `bearer` has no field.
 */
export function parseArg(entry) {
  const text = String(entry);
  const cut = text.indexOf('=');
  const name = cut < 0 ? text : text.slice(0, cut);
  const source = cut < 0 ? `path.${text}` : text.slice(cut + 1);
  const dot = source.indexOf('.');
  const where = dot < 0 ? source : source.slice(0, dot);
  const field = dot < 0 ? undefined : source.slice(dot + 1);
  return { name, where, field };
}
