// Types of generate.mjs, for the TypeScript tests that run the generator on fixture specs.

/** One reason generation stops: the operation (`id (METHOD /path)`), the path of the bad value, what is wrong. */
export interface Problem {
  readonly operation?: string;
  readonly path?: string;
  readonly message: string;
}

/** One file to write, relative to the output folder (`sdk/agents.gen.ts`). */
export interface EmittedFile {
  readonly path: string;
  readonly text: string;
}

export interface GenerateInputs {
  /** The parsed OpenAPI document. */
  readonly spec: unknown;
  /** The parsed x-grantex-sdk.schema.json. */
  readonly schema: unknown;
  /** The text of hey-api's valibot.gen.ts. */
  readonly valibotSource: string;
  /** The text of hey-api's types.gen.ts. */
  readonly typesSource: string;
}

export interface GenerateResult {
  readonly problems: readonly Problem[];
  /** Empty whenever `problems` is not. */
  readonly files: readonly EmittedFile[];
  readonly summary?: { readonly operations: number; readonly namespaceFiles: number };
}

export const OWNED_DIRS: readonly string[];
export function generate(inputs: GenerateInputs): GenerateResult;
export function writeFiles(outDir: string, files: readonly EmittedFile[]): void;
