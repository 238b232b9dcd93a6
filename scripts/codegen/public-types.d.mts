// Types of public-types.mjs, for the generator's tests.
import type { Model, OperationModel } from './model.d.mts';

export function decodedFieldType(spec: unknown, op: OperationModel, field: string, types: Set<string>): string;
export function decodedBySchema(model: Model, types?: Set<string>): Map<string, Map<string, string>>;
export function publicResultName(spec: unknown, op: OperationModel, decoded: ReadonlyMap<string, ReadonlyMap<string, string>>): string | undefined;
export function publicItemName(spec: unknown, op: OperationModel, decoded: ReadonlyMap<string, ReadonlyMap<string, string>>): string | undefined;
