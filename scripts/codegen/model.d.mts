// Types of model.mjs, for the TypeScript tests that read the generator's model of a spec.

/** One SDK operation as the emitters read it (the fields the tests use). */
export interface OperationModel {
  readonly id: string;
  readonly call: string;
  readonly httpMethod: string;
  readonly template: string;
  readonly [field: string]: unknown;
}

/** The model of a validated spec. */
export interface Model {
  readonly operations: readonly OperationModel[];
  readonly [field: string]: unknown;
}

export function buildModel(spec: unknown): Model;
