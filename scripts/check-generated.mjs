// Fails when generated/ is not exactly what the generator produces from the committed spec and
// config: generated code is never edited by hand, and a spec change must ship with its output.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
// Generate inside the project so the generator sees the same tsconfig (it decides import extensions).
const scratch = path.join(root, '.tmp', 'generated-check');
rmSync(scratch, { recursive: true, force: true });
mkdirSync(path.dirname(scratch), { recursive: true });

const started = performance.now();
const cli = path.join(path.dirname(require.resolve('@hey-api/openapi-ts/package.json')), 'bin', 'run.js');
execFileSync(process.execPath, [cli, '-f', 'codegen.config.ts'], {
  cwd: root,
  env: { ...process.env, GRANTEX_CODEGEN_OUT: path.relative(root, scratch) },
  stdio: ['ignore', 'ignore', 'inherit'],
});
// Then our own steps: namespaces, operation table, error codes, the test server's examples (same
// output directory variable).
for (const script of ['generate-sdk.mjs', 'generate-testing-examples.mjs']) {
  execFileSync(process.execPath, [path.join(root, 'scripts', script)], {
    cwd: root,
    env: { ...process.env, GRANTEX_CODEGEN_OUT: path.relative(root, scratch) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
const codegenMs = Math.round(performance.now() - started);

function listFiles(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
  });
}

const expected = listFiles(scratch).sort();
const actual = listFiles(path.join(root, 'generated')).sort();
const problems = [];
for (const file of new Set([...expected, ...actual])) {
  if (!expected.includes(file)) problems.push(`extra file generated/${file}`);
  else if (!actual.includes(file)) problems.push(`missing file generated/${file}`);
  else if (readFileSync(path.join(scratch, file), 'utf8') !== readFileSync(path.join(root, 'generated', file), 'utf8')) {
    problems.push(`generated/${file} differs from the generator's output`);
  }
}
rmSync(scratch, { recursive: true, force: true });
if (problems.length > 0) {
  console.error(`generated/ is out of date with openapi.yaml (run \`npm run generate\` and commit):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`generated/ matches the generator output (${expected.length} files, codegen ${codegenMs} ms)`);
