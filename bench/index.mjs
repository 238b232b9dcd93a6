#!/usr/bin/env node
// `npm run bench`: runs every comparison in its own Node process, prints one table of ratios and
// writes docs/benchmarks.md with the same table and docs/benchmarks.svg (a bar chart). Targets
// that are missed are reported, never turned into a failing exit status; only a benchmark that
// crashes makes this script fail.
//
//   node bench/index.mjs [--quick]     (--quick: fewer, shorter rounds, for a smoke run)
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { machine, printTable, root } from './lib.mjs';

const quick = process.argv.includes('--quick');
// Issue targets for the request path, validation strict: against raw fetch (1 in flight, 16 in
// flight, POST), against a bare ky instance (every row; heap allocated per call at most twice
// ky's), and client CPU per call at 1 in flight.
const TARGET_VS_FETCH = { 'agents.get, 1 in flight': 0.85, 'agents.get, 16 in flight': 0.65, 'agents.register (POST), 1 in flight': 0.85 };
const TARGET_VS_KY = 0.92;
const TARGET_HEAP_VS_KY = 2;
const TARGET_CPU_VS_FETCH = 1.4;
const TARGET_CLIENT_RATIO = 0.85;
const TARGET_COLD_IMPORT_MS = 25;

const benches = [
  { key: 'client', file: 'bench/client.bench.mjs', args: quick ? ['--rounds', '3', '--ms', '150'] : ['--rounds', '10', '--ms', '300'] },
  { key: 'enforce', file: 'bench/enforce.bench.mjs', args: quick ? ['--rounds', '3', '--ms', '100'] : ['--rounds', '12', '--ms', '250'] },
  { key: 'verify', file: 'bench/verify.bench.mjs', args: quick ? ['--rounds', '3', '--ms', '100'] : ['--rounds', '12', '--ms', '250'] },
  { key: 'revocation', file: 'bench/revocation.bench.mjs', args: quick ? ['--revocations', '20', '--rounds', '3', '--ms', '100'] : ['--revocations', '100', '--rounds', '12', '--ms', '250'] },
  { key: 'cold', file: 'bench/cold-import.bench.mjs', args: quick ? ['--rounds', '5'] : ['--rounds', '20'] },
  { key: 'bundle', file: 'bench/bundle-size.bench.mjs', args: [] },
];

