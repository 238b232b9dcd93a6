// Emits generated/operations.gen.ts: the operation table the transport runs, one row per SDK
// operation keyed by operationId. Pure: returns a `{ path, text }` record.
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

function tableEntry(op) {
  const fields = [`id: ${quote(op.id)}`, `call: ${quote(op.call)}`, `method: ${quote(op.httpMethod)}`, `path: ${quote(op.template)}`];
  if (op.args.length) fields.push(`args: [${op.args.map((a) => (a.where === 'bearer' ? "['bearer']" : `[${quote(a.where)}, ${quote(a.field)}]`)).join(', ')}]`);
  if (op.queryParams.length) fields.push(`query: [${op.queryParams.map((p) => quote(p.name)).join(', ')}]`);
  if (op.bodySchema) fields.push('body: true');
  // The server reads a required body without a default: send `{}` rather than nothing.
  if (op.bodySchema && op.bodyRequired) fields.push('requiredBody: true');
  if (op.auth !== 'apiKey') fields.push(`auth: ${quote(op.auth)}`);
  if (op.hasBody) fields.push(`validator: ${quote(validatorName(op))}`, `group: ${quote(groupOf(op))}`);
  if (op.stream) fields.push('stream: true');
  const ext = op.ext;
  if (ext.decode?.length) fields.push(`decode: [${ext.decode.map(quote).join(', ')}]`);
  if (ext.secrets?.length) fields.push(`secrets: [${ext.secrets.map(quote).join(', ')}]`);
  if (ext.results?.length) fields.push(`results: [${ext.results.join(', ')}]`);
  if (ext.retries !== undefined) fields.push(`retries: ${Number(ext.retries)}`);
  if (ext.rename) fields.push(`rename: { ${Object.entries(ext.rename).map(([k, v]) => `${k}: ${quote(v)}`).join(', ')} }`);
  if (ext.paginate) {
    const p = ext.paginate;
    const parts = [`style: ${quote(p.style ?? 'single')}`];
    if (p.items) parts.push(`items: ${quote(p.items)}`);
    if (p.cursor) parts.push(`cursor: ${quote(p.cursor)}`);
    fields.push(`paginate: { ${parts.join(', ')} }`);
  }
  if (ext.callers) fields.push(`callers: [${ext.callers.map(quote).join(', ')}]`);
  if (ext.idempotency) fields.push(`idempotency: ${quote(ext.idempotency)}`);
  if (ext.amounts?.length) fields.push(`amounts: [${ext.amounts.map(quote).join(', ')}]`);
  if (ext.bespoke) fields.push(`bespoke: ${quote(ext.bespoke)}`);
  return `  ${op.id}: { ${fields.join(', ')} },`;
}

/** generated/operations.gen.ts. */
export function emitTable(model) {
  return {
    path: 'operations.gen.ts',
    text:
      `${HEADER}import type { OperationSpec } from '../${HANDLE}';\n\n` +
      `/** Every operation the SDK calls, keyed by operationId: what the transport needs to send it and read the answer. */\n` +
      `export const operations = {\n${model.operations.map(tableEntry).join('\n')}\n} as const satisfies Record<string, OperationSpec>;\n\n` +
      `/** The hand-written steps operations name with \`bespoke\` (registry: scripts/codegen/bespoke.mjs); src/internal/bespoke.ts implements exactly these. */\n` +
      `export type BespokeStepName = ${bespokeStepNames().map(quote).join(' | ')};\n`,
  };
}
