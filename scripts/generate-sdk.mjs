// Second step of `npm run generate`, after hey-api has written the types and validators: reads
// openapi.yaml and its `x-grantex-sdk` operation extension and writes the client surface
// (generated/sdk/, the operation table, per-namespace validators, error codes, the operation index).
// The pipeline lives in scripts/codegen/ (read → validate → emit); this file does the I/O around
// it. Nothing is written when any operation's extension is invalid. The extension's format and
// schema: docs/spec-extension.md, scripts/codegen/x-grantex-sdk.schema.json.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

import { generate, writeFiles } from './codegen/generate.mjs';
import { formatProblem, validateSpec } from './codegen/validate.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(root, process.env.GRANTEX_CODEGEN_OUT ?? 'generated');
const read = (file) => readFileSync(file, 'utf8');

// `--spec <file>` reads another spec (the generator's tests run it on small fixtures).
const specArg = process.argv.indexOf('--spec');
const specFile = specArg >= 0 ? path.resolve(process.argv[specArg + 1]) : path.join(root, 'openapi.yaml');
const spec = parse(read(specFile));
const schema = JSON.parse(read(path.join(root, 'scripts', 'codegen', 'x-grantex-sdk.schema.json')));
const fail = (problems) => {
  console.error(`${path.relative(root, specFile)}: ${problems.length} x-grantex-sdk problem(s); nothing was written:\n  ${problems.map(formatProblem).join('\n  ')}`);
  process.exit(1);
};

// `--validate` checks the extension only; `npm run generate` runs it before hey-api writes anything.
if (process.argv.includes('--validate')) {
  const problems = validateSpec(spec, schema);
  if (problems.length > 0) fail(problems);
  console.log('x-grantex-sdk: every operation is valid');
} else {
  const { problems, files, summary } = generate({
    spec,
    schema,
    valibotSource: read(path.join(outDir, 'valibot.gen.ts')),
    typesSource: read(path.join(outDir, 'types.gen.ts')),
  });
  if (problems.length > 0) fail(problems);
  writeFiles(outDir, files);
  console.log(`generated ${summary.operations} operations in ${summary.namespaceFiles} namespace files`);
}
