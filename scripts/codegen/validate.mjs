// Checks every operation's `x-grantex-sdk` block before anything is emitted: first against the
// extension's JSON Schema (x-grantex-sdk.schema.json: known keys, value shapes), then against the
// operation itself (every argument, secret and renamed field names a real parameter or body field,
// decoded and paginated paths exist in the answer, bespoke steps exist, method names are unique).
// Each problem names the operation (operationId, method and path) and the path of the bad value.
import { BESPOKE } from './bespoke.mjs';
import { childPath, closest, validateJson } from './json-schema.mjs';
import { pageTypeName, pascal } from './text.mjs';
import { deref, jsonBodyOf, operationLabel, operationsOf, parseArg, propertyNames, reachableSchemas, schemaAt, schemasAlong } from './spec.mjs';

const EXT = 'x-grantex-sdk';

/** How an operation authenticates: 'none', 'apiKey' or 'bearer' (another token). */
function authOf(spec, operation) {
  const schemes = (operation.security ?? spec.security ?? []).flatMap((entry) => Object.keys(entry));
  return schemes.length === 0 ? 'none' : schemes.includes('ApiKeyAuth') ? 'apiKey' : 'bearer';
}

/** The names an input can refer to, per source, for one operation. */
function inputsOf(spec, entry) {
  const { operation, parameters } = entry;
  const body = jsonBodyOf(spec, operation);
  const fields = body ? propertyNames(spec, body.schema) : undefined;
  return {
    path: new Set(parameters.filter((p) => p.in === 'path').map((p) => p.name)),
    query: new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name)),
    body: fields?.names ?? new Set(),
    hasBody: Boolean(body),
  };
}

/** Why `where.field` names nothing this operation takes, or undefined when it does. */
function missingInput(inputs, where, field) {
  if (where === 'body') {
    if (!inputs.hasBody) return 'the operation takes no JSON body';
    if (!inputs.body.has(field)) return unknownName(`the request body has no field ${field}`, field, inputs.body);
    return undefined;
  }
  const names = inputs[where];
  if (!names.has(field)) return unknownName(`the operation has no ${where} parameter ${field}`, field, names);
  return undefined;
}

function unknownName(message, name, allowed) {
  const guess = closest(name, allowed);
  const known = [...allowed];
  return `${message}${guess ? `; did you mean ${guess}?` : ''}${known.length ? ` (it has: ${known.join(', ')})` : ''}`;
}

