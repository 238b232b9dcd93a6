// The generator's view of the spec once its `x-grantex-sdk` blocks have passed validation: one
// record per SDK operation, the namespace tree the methods hang on, the operations left out on
// purpose and the error codes the API documents. Pure: a spec in, data out.
import { BESPOKE } from './bespoke.mjs';
import { deref, jsonBodyOf, operationsOf, parseArg } from './spec.mjs';

/** How an operation authenticates, as the operation table says it. */
function authOf(spec, operation) {
  const security = operation.security ?? spec.security ?? [];
  const schemes = security.flatMap((entry) => Object.keys(entry));
  return schemes.length === 0 ? 'none' : schemes.includes('ApiKeyAuth') ? 'apiKey' : 'bearer';
}

function collectErrorCodes(spec, response, into) {
  const r = deref(spec, response);
  for (const media of Object.values(r?.content ?? {})) {
    const values = [media.example, ...Object.values(media.examples ?? {}).map((e) => deref(spec, e)?.value)];
    for (const value of values) if (typeof value?.code === 'string') into.add(value.code);
    const schema = deref(spec, media.schema);
    const codeSchema = schema?.properties?.code ? deref(spec, schema.properties.code) : undefined;
    for (const code of codeSchema?.enum ?? []) if (typeof code === 'string') into.add(code);
  }
}

/** One SDK operation, with everything the emitters read. */
function operationModel(spec, entry) {
  const { template, method, item, operation, parameters } = entry;
  const ext = operation['x-grantex-sdk'];
  const requestBody = deref(spec, operation.requestBody);
  const bodyMedia = jsonBodyOf(spec, operation);
  const successStatus = Object.keys(operation.responses ?? {}).find((s) => s.startsWith('2'));
  const success = deref(spec, operation.responses?.[successStatus]);
  const successSchema = success?.content?.['application/json']?.schema;
  return {
    id: operation.operationId,
    call: ext.method,
    httpMethod: method.toUpperCase(),
    template,
    item,
    operation,
    summary: operation.summary ?? '',
    tags: operation.tags ?? [],
    description: operation.description ?? '',
    notes: ext.notes ?? [],
    pathParams: parameters.filter((p) => p.in === 'path'),
    queryParams: parameters.filter((p) => p.in === 'query'),
    bodyMedia,
    bodySchema: bodyMedia?.schema,
    bodyRequired: Boolean(requestBody?.required),
    auth: authOf(spec, operation),
    args: (ext.args ?? []).map(parseArg),
    stream: Object.keys(success?.content ?? {}).includes('text/event-stream'),
    successSchema,
    hasBody: Boolean(successSchema),
    ext,
    bespoke: ext.bespoke ? BESPOKE[ext.bespoke] : undefined,
  };
}

/** A namespace: its methods, its child namespaces and, for credential views, the view below it. */
function namespace(pathSegments, parent) {
  return { path: pathSegments, parent, methods: [], children: new Map(), view: undefined, viewOf: undefined, callerViews: new Map(), callerView: undefined };
}

/** The commerce caller view (`asMerchant`/`asAgent`) of namespace `n`, made on first use. */
function callerViewOf(n, kind) {
  if (!n.callerViews.has(kind)) {
    const view = namespace([...n.path, `${kind}View`], n);
    view.callerView = kind;
    n.callerViews.set(kind, view);
  }
  return n.callerViews.get(kind);
}

/**
 * Where a commerce method hangs: on its namespace for operators (and administrators and anyone),
 * on the merchant view for merchant keys, on the agent view for agent credentials.
 */
function placements(current, callers) {
  const places = [];
  if (callers.some((c) => c === 'operator' || c === 'admin' || c === 'anyone')) places.push(current);
  if (callers.some((c) => c === 'merchant' || c === 'anyone')) places.push(callerViewOf(current, 'merchant'));
  if (callers.some((c) => c === 'agent' || c === 'anyone')) places.push(callerViewOf(current, 'agent'));
  return places;
}

/** Hangs every method on its namespace; `Grantex.*` methods are statics of the client class. */
function namespaceTree(operations) {
  const tree = namespace([], undefined);
  const statics = [];
  for (const op of operations) {
    const segments = op.call.split('.');
    if (segments[0] === 'Grantex') {
      statics.push({ op, name: segments[1] });
      continue;
    }
    let current = tree;
    for (const segment of segments.slice(0, -1)) {
      if (segment === 'withToken') {
        if (!current.view) {
          current.view = namespace([...current.path, 'View'], current);
          current.view.viewOf = current;
        }
        current = current.view;
        continue;
      }
      if (!current.children.has(segment)) current.children.set(segment, namespace([...current.path, segment], current));
      current = current.children.get(segment);
    }
    const callers = op.ext.callers;
    for (const place of callers ? placements(current, callers) : [current]) place.methods.push({ op, name: segments.at(-1) });
  }
  return { tree, statics };
}

/** The model of a validated spec. */
export function buildModel(spec) {
  const operations = [];
  const skipped = [];
  const errorCodes = new Set();
  for (const entry of operationsOf(spec)) {
    const { operation } = entry;
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      if (!status.startsWith('2')) collectErrorCodes(spec, response, errorCodes);
    }
    const ext = operation['x-grantex-sdk'];
    if (ext === false) {
      skipped.push({ httpMethod: entry.method.toUpperCase(), template: entry.template, reason: operation['x-grantex-sdk-reason'] ?? '' });
      continue;
    }
    operations.push(operationModel(spec, entry));
  }
  return { spec, operations, skipped, errorCodes, ...namespaceTree(operations) };
}
