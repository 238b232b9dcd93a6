// Emits the lists derived from the whole spec: the documented error codes, the `Api` namespace of
// public types and the one-page index of every call (operations.gen.md). Pure: returns
// `{ path, text }` records.
import { decodedFieldType, HANDLE, paramsType } from './emit-sdk.mjs';
import { deref, reachableSchemas, schemasAlong } from './spec.mjs';
import { HEADER, quote } from './text.mjs';

/** generated/error-codes.gen.ts: the error codes the API documents. */
export function emitErrorCodes(model) {
  return {
    path: 'error-codes.gen.ts',
    text: `${HEADER}\n/** The error codes the API documents in openapi.yaml. */\nexport type ApiErrorCode =\n${[...model.errorCodes]
      .sort()
      .map((code) => `  | ${quote(code)}`)
      .join('\n')};\n`,
  };
}

/**
 * For each named schema an answer holds a `decode`d field in, the fields (dotted paths from that
 * schema) the SDK returns decoded and their types: `AnomalyList` gets `anomalies.metadata`,
 * `Anomaly` gets `metadata`. validate.mjs has made sure every answer holding one decodes it.
 */
function decodedFields(model, types) {
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
 * generated/api-types.gen.ts: the spec's named schemas and each operation's params type, not
 * hey-api's per-operation request/response/error bookkeeping types. A schema some answer holds is
 * exported as the SDK returns it (deeply readonly, its `decode`d fields decoded), so a value a
 * method returned fits a variable of that type; a schema only requests use is exported as written,
 * for callers to build. Every schema as written is also there under `Api.Mutable`. `typesSource`
 * is the text of hey-api's types.gen.ts (a schema it did not export is left out).
 */
export function emitApiTypes(model, typesSource) {
  const exported = new Set([...typesSource.matchAll(/^export type (\w+)\b/gm)].map((m) => m[1]));
  const schemaNames = Object.keys(model.spec.components?.schemas ?? {})
    .filter((name) => exported.has(name))
    .sort();
  const answers = model.operations.flatMap((op) => [op.successSchema, ...(op.ext.results ?? []).map((status) => deref(model.spec, op.operation.responses?.[status]))]);
  const returned = reachableSchemas(model.spec, answers);
  const types = new Set();
  const decoded = decodedFields(model, types);
  const lines = schemaNames.map((name) => {
    if (!returned.has(name)) return `export type ${name} = T.${name};`;
    let type = `T.${name}`;
    for (const [field, value] of decoded.get(name) ?? []) type = `JsonDecoded<${type}, ${quote(field)}, ${value}>`;
    return `export type ${name} = DeepReadonly<${type}>;`;
  });
  const core = ['DeepReadonly', ...(decoded.size > 0 ? ['JsonDecoded'] : [])];
  const files = [
    {
      path: 'api-types.gen.ts',
      text:
        `${HEADER}// The spec's named schemas, for \`import type { Api } from '@grantex/sdk'\` (\`Api.Agent\`, \`Api.Policy\`, …): a schema\n` +
        `// the API answers with is the deeply readonly type the methods return; a schema only requests use is\n` +
        `// as written. \`Api.Mutable.<Name>\` is every schema as written, for building values of your own.\n` +
        `import type { ${core.join(', ')} } from '../${HANDLE}';\n` +
        `import type * as T from './types.gen.js';\n\n` +
        `${lines.join('\n')}\n` +
        `export type * from './sdk/params.gen.js';\n` +
        `export type * as Mutable from './api-mutable-types.gen.js';\n`,
    },
    {
      path: 'api-mutable-types.gen.ts',
      text: `${HEADER}// The spec's named schemas as written (no readonly), as \`Api.Mutable.<Name>\`.\nexport type {\n  ${schemaNames.join(',\n  ')},\n} from './types.gen.js';\n`,
    },
  ];
  return files;
}

/** generated/operations.gen.md: every call by namespace, for finding an operation in seconds. */
export function emitOperationIndex(model) {
  const byNamespace = new Map();
  for (const op of model.operations) {
    const segments = op.call.split('.');
    const ns = segments[0] === 'Grantex' ? 'Grantex (static)' : segments.length === 1 ? 'client' : segments[0];
    if (!byNamespace.has(ns)) byNamespace.set(ns, []);
    const args = op.args.map((a) => a.name);
    if (paramsType(model.spec, op, new Set())) args.push('params');
    const callers = op.ext.callers;
    let call = op.call;
    if (callers && !callers.some((c) => c === 'operator' || c === 'admin' || c === 'anyone')) {
      // A method only merchants or agents may call lives on that caller's view.
      const view = callers.includes('agent') ? 'asAgent(credential)' : 'asMerchant(merchantKey)';
      call = `${op.call.split('.').slice(0, -1).join('.')}.${view}.${op.call.split('.').at(-1)}`;
    }
    const accessor = op.call.startsWith('Grantex.') ? op.call : `client.${call.replace('.withToken.', '.withToken(token).')}`;
    byNamespace.get(ns).push(`| \`${accessor}(${args.join(', ')})\` | \`${op.httpMethod} ${op.template}\` | ${op.summary.replace(/\|/g, '\\|')} |`);
  }
  const skipped = model.skipped.map((s) => `| \`${s.httpMethod} ${s.template}\` | ${s.reason} |`);
  return {
    path: 'operations.gen.md',
    text:
      `<!-- Generated by scripts/generate-sdk.mjs from openapi.yaml. Do not edit by hand. -->\n# Every operation, by namespace\n\n` +
      `${model.operations.length} operations are reachable from the client; ${skipped.length} are left out on purpose (listed last).\n\n` +
      [...byNamespace].map(([ns, rows]) => `## ${ns}\n\n| call | HTTP | what it does |\n|---|---|---|\n${rows.join('\n')}\n`).join('\n') +
      `\n## Not in the SDK\n\n| HTTP | why |\n|---|---|\n${skipped.join('\n')}\n`,
  };
}