/** The checks of one schema-valid block against its operation. */
function checkAgainstOperation(spec, entry, ext, report) {
  const { operation, parameters } = entry;
  const inputs = inputsOf(spec, entry);
  const auth = authOf(spec, operation);

  const args = (ext.args ?? []).map(parseArg);
  const argNames = new Set();
  args.forEach((arg, i) => {
    const at = childPath(`${EXT}.args`, i);
    if (argNames.has(arg.name)) report(at, `repeats the argument name ${arg.name}`);
    argNames.add(arg.name);
    if (arg.where === 'bearer') {
      if (auth !== 'bearer') report(at, `a bearer argument needs an operation authenticated with a token other than the API key (its security is ${auth})`);
      return;
    }
    const why = missingInput(inputs, arg.where, arg.field);
    if (why) report(at, why);
  });
  for (const p of parameters.filter((p) => p.in === 'path')) {
    if (!args.some((a) => a.where === 'path' && a.field === p.name)) report(`${EXT}.args`, `the path parameter ${p.name} must be a positional argument`);
  }

  (ext.secrets ?? []).forEach((secret, i) => {
    const at = childPath(`${EXT}.secrets`, i);
    if (secret === 'bearer') {
      if (!args.some((a) => a.where === 'bearer')) report(at, 'bearer is a secret only when an argument is sent as the bearer');
      return;
    }
    const dot = secret.indexOf('.');
    const why = missingInput(inputs, secret.slice(0, dot), secret.slice(dot + 1));
    if (why) report(at, why);
  });

  for (const [sdkName, wire] of Object.entries(ext.rename ?? {})) {
    const at = childPath(`${EXT}.rename`, sdkName);
    if (!inputs.body.has(wire) && !inputs.query.has(wire)) report(at, unknownName(`the operation has no body field or query parameter ${wire}`, wire, new Set([...inputs.body, ...inputs.query])));
    if (sdkName !== wire && (inputs.body.has(sdkName) || inputs.query.has(sdkName))) report(at, `the SDK name ${sdkName} is already a wire name of this operation`);
  }

  const successStatus = Object.keys(operation.responses ?? {}).find((s) => s.startsWith('2'));
  const success = deref(spec, operation.responses?.[successStatus]);
  const answer = success?.content?.['application/json']?.schema;

  (ext.decode ?? []).forEach((field, i) => {
    const at = childPath(`${EXT}.decode`, i);
    const found = answer ? schemaAt(spec, answer, field.split('.')) : undefined;
    const encoded = found?.contentMediaType || [...(found?.oneOf ?? []), ...(found?.anyOf ?? [])].some((b) => deref(spec, b)?.contentMediaType);
    if (!found) report(at, `the JSON answer has no field ${field}`);
    else if (!encoded) report(at, `${field} is not a JSON-encoded string field of the answer (it needs contentMediaType: application/json)`);
  });

  if (ext.paginate) {
    const at = `${EXT}.paginate`;
    if (!answer) report(at, 'a paginated operation needs a JSON answer');
    const style = ext.paginate.style ?? 'single';
    if (answer && ext.paginate.items !== undefined && !schemaAt(spec, answer, [ext.paginate.items])) {
      report(`${at}.items`, unknownName(`the answer has no field ${ext.paginate.items}`, ext.paginate.items, propertyNames(spec, answer).names));
    }
    if (style === 'cursor') {
      if (ext.paginate.cursor === undefined) report(at, 'the cursor style needs `cursor`, the dotted path of the next cursor in the answer');
      else if (answer && !schemaAt(spec, answer, ext.paginate.cursor.split('.'))) report(`${at}.cursor`, `the answer has no field ${ext.paginate.cursor}`);
      if (!inputs.query.has('cursor')) report(at, 'the cursor style sends the cursor back as the query parameter cursor, which the operation lacks');
    } else if (ext.paginate.cursor !== undefined) report(`${at}.cursor`, `only the cursor style has a cursor (the style is ${style})`);
    const needs = { page: ['page', 'pageSize'], scim: ['startIndex', 'count'] }[style] ?? [];
    for (const name of needs) if (!inputs.query.has(name)) report(`${at}.style`, `the ${style} style sends the query parameter ${name}, which the operation lacks`);
    // An awaited page gains hasNextPage() and getNextPage(); a field of either name would be hidden.
    for (const name of ['hasNextPage', 'getNextPage']) {
      if (answer && propertyNames(spec, answer).names.has(name)) report(at, `the answer has a field ${name}, which the page's own ${name}() would hide`);
    }
  }

  (ext.results ?? []).forEach((status, i) => {
    if (!(String(status) in (operation.responses ?? {}))) report(childPath(`${EXT}.results`, i), `the operation documents no ${status} response`);
  });

  checkCommerce(spec, entry, ext, report);

  if (ext.bespoke !== undefined && !BESPOKE[ext.bespoke]) {
    report(`${EXT}.bespoke`, unknownName(`no bespoke step is named ${ext.bespoke}`, ext.bespoke, Object.keys(BESPOKE)));
  }
}

/** The security scheme a kind of caller authenticates with. */
const CALLER_SCHEME = { operator: 'ApiKeyAuth', admin: 'ApiKeyAuth', merchant: 'CommerceMerchantKey', agent: 'CommerceAgentCredential' };

/**
 * The commerce keys against the operation: each caller kind's scheme is in its security (and
 * `anyone` only where a request without credential is allowed), a required idempotency key is a
 * header parameter of the operation, and each amount path is an integer field of the body.
 */
