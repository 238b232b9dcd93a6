// Types of emit-table.mjs, for the TypeScript tests of the operation table.
import type { OperationSpec } from '../../src/internal/operation.js';
import type { OperationRow } from '../../src/internal/operation-table.js';
import type { EmittedFile } from './generate.d.mts';
import type { Model, OperationModel } from './model.d.mts';

/** The validator module (generated/validators/<group>.gen.ts) that holds an operation's validator. */
export function groupOf(op: OperationModel): string;
/** The name of an operation's response validator in hey-api's valibot.gen.ts. */
export function validatorName(op: OperationModel): string;
/** The key of an operation's response validator in its module's `schemas`: the method name within the namespace. */
export function validatorKey(op: OperationModel): string;
/** The row the transport reads for `op`: what the encoded table must decode back to. */
export function operationSpec(op: OperationModel): OperationSpec;
/** The encoded row of one operation of namespace `group`. */
export function encodeRow(spec: OperationSpec, group: string): OperationRow;
/** generated/operations.gen.ts. */
export function emitTable(model: Model): EmittedFile;
