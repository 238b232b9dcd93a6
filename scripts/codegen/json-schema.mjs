// A small JSON Schema (2020-12) validator for the one schema the generator checks the spec
// against: the `x-grantex-sdk` extension. It knows exactly the keywords that schema uses and
// refuses any other, so the schema can never use a keyword that would be silently ignored here.
// Errors name the path of the bad value (`x-grantex-sdk.paginate.style`).

/** Keywords that only describe; they constrain nothing. */
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'examples', '$defs']);
/** Keywords this validator checks. */
const ASSERTIONS = new Set([
  '$ref',
  'type',
  'const',
  'enum',
  'pattern',
  'minLength',
  'minimum',
  'maximum',
  'items',
  'minItems',
  'uniqueItems',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'minProperties',
  'oneOf',
]);

/** `a.b[2]` from a base path and a key or index. */
export function childPath(base, key) {
  if (typeof key === 'number') return `${base}[${key}]`;
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

function typeOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

function matchesType(value, type) {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** The edit distance of two short strings, for suggesting the key a typo meant. */
function distance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** The allowed name closest to `name`, when it is close enough to be a typo of it. */
export function closest(name, allowed) {
  let best;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

const show = (value) => (typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value));

/**
 * Validates `value` against `schema` (whose `$ref`s point into `root`). Returns a list of
 * `{ path, message }`, empty when the value is valid.
 */
export function validateJson(value, schema, path, root = schema) {
  const errors = [];
  check(value, schema, path, root, errors);
  return errors;
}

function check(value, schema, path, root, errors) {
  if (schema === true) return;
  if (schema === false) {
    errors.push({ path, message: 'is not allowed here' });
    return;
  }
  for (const keyword of Object.keys(schema)) {
    if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword)) throw new Error(`the x-grantex-sdk schema uses the keyword ${keyword}, which the generator's validator does not check`);
  }
  if (schema.$ref !== undefined) {
    if (!schema.$ref.startsWith('#/')) throw new Error(`only local $refs are supported in the x-grantex-sdk schema, got ${schema.$ref}`);
    const target = schema.$ref.slice(2).split('/').reduce((node, key) => node?.[key], root);
    if (target === undefined) throw new Error(`unresolved $ref ${schema.$ref} in the x-grantex-sdk schema`);
    check(value, target, path, root, errors);
  }
  if (schema.oneOf !== undefined) {
    const results = schema.oneOf.map((branch) => validateJson(value, branch, path, root));
    const passing = results.filter((r) => r.length === 0).length;
    if (passing === 0) {
      // Report the branch the value came closest to: the one whose errors lie deepest.
      const depth = (list) => Math.min(...list.map((e) => e.path.length));
      errors.push(...results.reduce((best, r) => (depth(r) > depth(best) ? r : best)));
    } else if (passing > 1) errors.push({ path, message: 'matches more than one of the allowed forms' });
  }
  if (schema.type !== undefined && !matchesType(value, schema.type)) {
    errors.push({ path, message: `must be ${/^[aeiou]/.test(schema.type) ? 'an' : 'a'} ${schema.type}, got ${show(value)}` });
    return;
  }
  if (schema.const !== undefined && value !== schema.const) errors.push({ path, message: `must be ${show(schema.const)}` });
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    errors.push({ path, message: `must be one of ${schema.enum.map(show).join(', ')}, got ${show(value)}` });
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push({ path, message: `must have at least ${schema.minLength} character(s)` });
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      errors.push({ path, message: `${show(value)} is not ${schema.description ? schema.description.replace(/\.$/, '') : `of the form ${schema.pattern}`}` });
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push({ path, message: `must be at least ${schema.minimum}, got ${value}` });
    if (schema.maximum !== undefined && value > schema.maximum) errors.push({ path, message: `must be at most ${schema.maximum}, got ${value}` });
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push({ path, message: `must have at least ${schema.minItems} item(s)` });
    if (schema.uniqueItems) {
      const seen = new Set();
      value.forEach((item, i) => {
        const key = JSON.stringify(item);
        if (seen.has(key)) errors.push({ path: childPath(path, i), message: `repeats ${show(item)}` });
        seen.add(key);
      });
    }
    if (schema.items !== undefined) value.forEach((item, i) => check(item, schema.items, childPath(path, i), root, errors));
  }
  if (typeOf(value) === 'object') {
    const properties = schema.properties ?? {};
    for (const name of schema.required ?? []) {
      if (!(name in value)) errors.push({ path, message: `needs the key ${name}` });
    }
    if (schema.minProperties !== undefined && Object.keys(value).length < schema.minProperties) {
      errors.push({ path, message: `must have at least ${schema.minProperties} key(s)` });
    }
    for (const [key, item] of Object.entries(value)) {
      const at = childPath(path, key);
      if (schema.propertyNames !== undefined) check(key, schema.propertyNames, at, root, errors);
      if (key in properties) check(item, properties[key], at, root, errors);
      else if (schema.additionalProperties === false) {
        const allowed = Object.keys(properties);
        const guess = closest(key, allowed);
        errors.push({ path: at, message: `unknown key${guess ? `; did you mean ${guess}?` : ''} (allowed: ${allowed.join(', ')})` });
      } else if (schema.additionalProperties !== undefined) check(item, schema.additionalProperties, at, root, errors);
    }
  }
}
