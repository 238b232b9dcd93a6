// The generator's pipeline: read → validate → emit. `generate` takes the inputs as data (the parsed
// spec, the extension schema and the text hey-api wrote) and returns either the problems that stop
// generation or every file to write, as data. It writes nothing; writing happens in one place,
// `writeFiles`, and only when there are no problems.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { emitApiTypes, emitErrorCodes, emitOperationIndex } from './emit-index.mjs';
import { emitSdk } from './emit-sdk.mjs';
import { emitTable } from './emit-table.mjs';
import { emitValidators } from './emit-validators.mjs';
import { buildModel } from './model.mjs';
import { validateSpec } from './validate.mjs';

/** The folders the generator owns entirely: emptied before its files are written. */
export const OWNED_DIRS = ['sdk', 'validators'];

/**
 * @param {{ spec: object, schema: object, valibotSource: string, typesSource: string }} inputs
 * @returns {{ problems: { operation?: string, path?: string, message: string }[], files: { path: string, text: string }[] }}
 *   `files` is empty whenever `problems` is not.
 */
export function generate({ spec, schema, valibotSource, typesSource }) {
  const problems = validateSpec(spec, schema);
  if (problems.length > 0) return { problems, files: [] };
  const model = buildModel(spec);
  const validators = emitValidators(model, valibotSource);
  if (validators.problems.length > 0) return { problems: validators.problems, files: [] };
  const files = [
    ...emitSdk(model),
    ...validators.files,
    emitTable(model),
    emitErrorCodes(model),
    ...emitApiTypes(model, typesSource),
    emitOperationIndex(model),
  ];
  return { problems: [], files, summary: { operations: model.operations.length, namespaceFiles: files.filter((f) => /^sdk\/(?!index|params|pages)/.test(f.path)).length } };
}

/** Writes `files` under `outDir`, after emptying the folders the generator owns. */
export function writeFiles(outDir, files) {
  for (const dir of OWNED_DIRS) rmSync(path.join(outDir, dir), { recursive: true, force: true });
  for (const file of files) {
    const target = path.join(outDir, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.text);
  }
}