function checkCommerce(spec, entry, ext, report) {
  const { operation, parameters } = entry;
  const security = operation.security ?? spec.security ?? [];
  const schemes = new Set(security.flatMap((requirement) => Object.keys(requirement)));
  const open = security.length === 0 || security.some((requirement) => Object.keys(requirement).length === 0);
  (ext.callers ?? []).forEach((caller, i) => {
    const at = childPath(`${EXT}.callers`, i);
    if (caller === 'anyone') {
      if (!open) report(at, 'anyone needs an operation that accepts a request without credential (security [] or an empty requirement)');
    } else if (!schemes.has(CALLER_SCHEME[caller])) {
      report(at, `${caller} callers authenticate with ${CALLER_SCHEME[caller]}, which is not in the operation's security`);
    }
  });
  if (ext.callers === undefined && (schemes.has('CommerceMerchantKey') || schemes.has('CommerceAgentCredential'))) {
    report(EXT, 'an operation secured by a commerce merchant key or agent credential needs `callers`');
  }
  if (ext.idempotency === 'required') {
    const header = parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
    if (!header) report(`${EXT}.idempotency`, 'the operation has no Idempotency-Key header parameter');
    else if (!header.required) report(`${EXT}.idempotency`, 'the Idempotency-Key header parameter must be required');
  }
  const body = jsonBodyOf(spec, operation);
  (ext.amounts ?? []).forEach((path, i) => {
    const at = childPath(`${EXT}.amounts`, i);
    const found = body ? schemaAt(spec, body.schema, path.split('.').slice(1)) : undefined;
    const type = found?.type;
    if (!body) report(at, 'the operation takes no JSON body');
    else if (!found) report(at, `the request body has no field ${path.slice(5)}`);
    else if (type !== 'integer' && !(Array.isArray(type) && type.includes('integer'))) report(at, `${path.slice(5)} is not an integer field of the request body`);
  });
}

/** Checks that no two operations share a method and that no method is also a namespace. */
function checkMethodNames(blocks, problems) {
  const byCall = new Map();
  for (const block of blocks) {
    const call = block.ext.method;
    if (byCall.has(call)) {
      problems.push({ operation: block.label, path: `${EXT}.method`, message: `the method ${call} is already used by ${byCall.get(call).label}` });
    } else byCall.set(call, block);
  }
  for (const block of blocks) {
    const segments = block.ext.method.split('.');
    for (let i = 1; i < segments.length; i++) {
      const prefix = segments.slice(0, i).join('.');
      if (byCall.has(prefix)) {
        problems.push({ operation: block.label, path: `${EXT}.method`, message: `${prefix} is both a method (${byCall.get(prefix).label}) and a namespace of ${block.ext.method}` });
      }
    }
    if (segments.at(-1) === 'withToken') problems.push({ operation: block.label, path: `${EXT}.method`, message: 'withToken is reserved for credential views and cannot be a method name' });
    if (['asMerchant', 'asAgent'].includes(segments.at(-1))) problems.push({ operation: block.label, path: `${EXT}.method`, message: `${segments.at(-1)} is reserved for commerce caller views and cannot be a method name` });
  }
  // Each namespace becomes a class named after its path (`scim.withToken.users` → ScimUsers): two
  // paths that spell the same name would emit two classes with one name.
  const classes = new Map();
  for (const block of blocks) {
    const segments = block.ext.method.split('.');
    if (segments[0] === 'Grantex') continue;
    for (let i = 1; i < segments.length; i++) {
      const namespace = segments.slice(0, i).join('.');
      const parts = segments.slice(0, i).map((s) => (s === 'withToken' ? 'View' : s));
      const name = pascal(parts.filter((part, index) => part !== 'View' || index === parts.length - 1).join('.'));
      const seen = classes.get(name);
      if (seen && seen.namespace !== namespace) {
        problems.push({ operation: block.label, path: `${EXT}.method`, message: `the namespace ${namespace} would be the class ${name}, like the namespace ${seen.namespace} of ${seen.label}` });
      } else if (!seen) classes.set(name, { namespace, label: block.label });
    }
  }
}

/**
 * Each list gets a page type named after its method (`pageTypeName`), exported from the main
 * entry beside the namespace classes: two lists that spell one name, or a page name that is also a
 * class, would export one name twice. (Params types end in `Params`, so they cannot clash.)
 */