const results = {};
let crashed = false;
for (const bench of benches) {
  process.stdout.write(`▶ ${bench.file} ${bench.args.join(' ')} … `);
  const started = performance.now();
  const child = spawnSync(process.execPath, [bench.file, '--json', ...bench.args], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  try {
    if (child.status !== 0) throw new Error(`exit ${child.status}`);
    // The JSON document is the whole output (pretty-printed) or its last line.
    const out = child.stdout.trim();
    results[bench.key] = JSON.parse(out.startsWith('{') ? out : out.slice(out.lastIndexOf('\n{') + 1));
    console.log(`${seconds} s`);
  } catch (error) {
    crashed = true;
    console.log(`FAILED (${error.message}, ${seconds} s)\n${child.stderr}`);
  }
}

// ------------------------------------------------------------------------------------------------
// One table: [area, case, SDK, baseline, ratio, target, status]

const fmtOps = (n) => `${Math.round(n).toLocaleString('en-US')} ops/s`;
const rows = [];
const fetchOps = (group) => results.client.rows.find((row) => row.group === group && row.role === 'fetch').opsPerSec;
const kyOps = (group) => results.client.rows.find((row) => row.group === group && row.role === 'ky')?.opsPerSec;
for (const r of results.client?.rows ?? []) {
  if (r.role === 'fetch') continue;
  const strict = r.role === 'sdk-strict';
  const fetchTarget = strict ? TARGET_VS_FETCH[r.group] : undefined;
  rows.push({
    area: 'request path vs raw fetch',
    name: `${r.group}: ${r.name}`,
    sdk: fmtOps(r.opsPerSec),
    baseline: fmtOps(fetchOps(r.group)),
    ratio: r.ratioToFetch,
    target: fetchTarget ? `≥ ${fetchTarget}` : '',
    met: fetchTarget ? r.ratioToFetch >= fetchTarget : undefined,
    chart: 'throughput',
  });
  if (r.role.startsWith('sdk')) {
    rows.push({
      area: 'request path vs bare ky',
      name: `${r.group}: ${r.name}`,
      sdk: fmtOps(r.opsPerSec),
      baseline: fmtOps(kyOps(r.group)),
      ratio: r.ratioToKy,
      target: `≥ ${TARGET_VS_KY}`,
      met: r.ratioToKy >= TARGET_VS_KY,
      chart: 'throughput',
    });
  }
  if (strict && r.concurrency === 1 && r.group.startsWith('agents.get')) {
    rows.push({
      area: 'client CPU per call vs raw fetch',
      name: `${r.group}: ${r.name} (${r.cpuUsPerCall} µs)`,
      sdk: `${r.cpuUsPerCall} µs`,
      baseline: '',
      ratio: r.cpuToFetch,
      target: `≤ ${TARGET_CPU_VS_FETCH}`,
      met: r.cpuToFetch <= TARGET_CPU_VS_FETCH,
    });
  }
}
const kyHeap = (group) => results.client.heap.find((row) => row.group === group && row.role === 'ky')?.bytesPerCall;
const fmtBytes = (n) => (n === undefined ? 'n/a' : `${(n / 1024).toFixed(1)} KiB`);
for (const r of (results.client?.heap ?? []).filter((row) => row.role.startsWith('sdk'))) {
  rows.push({
    area: 'heap allocated per call vs bare ky',
    name: `${r.group}: ${r.name}`,
    sdk: fmtBytes(r.bytesPerCall),
    baseline: fmtBytes(kyHeap(r.group)),
    ratio: r.ratioToKy,
    target: `≤ ${TARGET_HEAP_VS_KY}`,
    met: r.ratioToKy === undefined ? undefined : r.ratioToKy <= TARGET_HEAP_VS_KY,
  });
}
for (const r of results.verify?.rows ?? []) {
  const webhook = r.name.startsWith('webhook');
  rows.push({
    area: webhook ? 'webhook verification' : 'offline verify vs jose.jwtVerify',
    name: r.name,
    sdk: fmtOps(r.sdkOpsPerSec),
    baseline: fmtOps(r.rawOpsPerSec),
    ratio: r.ratio,
    target: '',
    chart: 'throughput',
  });
}
for (const r of results.enforce?.rows ?? []) {
  rows.push({
    area: 'enforce check() vs jose.jwtVerify',
    name: r.name,
    sdk: fmtOps(r.sdkOpsPerSec),
    baseline: fmtOps(r.rawOpsPerSec),
    ratio: r.ratioMedianOfRounds,
    target: r.target === undefined ? '' : `≥ ${r.target}`,
    met: r.met,
  });
}
for (const r of results.revocation?.rows ?? []) {
  rows.push({
    area: "live revocation ('events' mode, local Grantex)",
    name: r.name,
    sdk: r.unit === 'ratio' ? fmtOps(r.sdkOpsPerSec) : r.unit === 'ms' ? `${r.value.toFixed(2)} ms` : `${r.value} ${r.unit}`,
    baseline: r.unit === 'ratio' ? `${fmtOps(r.rawOpsPerSec)} ('offline')` : '',
    ratio: r.unit === 'ratio' ? r.value : undefined,
    target: r.target ?? '',
    met: r.met,
  });
}
const cold = results.cold;
for (const r of (cold?.rows ?? []).filter((row) => row.entry || row.name.includes('dependency alone'))) {
  rows.push({
    area: 'cold import vs node -e 0',
    name: r.entry ? `${r.name} (${r.addedMs >= 0 ? '+' : '−'}${Math.abs(r.addedMs).toFixed(1)} ms${r.loadsJose === undefined ? '' : r.loadsJose ? ', loads jose' : ', no jose'})` : `(${r.name.replace(' (dependency alone)', '')} alone, ${r.addedMs >= 0 ? '+' : '−'}${Math.abs(r.addedMs).toFixed(1)} ms)`,
    sdk: `${r.ms.toFixed(1)} ms`,
    baseline: `${cold.baselineMs.toFixed(1)} ms`,
    ratio: r.ratio,
    target: r.target ?? '',
    met: r.met,
    addedMs: r.addedMs,
    entry: r.entry ?? r.name.replace(' (dependency alone)', '').replace(/^import /, '(') + ' alone)',
    chart: 'cold',
  });
}
const bundles = results.bundle?.rows ?? [];
const jose = bundles.find((b) => b.name.startsWith('raw jose'));
for (const b of bundles.filter((row) => !row.name.startsWith('raw jose'))) {
  const vsJose = b.budget?.baseline && jose;
  rows.push({
    area: 'bundle size (min+gzip)',
    name: b.name,
    sdk: `${b.gzipBytes.toLocaleString('en-US')} B`,
    baseline: vsJose ? `${jose.gzipBytes.toLocaleString('en-US')} B (raw jose)` : '',
    ratio: vsJose ? Number((b.gzipBytes / jose.gzipBytes).toFixed(3)) : undefined,
    target: b.limitGzip !== undefined ? `≤ ${b.limitGzip.toLocaleString('en-US')} B` : '',
    met: b.withinBudget,
    gzipBytes: b.gzipBytes,
    limitGzip: b.limitGzip,
    chart: 'bundle',
  });
}

const status = (r) => (r.met === undefined ? '' : r.met ? 'met' : 'MISSED');
const header = ['area', 'case', 'SDK', 'baseline', 'SDK/baseline', 'target', 'status'];
const lines = rows.map((r) => [r.area, r.name, r.sdk, r.baseline, r.ratio === undefined ? '' : r.ratio.toFixed(3), r.target, status(r)]);
const m = results.client?.machine ?? results.cold?.machine ?? machine();
console.log(`\nmachine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}${quick ? '; QUICK run' : ''}\n`);
printTable(header, lines, 2);
const missed = rows.filter((r) => r.met === false);
if (missed.length) console.log(`\n${missed.length} target(s) missed (reported, not failed): ${missed.map((r) => r.name).join('; ')}`);

// ------------------------------------------------------------------------------------------------
// SVG chart, written by hand: three panels of horizontal bars.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
function panel({ title, bars, max, refs, unit, y0 }) {
  const labelW = 330;
  const chartW = 420;
  const barH = 16;
  const gap = 6;
  const x = (v) => labelW + (Math.min(v, max) / max) * chartW;
  const height = 30 + bars.length * (barH + gap) + 24;
  const parts = [`<g transform="translate(0,${y0})">`, `<text x="10" y="18" class="title">${esc(title)}</text>`];
  bars.forEach((bar, i) => {
    const y = 30 + i * (barH + gap);
    const fill = bar.met === false ? '#d9534f' : bar.met === true ? '#3c9a5f' : '#4a6fd1';
    parts.push(`<text x="${labelW - 8}" y="${y + barH - 4}" class="label" text-anchor="end">${esc(bar.label)}</text>`);
    parts.push(`<rect x="${labelW}" y="${y}" width="${Math.max(1, x(bar.value) - labelW).toFixed(1)}" height="${barH}" fill="${fill}"/>`);
    parts.push(`<text x="${(x(bar.value) + 4).toFixed(1)}" y="${y + barH - 4}" class="value">${esc(bar.text)}</text>`);
  });
  const bottom = 30 + bars.length * (barH + gap);
  for (const ref of refs) {
    parts.push(`<line x1="${x(ref.value).toFixed(1)}" y1="26" x2="${x(ref.value).toFixed(1)}" y2="${bottom}" class="${ref.dashed ? 'ref dashed' : 'ref'}"/>`);
    // Dashed (target) labels sit left of their line, solid ones right, so that close lines stay readable.
    const lx = x(ref.value) + (ref.dashed ? -3 : 3);
    parts.push(`<text x="${lx.toFixed(1)}" y="${bottom + 14}" class="reflabel" text-anchor="${ref.dashed ? 'end' : 'start'}">${esc(ref.label)}</text>`);
  }
  parts.push(`<text x="${labelW + chartW}" y="18" class="unit" text-anchor="end">${esc(unit)}</text>`, '</g>');
  return { svg: parts.join('\n'), height };
}

const throughput = rows.filter((r) => r.chart === 'throughput');
const coldRows = rows.filter((r) => r.chart === 'cold');
const bundleRows = rows.filter((r) => r.chart === 'bundle' && r.limitGzip !== undefined);
const panels = [];
let y = 10;
const add = (spec) => {
  if (!spec.bars.length) return;
  const p = panel({ ...spec, y0: y });
  panels.push(p.svg);
  y += p.height + 10;
};
add({
  title: 'Throughput relative to the baseline (1.0 = as fast as raw fetch / jose / bare HMAC)',
  unit: 'SDK ÷ baseline',
  bars: throughput.map((r) => ({ label: `${r.area.replace(/ vs .*/, '')}: ${r.name}`.slice(0, 58), value: r.ratio, text: r.ratio.toFixed(2), met: r.met })),
  max: Math.max(1.2, ...throughput.map((r) => r.ratio)),
  refs: [{ value: 1, label: '1.0' }, { value: TARGET_CLIENT_RATIO, label: `${TARGET_CLIENT_RATIO} target`, dashed: true }],
});
add({
  title: 'Cold import: ms added over `node -e 0`',
  unit: 'ms',
  bars: coldRows.map((r) => ({ label: r.entry, value: Math.max(0, r.addedMs), text: `${r.addedMs >= 0 ? '+' : '−'}${Math.abs(r.addedMs).toFixed(1)} ms`, met: r.met })),
  max: Math.max(TARGET_COLD_IMPORT_MS * 1.6, ...coldRows.map((r) => r.addedMs)) * 1.1,
  refs: [{ value: TARGET_COLD_IMPORT_MS, label: `${TARGET_COLD_IMPORT_MS} ms target (main entry)`, dashed: true }],
});
add({
  title: 'Bundle size, min+gzip, against each entry’s budget',
  unit: '% of budget',
  bars: bundleRows.map((r) => ({ label: r.name, value: (100 * r.gzipBytes) / r.limitGzip, text: `${r.gzipBytes} B of ${r.limitGzip} B`, met: r.met })),
  max: 130,
  refs: [{ value: 100, label: 'budget' }],
});
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="${y + 24}" viewBox="0 0 900 ${y + 24}" role="img" aria-label="Grantex SDK benchmarks">
<style>
text { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; fill: #1f2430; }
.title { font-size: 14px; font-weight: 600; } .label, .value { font-size: 11px; } .unit, .reflabel, .foot { font-size: 10px; fill: #5c6370; }
.ref { stroke: #1f2430; stroke-width: 1; } .dashed { stroke-dasharray: 4 3; stroke: #d9534f; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
${panels.join('\n')}
<text x="10" y="${y + 12}" class="foot">${esc(`${m.cpu}, ${m.cores} cores · Node ${m.node} · ${new Date().toISOString().slice(0, 10)}${quick ? ' · quick run' : ''} · green: target met, red: missed, blue: no target`)}</text>
</svg>
`;

// ------------------------------------------------------------------------------------------------
// docs/benchmarks.md

const mdEscape = (s) => String(s).replace(/\|/g, '\\|');
const mdTable = [
  `| ${header.join(' | ')} |`,
  `|${header.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`,
  ...lines.map((l) => `| ${l.map(mdEscape).join(' | ')} |`),
].join('\n');
const verify = results.verify;
const md = `# Benchmarks

Measured on **${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB** (${m.os}) with **Node ${m.node}**, ${new Date().toISOString().slice(0, 10)}${quick ? ' (quick run: few, short rounds; numbers are rough)' : ''}.
Reproduce with \`npm run bench\`, which rewrites this page and [the chart](benchmarks.svg).

![Benchmark chart: throughput ratios, cold import, bundle sizes](benchmarks.svg)

${mdTable}

## How it is measured

- Each comparison runs in **its own Node process**; the two sides of a comparison run in **interleaved
  rounds** (A B, then B A, …) in that process, so JIT warm-up, GC and CPU-frequency drift hit both
  alike. Figures are **medians over the rounds**; the ratio is SDK ÷ baseline (higher is better for
  throughput, lower for time and size).
- **Request path** (\`bench/client.bench.mjs\`): a ladder against a mock API in a **forked child
  process** (client and server on separate event loops): raw \`fetch\` + \`json()\`, a bare ky
  instance created once with \`timeout: false\`, ky configured as the SDK configures it plus the SDK's
  request building, then the SDK with validation \`'off'\` and \`'strict'\`; \`agents.get\` with 1 and 16
  requests in flight, and \`agents.register\` (a POST). Each round runs every variant in an order
  rotated per round; ratios are **paired per round** and the median is reported.${results.client ? ` ${results.client.rounds} rounds × ${results.client.msPerSample} ms.` : ''}
  Each variant's time in a round is spread over three turns in rotated order, so that load from
  other processes lands on every variant alike.
  Targets (strict): ≥ 0.85 of fetch at 1 in flight, ≥ 0.65 at 16, ≥ 0.85 for the POST, ≥ ${TARGET_VS_KY}
  of bare ky in every row, client CPU per call ≤ ${TARGET_CPU_VS_FETCH}× fetch at 1 in flight.
- **Heap allocated per call** (same file, in a forked child started with \`--expose-gc\` and 64 MiB
  semi-spaces): the growth of the used heap over ${results.client?.heapCallsPerBatch ?? 400} sequential calls after a full
  collection, discarded and measured again when any collection ran during the batch; bare ky and the
  SDK (validation strict) in alternating order per round, the ratio paired per round. Target: at
  most ${TARGET_HEAP_VS_KY}× bare ky's.
- **Tool-call enforcement** (\`bench/enforce.bench.mjs\`): \`enforcer.check({ grantToken, connector, tool })\`
  against \`jose.jwtVerify\` with the same key, with one repeated token (target ≥ 10×, the verified-token
  cache answers) and with 256 distinct tokens (target ≥ 0.95×), plus the cache turned off for reference.
- **Offline verification** (\`bench/verify.bench.mjs\`): \`createGrantVerifier(...).verify(token)\`
  against \`jose.jwtVerify\` with the same key, for a local JWKS and a remote JWKS (served locally,
  cached after the first fetch${verify ? `: ${verify.jwksFetches} JWKS fetches in the whole run` : ''}), with the same
  token every time and with 256 distinct tokens. **Webhook verification**: \`verifyWebhook\` against a
  bare WebCrypto HMAC verify whose key is already imported and whose inputs are already decoded (the floor).
- **Cold import** (\`bench/cold-import.bench.mjs\`): wall time of a fresh \`node\` process importing
  one entry, against \`node -e 0\`. Each entry is bundled with esbuild as the
  package ships it (ESM, code split, dependencies loaded from node_modules). The npm packages
  each entry loads are listed by a module hook: the main entry must not load \`jose\` (it is loaded on
  the first offline verification). Target: the main entry adds **≤ ${TARGET_COLD_IMPORT_MS} ms** and loads no jose.
- **Bundle sizes** (\`scripts/bundle-size.mjs\`): esbuild, ESM, minified, dependencies inlined, gzip -9.
  Rows with code splitting count what a browser app loads; **client, one file** is \`import { Grantex }\`
  plus one call bundled without splitting, as Workers builds make it (every lazily loaded part is
  inlined). \`node scripts/bundle-size.mjs --inputs\` shows what each input adds to that row.

Missed targets are reported here and never fail \`npm test\`.
${missed.length ? `\n**Missed in this run:** ${missed.map((r) => `${r.name} (${r.ratio?.toFixed(3) ?? ''}, target ${r.target})`).join('; ')}.\n` : ''}`;

writeFileSync(path.join(root, 'docs', 'benchmarks.md'), md);
writeFileSync(path.join(root, 'docs', 'benchmarks.svg'), svg);
console.log('\nwrote docs/benchmarks.md and docs/benchmarks.svg');
if (crashed) process.exitCode = 1;
