// Lints openapi.yaml with the committed redocly.yaml and fails on any problem, warnings included:
// the spec is the source of truth, so it is held to zero warnings.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const cli = path.join(path.dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
const result = spawnSync(process.execPath, [cli, 'lint', 'openapi.yaml', '--format=stylish'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
});
const output = `${result.stdout}${result.stderr}`;
const warnings = Number(/(\d+) warnings?/.exec(output)?.[1] ?? 0);
const errors = Number(/(\d+) errors?/.exec(output)?.[1] ?? 0);
if (result.status !== 0 || warnings > 0 || errors > 0) {
  console.error(output);
  console.error(`redocly lint: ${errors} errors, ${warnings} warnings (the spec must have none)`);
  process.exit(1);
}
console.log('redocly lint: openapi.yaml has 0 errors and 0 warnings');