function checkPageNames(blocks, problems) {
  const taken = new Map();
  for (const block of blocks) {
    const segments = block.ext.method.split('.').filter((s) => s !== 'Grantex');
    for (let i = 1; i < segments.length; i++) {
      const parts = segments.slice(0, i).map((s) => (s === 'withToken' ? 'View' : s));
      taken.set(pascal(parts.filter((part, index) => part !== 'View' || index === parts.length - 1).join('.')), `a namespace class of ${block.label}`);
    }
  }
  for (const block of blocks) {
    if (!block.ext.paginate) continue;
    const name = pageTypeName(block.ext.method);
    if (taken.has(name)) problems.push({ operation: block.label, path: `${EXT}.method`, message: `the list's page type would be ${name}, already ${taken.get(name)}` });
    else taken.set(name, `the page type of ${block.label}`);
  }
}

/** The JSON schema of an operation's (first) success answer. */
function answerOf(spec, operation) {
  const status = Object.keys(operation.responses ?? {}).find((s) => s.startsWith('2'));
  return deref(spec, operation.responses?.[status])?.content?.['application/json']?.schema;
}

/**
 * `Api.<Name>` is a schema as the methods return it, decoded fields decoded, so it has one shape
 * only if every answer holding a schema with `decode`d fields decodes them too.
 */
function checkDecodedEverywhere(spec, blocks, problems) {
  const decoders = new Map();
  for (const block of blocks) {
    for (const field of block.ext.decode ?? []) {
      for (const [name, rest] of schemasAlong(spec, answerOf(spec, block.operation), field.split('.'))) {
        if (!decoders.has(name)) decoders.set(name, { fields: new Set(), by: new Set() });
        decoders.get(name).fields.add(rest);
        decoders.get(name).by.add(block.operation.operationId);
      }
    }
  }
  for (const block of blocks) {
    for (const name of reachableSchemas(spec, [answerOf(spec, block.operation)])) {
      const decoded = decoders.get(name);
      if (!decoded || decoded.by.has(block.operation.operationId)) continue;
      problems.push({
        operation: block.label,
        path: `${EXT}.decode`,
        message: `the answer holds ${name}, whose ${[...decoded.fields].join(', ')} ${[...decoded.by].join(', ')} return decoded; decode it here too, so that Api.${name} describes every answer`,
      });
    }
  }
}

/**
 * Every problem of the spec's `x-grantex-sdk` blocks, as `{ operation, path, message }`; empty when
 * the spec can be generated. `schema` is the parsed x-grantex-sdk.schema.json.
 */
export function validateSpec(spec, schema) {
  const problems = [];
  const blocks = [];
  const ids = new Map();
  for (const entry of operationsOf(spec)) {
    const { operation } = entry;
    const label = operationLabel(entry);
    const report = (path, message) => problems.push({ operation: label, path, message });
    if (typeof operation.operationId !== 'string' || operation.operationId === '') {
      report('operationId', 'every operation needs an operationId (it keys the operation table)');
      continue;
    }
    if (ids.has(operation.operationId)) report('operationId', `is also the operationId of ${ids.get(operation.operationId)}`);
    ids.set(operation.operationId, label);
    const ext = operation[EXT];
    if (ext === undefined) {
      report(EXT, 'is missing: give the operation a method, or `x-grantex-sdk: false` with an x-grantex-sdk-reason');
      continue;
    }
    const shapeErrors = validateJson(ext, schema, EXT);
    for (const error of shapeErrors) report(error.path, error.message);
    if (shapeErrors.length > 0) continue;
    if (ext === false) {
      if (typeof operation['x-grantex-sdk-reason'] !== 'string' || operation['x-grantex-sdk-reason'].trim() === '') {
        report('x-grantex-sdk-reason', 'an operation left out of the SDK needs a reason');
      }
      continue;
    }
    checkAgainstOperation(spec, entry, ext, report);
    blocks.push({ label, ext, operation });
  }
  checkMethodNames(blocks, problems);
  checkPageNames(blocks, problems);
  if (problems.length === 0) checkDecodedEverywhere(spec, blocks, problems);
  return problems;
}

/** One line per problem: `listAgents (GET /v1/agents): x-grantex-sdk.paginte: unknown key; ...`. */
export function formatProblem(problem) {
  return problem.operation ? `${problem.operation}: ${problem.path}: ${problem.message}` : problem.message;
}
