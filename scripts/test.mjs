// `npm test`: every check the project promises, in order, failing fast. Each step prints one
// line of its own; the last line sums up the test counts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
mkdirSync(path.join(root, '.tmp'), { recursive: true });
const vitestReport = path.join(root, '.tmp', 'vitest-report.json');

const steps = [
  ['spec lint', process.execPath, ['scripts/lint-spec.mjs']],
  ['generated/ drift', process.execPath, ['scripts/check-generated.mjs']],
  ['type-check src (no Node types)', bin('tsc'), ['-p', 'tsconfig.json']],
  ['type-check tests and examples', bin('tsc'), ['-p', 'test/tsconfig.json']],
  ['vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]],
  ['package: build, publint, attw, lazy jose, size budgets', process.execPath, ['scripts/check-package.mjs']],
  ['runtime matrix (packed tarball)', process.execPath, ['scripts/runtime-matrix.mjs', '--skip-build']],
  ['docs build (reference, guides, SDK reference)', process.execPath, ['scripts/build-docs.mjs']],
  ['docs in Chromium (every tag and operation, links, no network)', process.execPath, ['scripts/test-docs.mjs']],
];

for (const [title, command, args] of steps) {
  console.log(`\n▶ ${title}`);
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${title} failed (${seconds} s)`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${title} (${seconds} s)`);
}

if (existsSync(vitestReport)) {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(`\ntests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
}
