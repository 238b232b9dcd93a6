// `npm test`: every check the project promises, in order, failing fast.
//
// Each step's output is collected, not streamed: a step that passes prints one line (its name, its
// time and its own last line, which every step uses for its summary), so the stack traces that tests
// provoke on purpose never reach the screen; a step that fails prints its whole output. While a step
// runs, a line every 10 s says what it is doing (its latest output line), so a long step never looks
// hung. The last line sums up the test counts.
//
//   npm test                 condensed output, as above
//   npm test -- --verbose    every step's output as it happens (the old behaviour)
//   npm test -- --from=NAME  start at the first step whose title contains NAME
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
mkdirSync(path.join(root, '.tmp'), { recursive: true });
const vitestReport = path.join(root, '.tmp', 'vitest-report.json');

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const from = args.find((a) => a.startsWith('--from='))?.slice('--from='.length);
const HEARTBEAT_MS = 10_000;
const FAILURE_TAIL_LINES = 400;

const steps = [
  ['package-lock.json matches package.json', process.execPath, ['scripts/lib/lockfile-sync.mjs']],
  ['spec lint', process.execPath, ['scripts/lint-spec.mjs']],
  ['generated/ drift', process.execPath, ['scripts/check-generated.mjs']],
  ['type-check src (no Node types)', bin('tsc'), ['-p', 'tsconfig.json']],
  ['type-check tests and examples', bin('tsc'), ['-p', 'test/tsconfig.json']],
  ['vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]],
  ['package: build, publint, attw, lazy jose, size budgets', process.execPath, ['scripts/check-package.mjs']],
  ['runtime matrix (packed tarball)', process.execPath, ['scripts/runtime-matrix.mjs', '--skip-build']],
  ['TypeScript consumer matrix (packed tarball)', process.execPath, ['scripts/ts-consumer-matrix.mjs', '--skip-build']],
  ['docs build (reference, guides, SDK reference)', process.execPath, ['scripts/build-docs.mjs']],
  ['docs: every page and link, the reference in Chromium', process.execPath, ['scripts/test-docs.mjs']],
];

// eslint-disable-next-line no-control-regex
const stripAnsi = (s) => s.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\r/g, '\n');
const seconds = (t) => ((performance.now() - t) / 1000).toFixed(1);
const lastLineOf = (text) =>
  stripAnsi(text)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1) ?? '';
const clip = (s, n = 120) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function runStep(title, command, commandArgs) {
  return new Promise((resolve) => {
    const started = performance.now();
    // FORCE_COLOR keeps tools' colours when their output is shown (on failure or with --verbose).
    const child = spawn(command, commandArgs, {
      cwd: root,
      stdio: verbose ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      env: verbose ? process.env : { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' },
    });
    let output = '';
    let latest = '';
    const take = (chunk) => {
      const text = chunk.toString();
      output += text;
      const line = lastLineOf(text);
      if (line) latest = line;
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    const heartbeat = verbose
      ? undefined
      : setInterval(() => console.log(`  … ${seconds(started)} s${latest ? `: ${clip(latest)}` : ''}`), HEARTBEAT_MS);
    child.on('error', (error) => {
      output += `\n${error.message}\n`;
    });
    child.on('close', (code, signal) => {
      if (heartbeat) clearInterval(heartbeat);
      resolve({ ok: code === 0, code, signal, output, summary: lastLineOf(output), seconds: seconds(started) });
    });
  });
}

let startAt = 0;
if (from) {
  startAt = steps.findIndex(([title]) => title.toLowerCase().includes(from.toLowerCase()));
  if (startAt < 0) {
    console.error(`no step matches --from=${from}; steps: ${steps.map(([t]) => t).join(' | ')}`);
    process.exit(2);
  }
}

const started = performance.now();
for (const [title, command, commandArgs] of steps.slice(startAt)) {
  console.log(`\n▶ ${title}`);
  const result = await runStep(title, command, commandArgs);
  if (!result.ok) {
    if (!verbose) {
      const lines = result.output.replace(/\s+$/, '').split('\n');
      if (lines.length > FAILURE_TAIL_LINES) console.error(`  (${lines.length - FAILURE_TAIL_LINES} earlier lines left out)`);
      console.error(lines.slice(-FAILURE_TAIL_LINES).join('\n'));
    }
    const how = result.signal ? `killed by ${result.signal}` : `exit ${result.code}`;
    console.error(`✖ ${title} failed (${how}, ${result.seconds} s)`);
    process.exit(result.code || 1);
  }
  console.log(`✔ ${title} (${result.seconds} s)${!verbose && result.summary ? `: ${clip(stripAnsi(result.summary), 160)}` : ''}`);
}

if (existsSync(vitestReport)) {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(`\ntests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
}
console.log(`all checks passed in ${seconds(started)} s`);
