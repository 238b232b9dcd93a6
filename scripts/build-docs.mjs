#!/usr/bin/env node
// `npm run docs`: builds the documentation site into docs/site/ (not committed; CI builds it and
// `npm run test:docs` checks it in a browser):
//
//   docs/site/index.html        landing page linking the three parts below
//   docs/site/reference.html    API reference of openapi.yaml (Redocly, renderer inlined: no CDN), with
//                               the SDK call of each operation as a code sample (from `x-grantex-sdk`)
//   docs/site/guides/*.html     the hand-written guides, docs/guides/*.md rendered with `marked`, code
//                               blocks highlighted (scripts/lib/highlight.mjs)
//   docs/site/sdk/              TypeDoc reference of every entry point (typedoc.json; the entry points
//                               come from scripts/sdk-entries.mjs, one per subpath of package.json)
//   docs/site/benchmarks.html   docs/benchmarks.md (+ .svg), when `npm run bench` has written it
//   docs/site/examples/*.ts     copies of examples/, which the guides link to
//   docs/site/build-info.json   hashes of every input, so a stale site is detected
//
//   node scripts/build-docs.mjs           build
//   node scripts/build-docs.mjs --check   exit 1 when docs/site is missing or older than its inputs
//
// Guides link to other guides as `x.md` and to examples as `../../examples/x.ts`; to an operation
// as `[…](../../generated/operations.gen.md#<namespace> "api:<operationId>")` and to the SDK reference
// as `[…](../../src/<file>.ts "sdk:<path inside docs/site/sdk>")`. Every link works where the
// Markdown is read (a code host opens the operation index or the source); the build rewrites them
// to site URLs, the title saying where. A page only the site has (the reference) is linked through
// its source with the title `site:<page>`: `[API reference](../../openapi.yaml "site:reference.html")`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Marked } from 'marked';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { addCodeSamples } from './lib/code-samples.mjs';
import { HIGHLIGHT_CSS, highlight } from './lib/highlight.mjs';
import { exportedSubpaths, specifierOf } from './lib/pack.mjs';
import { SDK_ENTRIES } from './sdk-entries.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SITE = path.join(root, 'docs', 'site');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/**
 * The reading order of the guides (docs/guides/<slug>.md) and their short names in the navigation.
 * A slug whose file does not exist is skipped; a guide that is not listed here is added after the
 * listed ones, named by its first heading, so a new guide is never left out of the site.
 */
const GUIDE_ORDER = [
  ['getting-started', 'Getting started'],
  ['authorization-pkce', 'Authorization flow with PKCE'],
  ['offline-verification', 'Offline verification'],
  ['guarding-tools', 'Guarding tools'],
  ['revocation', 'Revocation'],
  ['agent-frameworks', 'Agent frameworks'],
  ['delegation', 'Delegation'],
  ['webhooks', 'Webhooks'],
  ['live-events', 'Live events'],
  ['vault', 'Credential vault'],
  ['authorized-fetch', 'Calling third-party APIs'],
  ['budgets', 'Budgets'],
  ['credentials', 'Credentials and passports'],
  ['commerce', 'Agentic commerce'],
  ['errors-and-retries', 'Errors and retries'],
  ['testing', 'Testing'],
  ['runtimes', 'Runtimes'],
  ['migrating', 'Migrating from the other SDK'],
];

function listGuides() {
  const dir = path.join(root, 'docs', 'guides');
  const present = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)) : [];
  const listed = GUIDE_ORDER.filter(([slug]) => present.includes(slug));
  const extra = present
    .filter((slug) => !GUIDE_ORDER.some(([s]) => s === slug))
    .sort()
    .map((slug) => [slug, titleOf(readFileSync(path.join(dir, `${slug}.md`), 'utf8'), slug)]);
  // The migration guide stays last: it is for readers coming from elsewhere.
  const last = listed.filter(([slug]) => slug === 'migrating');
  return [...listed.filter(([slug]) => slug !== 'migrating'), ...extra, ...last];
}

/** The guides, in reading order: [slug, name]. Each is docs/guides/<slug>.md. */
export const GUIDES = listGuides();

// ---------------------------------------------------------------------------------------------
// Inputs and the staleness stamp

function walk(dir, filter) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full, filter) : filter(full) ? [full] : [];
  });
}

/** Every file the site is built from (benchmarks excluded: a new measurement is not a doc change). */
function inputFiles() {
  const files = [
    'openapi.yaml',
    'redocly.yaml',
    'typedoc.json',
    'tsconfig.json',
    'package.json',
    'scripts/build-docs.mjs',
    'CHANGELOG.md',
    'scripts/sdk-entries.mjs',
    ...walk(path.join(root, 'scripts', 'lib'), (f) => f.endsWith('.mjs')).map((f) => path.relative(root, f)),
    ...walk(path.join(root, 'docs', 'guides'), (f) => f.endsWith('.md')).map((f) => path.relative(root, f)),
    ...walk(path.join(root, 'examples'), (f) => f.endsWith('.ts')).map((f) => path.relative(root, f)),
    ...walk(path.join(root, 'src'), (f) => f.endsWith('.ts')).map((f) => path.relative(root, f)),
  ];
  return [...new Set(files)].filter((f) => existsSync(path.join(root, f))).sort();
}

export function computeStamp() {
  const files = {};
  for (const file of inputFiles()) files[file] = createHash('sha256').update(readFileSync(path.join(root, file))).digest('hex');
  const all = createHash('sha256').update(JSON.stringify(files)).digest('hex');
  return { inputsSha256: all, files };
}

/** Compares docs/site/build-info.json with the current inputs; returns a list of problems. */
export function checkStamp() {
  const file = path.join(SITE, 'build-info.json');
  if (!existsSync(file)) return ['docs/site has not been built (run `npm run docs`)'];
  const built = JSON.parse(readFileSync(file, 'utf8'));
  const now = computeStamp();
  if (built.inputsSha256 === now.inputsSha256) return [];
  const changed = [...new Set([...Object.keys(built.files ?? {}), ...Object.keys(now.files)])]
    .filter((f) => built.files?.[f] !== now.files[f])
    .sort();
  return [`docs/site is older than its inputs (run \`npm run docs\`); changed since the build: ${changed.join(', ')}`];
}

// ---------------------------------------------------------------------------------------------
// Page chrome

const CSS = `
:root { --fg: #1f2430; --muted: #5c6370; --accent: #3454d1; --bg: #fff; --code-bg: #f5f6f8; --border: #e1e4e8; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
header.site { border-bottom: 1px solid var(--border); padding: 0.6rem 1.5rem; display: flex; gap: 1.25rem; align-items: baseline; flex-wrap: wrap; }
header.site .brand { font-weight: 700; color: var(--fg); text-decoration: none; margin-right: 1rem; }
header.site a { color: var(--accent); text-decoration: none; }
.layout { display: flex; max-width: 1200px; margin: 0 auto; }
nav.guides { flex: 0 0 15rem; padding: 1.5rem 1rem; border-right: 1px solid var(--border); }
nav.guides ol { padding-left: 1.2rem; margin: 0.3rem 0 0; }
nav.guides a { color: var(--fg); text-decoration: none; }
nav.guides a[aria-current] { font-weight: 700; color: var(--accent); }
main { flex: 1; min-width: 0; padding: 1.5rem 2.5rem 4rem; max-width: 52rem; }
main.wide { max-width: 60rem; margin: 0 auto; }
h1, h2, h3 { line-height: 1.25; }
h2 { margin-top: 2.2rem; border-bottom: 1px solid var(--border); padding-bottom: 0.3rem; }
a { color: var(--accent); }
code { font: 0.9em/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 3px; }
pre { background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px; padding: 0.9rem 1rem; overflow-x: auto; }
pre code { background: none; padding: 0; font-size: 0.85em; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid var(--border); padding: 0.35rem 0.7rem; text-align: left; vertical-align: top; }
th { background: var(--code-bg); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 1rem; margin: 1.5rem 0; }
.card { border: 1px solid var(--border); border-radius: 8px; padding: 1rem 1.2rem; }
.card h2 { border: 0; margin: 0 0 0.4rem; font-size: 1.15rem; }
.source { color: var(--muted); font-size: 0.85rem; }
img { max-width: 100%; }
.entries code { white-space: nowrap; }
/* Long lines wrap instead of hiding behind a scrollbar; the copy button copies the lines as written. */
.code { position: relative; }
.code pre { white-space: pre-wrap; overflow-wrap: anywhere; padding-right: 4.5rem; }
.code button.copy { position: absolute; top: 0.45rem; right: 0.45rem; font: 0.75rem system-ui, sans-serif; padding: 0.2rem 0.55rem; border: 1px solid var(--border); border-radius: 4px; background: var(--bg); color: var(--muted); cursor: pointer; }
.code button.copy:hover, .code button.copy:focus-visible { color: var(--accent); border-color: var(--accent); }
nav.guides details > summary { font-weight: 700; cursor: pointer; list-style: none; }
nav.guides details > summary::-webkit-details-marker { display: none; }
/* Phones: one column, the guide list folds away above the text and tables scroll on their own. */
@media (max-width: 760px) {
  header.site { padding: 0.6rem 1rem; gap: 0.4rem 1rem; }
  .layout { flex-direction: column; }
  nav.guides { flex: none; border-right: 0; border-bottom: 1px solid var(--border); padding: 0.7rem 1rem; }
  nav.guides details > summary::after { content: " ▸"; }
  nav.guides details[open] > summary::after { content: " ▾"; }
  main, main.wide { width: 100%; max-width: 100%; padding: 1rem 1rem 3rem; }
  table { display: block; overflow-x: auto; }
  p code, li code { overflow-wrap: anywhere; }
}
${HIGHLIGHT_CSS}`;

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** `prefix` is the path from the page to the site root ('' or '../'). */
function page({ title, body, prefix, current, wide = false }) {
  const guideNav = GUIDES.map(
    ([slug, name]) => `<li><a href="${prefix}guides/${slug}.html"${current === slug ? ' aria-current="page"' : ''}>${escapeHtml(name)}</a></li>`,
  ).join('');
  // Open by default (readable without scripts); PAGE_SCRIPT folds it on narrow screens.
  const nav = wide ? '' : `<nav class="guides" aria-label="Guides"><details open><summary>Guides</summary><ol>${guideNav}</ol></details></nav>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Grantex TypeScript SDK</title>
<link rel="stylesheet" href="${prefix}assets/site.css">
</head>
<body>
<header class="site">
<a class="brand" href="${prefix}index.html">Grantex TypeScript SDK</a>
<a href="${prefix}guides/getting-started.html">Guides</a>
<a href="${prefix}reference.html">API reference</a>
<a href="${prefix}sdk/index.html">SDK reference</a>
<a href="${prefix}benchmarks.html">Benchmarks</a>
<a href="${prefix}changelog.html">Changelog</a>
</header>
<div class="layout">
${nav}
<main${wide ? ' class="wide"' : ''}>
${body}
</main>
</div>
<script src="${prefix}assets/site.js"></script>
</body>
</html>
`;
}

/**
 * The site's only script: folds the guide list on narrow screens and gives every code block a copy
 * button. The page works without it; nothing here loads from the network.
 */
const PAGE_SCRIPT = `(() => {
  const nav = document.querySelector('nav.guides details');
  if (nav && window.matchMedia('(max-width: 760px)').matches) nav.open = false;
  for (const pre of document.querySelectorAll('main pre')) {
    const box = document.createElement('div');
    box.className = 'code';
    pre.replaceWith(box);
    box.append(pre);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy this code');
    button.addEventListener('click', async () => {
      const text = pre.innerText.replace(/\\n$/, '');
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = 'Copied';
      } catch {
        // Without clipboard access (a file:// page, an old browser), select the text for Ctrl+C.
        const range = document.createRange();
        range.selectNodeContents(pre);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        button.textContent = 'Selected';
      }
      setTimeout(() => { button.textContent = 'Copy'; }, 1500);
    });
    box.append(button);
  }
})();
`;

// ---------------------------------------------------------------------------------------------
// Markdown

/** GitHub's heading slugs, so that `#anchors` work on GitHub and on the site alike. */
export function slugify(text) {
  return text
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/** operationId → { tag, http: 'GET /v1/agents' } for every operation of the spec. */
function operationIndex(spec) {
  const index = new Map();
  for (const [route, item] of [...Object.entries(spec.paths ?? {}), ...Object.entries(spec.webhooks ?? {})]) {
    for (const [method, operation] of Object.entries(item)) {
      if (operation && typeof operation === 'object' && operation.operationId) {
        index.set(operation.operationId, { tag: operation.tags?.[0], http: `${method.toUpperCase()} ${route}` });
      }
    }
  }
  return index;
}

/** The sections of generated/operations.gen.md by heading slug (what a code host anchors them as). */
function operationSections() {
  const file = path.join(root, 'generated', 'operations.gen.md');
  const sections = new Map();
  for (const part of readFileSync(file, 'utf8').split(/^## /m).slice(1)) {
    const [heading, ...rest] = part.split('\n');
    sections.set(slugify(heading), rest.join('\n'));
  }
  return sections;
}

/**
 * A guide links to an operation as `[text](../../generated/operations.gen.md#<namespace> "api:<operationId>")`
 * and to the SDK reference as `[text](../../src/<file>.ts "sdk:<page under docs/site/sdk>")`: on a code
 * host the link opens the operation index or the source file, on the site the title says where it
 * goes. Returns the site URL, or throws when the two halves disagree.
 */
function referenceLink(token, { prefix, operations, sourceFile }) {
  const title = token.title ?? '';
  if (title.startsWith('api:')) {
    const id = title.slice(4);
    const operation = operations.get(id);
    if (!operation) throw new Error(`${sourceFile}: unknown operationId in link title ${title}`);
    const [file, fragment = ''] = token.href.split('#');
    const section = file === '../../generated/operations.gen.md' ? operationSections().get(fragment) : undefined;
    if (!section?.includes(`\`${operation.http}\``)) {
      throw new Error(`${sourceFile}: the link to ${id} must point at ../../generated/operations.gen.md#<the namespace listing ${operation.http}>, not ${token.href}`);
    }
    return `${prefix}reference.html${operationHref(operation.tag, id)}`;
  }
  if (title.startsWith('site:')) {
    // A page the site builds (the reference); on a code host the link opens its source.
    if (!existsSync(path.join(root, 'docs', 'guides', token.href))) throw new Error(`${sourceFile}: ${token.href} does not exist`);
    return `${prefix}${title.slice(5)}`;
  }
  if (title.startsWith('sdk:')) {
    if (!/^\.\.\/\.\.\/src\/[\w/.-]+\.ts$/.test(token.href) || !existsSync(path.join(root, token.href.slice('../../'.length)))) {
      throw new Error(`${sourceFile}: the link titled ${title} must point at a source file (../../src/…), not ${token.href}`);
    }
    return `${prefix}sdk/${title.slice(4)}`;
  }
  return undefined;
}

/** Redoc's hash-router address of a tag or an operation. */
export const tagSlug = (tag) => tag.toLowerCase().trim().replace(/\s+/g, '-');
export const operationHref = (tag, operationId) => `#/${tagSlug(tag)}/${operationId.toLowerCase()}`;

function renderMarkdown(markdown, { prefix, operations, sourceFile }) {
  const used = new Map();
  const marked = new Marked({ gfm: true });
  marked.use({
    walkTokens(token) {
      if (token.type !== 'link' && token.type !== 'image') return;
      const href = token.href;
      const reference = referenceLink(token, { prefix, operations, sourceFile });
      if (reference) {
        token.href = reference;
        token.title = null;
      } else if (/^(api|sdk):/.test(href)) {
        throw new Error(`${sourceFile}: ${href} is dead on a code host; write the target as the link and \`${href}\` as its title`);
      } else if (href.startsWith('../../examples/')) {
        token.href = `${prefix}examples/${href.slice('../../examples/'.length)}`;
      } else if (href.startsWith('../site/')) {
        throw new Error(`${sourceFile}: ${href} is not committed, so dead on a code host; link its source with the title "site:${href.slice('../site/'.length)}"`);
      } else if (href === '../../openapi.yaml') {
        token.href = `${prefix}openapi.yaml`;
      } else if (href === '../benchmarks.md') {
        token.href = `${prefix}benchmarks.html`;
      } else if (href === 'benchmarks.svg') {
        token.href = `${prefix}benchmarks.svg`;
      } else if (!/^[a-z]+:/i.test(href) && /\.md(#|$)/.test(href)) {
        token.href = href.replace(/\.md(#|$)/, '.html$1');
      }
    },
    renderer: {
      code({ text, lang }) {
        const language = (lang ?? '').trim().split(/\s+/)[0];
        const cls = language ? ` class="language-${escapeHtml(language)}"` : '';
        return `<pre><code${cls}>${highlight(text.replace(/\n$/, ''), language)}</code></pre>\n`;
      },
      heading({ tokens, depth, text }) {
        const inner = this.parser.parseInline(tokens);
        let id = slugify(text);
        const n = used.get(id) ?? 0;
        used.set(id, n + 1);
        if (n) id = `${id}-${n}`;
        return `<h${depth} id="${id}">${inner}</h${depth}>\n`;
      },
    },
  });
  // The snippet markers (<!-- example: … -->) say where a block comes from; show it.
  const withSources = markdown.replace(
    /<!--\s*example:\s*(examples\/[\w.-]+\.ts)(?:#([\w-]+))?\s*-->/g,
    (_, file, region) => `<p class="source">From <a href="${prefix}${file}">${file}</a>${region ? ` (region <code>${region}</code>)` : ''}</p>\n\n`,
  );
  return marked.parse(withSources);
}

function titleOf(markdown, fallback) {
  return /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() ?? fallback;
}

// ---------------------------------------------------------------------------------------------
// Build steps

// REDOCLY_TELEMETRY=off keeps the CLI from reporting the build AND is what sets
// `disableTelemetry` in the page; without it the reference sends traces to otel.cloud.redocly.com.
const TOOL_ENV = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };

function run(title, command, args) {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', env: TOOL_ENV });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) {
    console.error(output);
    throw new Error(`${title} failed (exit ${result.status})`);
  }
  console.log(`✔ ${title} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return output;
}

// Redocly's renderer shows its logo from a CDN; the site must not touch the network.
const REMOTE_ASSETS = [
  'https://cdn.redoc.ly/redoc/logo-mini-full.svg',
  'https://cdn.redoc.ly/redoc/logo-mini.svg',
];
const BLANK_SVG = 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%221%22 height=%221%22/%3E';

/**
 * Redoc's search index drops line breaks instead of reading them as spaces, so a description wrapped
 * as `revoking it\nalso revoked` is found and excerpted as "italso". Joining the lines of each
 * paragraph with a space renders the same Markdown and keeps the words apart in the index. Lists,
 * tables, headings, quotes and code are left as they are.
 */
export function unwrapParagraphs(text) {
  const lines = text.split('\n');
  const out = [];
  let fenced = false;
  const structural = (line) => /^\s*([-*+] |\d+[.)] |[|#>]|`{3}|~{3})/.test(line) || /^( {4}|\t)/.test(line);
  for (const line of lines) {
    const previous = out.at(-1);
    if (/^\s*(`{3}|~{3})/.test(line)) fenced = !fenced;
    const joinable = !fenced && previous !== undefined && previous.trim() !== '' && line.trim() !== '' && !structural(line) && !/^\s*[|#]/.test(previous) && !/ {2}$/.test(previous) && !/^\s*(`{3}|~{3})/.test(previous);
    if (joinable) out[out.length - 1] = `${previous} ${line.trim()}`;
    else out.push(line);
  }
  return out.join('\n');
}

function keepWordBreaks(node) {
  if (Array.isArray(node)) return node.forEach(keepWordBreaks);
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples') continue; // data, not prose
    if (typeof value === 'string' && (key === 'description' || key === 'summary')) node[key] = unwrapParagraphs(value);
    else keepWordBreaks(value);
  }
}

function buildReference(spec) {
  const out = path.join(SITE, 'reference.html');
  // The reference is built from a copy of the spec with the SDK call of every operation added as a
  // code sample; openapi.yaml itself stays as it is (and is what the site offers for download).
  const withSamples = structuredClone(spec);
  keepWordBreaks(withSamples);
  const samples = addCodeSamples(withSamples);
  const specFile = path.join(root, '.tmp', 'docs', 'openapi.with-sdk-samples.yaml');
  mkdirSync(path.dirname(specFile), { recursive: true });
  writeFileSync(specFile, stringifyYaml(withSamples, { lineWidth: 0 }));
  run('API reference (redocly build-docs --inlineBundle)', bin('redocly'), [
    'build-docs',
    path.relative(root, specFile),
    '--inlineBundle',
    '--output',
    out,
    '--title',
    `${spec.info.title} reference`,
  ]);
  const missing = samples.unmapped.length ? `; no x-grantex-sdk yet: ${samples.unmapped.join(', ')}` : '';
  console.log(`  SDK code samples: ${samples.withSample} operations${samples.notInSdk ? `, ${samples.notInSdk} marked as not in the SDK` : ''}${missing}`);
  let html = readFileSync(out, 'utf8');
  if (!html.includes('<script') || /<script[^>]+src=["']https?:/i.test(html)) {
    throw new Error('reference.html loads its renderer from the network: is --inlineBundle still honoured?');
  }
  if (!html.includes('"disableTelemetry":true')) throw new Error('reference.html would send telemetry: REDOCLY_TELEMETRY=off was not honoured');
  for (const asset of REMOTE_ASSETS) html = html.split(asset).join(BLANK_SVG);
  writeFileSync(out, html);
  return samples;
}

/** The source file behind each subpath of package.json's exports map, from scripts/sdk-entries.mjs. */
function sdkEntryPoints(manifest) {
  const entries = exportedSubpaths(manifest).map((subpath) => {
    const name = specifierOf(manifest.name, subpath);
    const entry = SDK_ENTRIES.find((e) => e.name === name);
    if (!entry) throw new Error(`package.json exports ${name}, but scripts/sdk-entries.mjs names no source file for it`);
    return { name, subpath, file: entry.file };
  });
  return entries;
}

function buildSdkReference(entries) {
  const args = ['--options', 'typedoc.json', ...entries.flatMap((e) => ['--entryPoints', e.file])];
  const output = run(`SDK reference (typedoc, ${entries.length} entry points)`, bin('typedoc'), args);
  const warnings = output.split('\n').filter((line) => /\[warning\]/.test(line));
  if (warnings.length) console.log(`  typedoc: ${warnings.length} warning(s)\n  ${warnings.slice(0, 10).join('\n  ')}`);
}

/** The TypeDoc page of an entry point (its module page), or the reference's index when TypeDoc named it otherwise. */
function sdkPageOf(name) {
  const page = `modules/${name.replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}.html`;
  return existsSync(path.join(SITE, 'sdk', page)) ? `sdk/${page}` : 'sdk/index.html';
}

/** The first sentence of the `@module` comment at the top of an entry's source file. */
function moduleSummary(file) {
  const source = readFileSync(path.join(root, file), 'utf8');
  const comment = /^\s*\/\*\*([\s\S]*?)\*\//.exec(source)?.[1];
  if (!comment || !/@module\b/.test(comment)) return '';
  const text = comment
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, ''))
    .join(' ')
    .replace(/@\w+[^@]*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return /^(.+?\.)(\s|$)/.exec(text)?.[1] ?? text;
}

/** Inline Markdown (code spans, emphasis, links) of a TSDoc sentence, as HTML. */
const inlineMarkdown = (text) => new Marked().parseInline(text.replace(/\{@link\s+([^}|\s]+)[^}]*\}/g, '`$1`'));

function buildGuides(operations) {
  mkdirSync(path.join(SITE, 'guides'), { recursive: true });
  for (const [slug, name] of GUIDES) {
    const source = path.join(root, 'docs', 'guides', `${slug}.md`);
    if (!existsSync(source)) throw new Error(`missing guide docs/guides/${slug}.md`);
    const markdown = readFileSync(source, 'utf8');
    const body = renderMarkdown(markdown, { prefix: '../', operations, sourceFile: `docs/guides/${slug}.md` });
    writeFileSync(path.join(SITE, 'guides', `${slug}.html`), page({ title: titleOf(markdown, name), body, prefix: '../', current: slug }));
  }
  console.log(`✔ ${GUIDES.length} guides (marked)`);
}

function buildBenchmarks(operations) {
  const source = path.join(root, 'docs', 'benchmarks.md');
  let body;
  if (existsSync(source)) {
    body = renderMarkdown(readFileSync(source, 'utf8'), { prefix: '', operations, sourceFile: 'docs/benchmarks.md' });
    if (existsSync(path.join(root, 'docs', 'benchmarks.svg'))) copyFileSync(path.join(root, 'docs', 'benchmarks.svg'), path.join(SITE, 'benchmarks.svg'));
  } else {
    body = '<h1>Benchmarks</h1><p>No report yet: run <code>npm run bench</code>, then <code>npm run docs</code>.</p>';
  }
  writeFileSync(path.join(SITE, 'benchmarks.html'), page({ title: 'Benchmarks', body, prefix: '', wide: true }));
}

/** The lines between `// #region name` and `// #endregion name` of examples/<file>, dedented. */
function exampleRegion(file, name) {
  const lines = readFileSync(path.join(root, 'examples', file), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${name}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === `// #endregion ${name}`);
  if (start < 0 || end < 0) throw new Error(`examples/${file} has no region ${name}`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => /^ */.exec(l)[0].length));
  return body.map((l) => l.slice(indent)).join('\n').trim();
}

function buildChangelog(operations) {
  const markdown = readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
  const body = renderMarkdown(markdown, { prefix: '', operations, sourceFile: 'CHANGELOG.md' });
  writeFileSync(path.join(SITE, 'changelog.html'), page({ title: 'Changelog', body, prefix: '', wide: true }));
}

function buildIndex(spec, manifest, entries, samples) {
  const tags = (spec.tags ?? []).map((t) => t.name);
  const operationCount = [...operationIndex(spec).keys()].length;
  const guides = GUIDES.map(([slug, name]) => `<li><a href="guides/${slug}.html">${escapeHtml(name)}</a></li>`).join('');
  const entryRows = entries
    .map((e) => {
      const summary = moduleSummary(e.file);
      return `<tr><td><a href="${sdkPageOf(e.name)}"><code>${escapeHtml(e.name)}</code></a></td><td>${summary ? inlineMarkdown(summary) : ''}</td></tr>`;
    })
    .join('\n');
  const body = `<h1>Grantex TypeScript SDK</h1>
<p><strong><code>${escapeHtml(manifest.name)}</code> ${escapeHtml(manifest.version)}</strong>, for version ${escapeHtml(spec.info.version)} of the ${escapeHtml(spec.info.title)}.
Delegated authorization for AI agents from TypeScript, on Node, Deno, Bun, Cloudflare Workers and browsers.</p>
<pre><code class="language-sh">${highlight(`npm install ${manifest.name}@${manifest.version}`, 'sh')}</code></pre>
<h2 id="quickstart">Quickstart</h2>
<p>Register an agent, ask a user for consent, exchange the code for a grant token, delegate and revoke
(from <a href="examples/getting-started.ts">examples/getting-started.ts</a>). In a clone of the repository,
<code>npm install &amp;&amp; npm run demo</code> runs the whole flow against a local Grantex started for it.</p>
<pre><code class="language-ts">${highlight(exampleRegion('getting-started.ts', 'readme-quickstart'), 'ts')}</code></pre>
<h2 id="entry-points">Entry points</h2>
<p>Each is its own import; the helper entry points load neither the HTTP client nor the validators.</p>
<table class="entries">
<thead><tr><th>import from</th><th>what it holds</th></tr></thead>
<tbody>
${entryRows}
</tbody>
</table>
<div class="cards">
<section class="card"><h2><a href="guides/getting-started.html">Guides</a></h2><p>The SDK, task by task. Every code block is a region of a runnable file in <code>examples/</code>.</p><ol>${guides}</ol></section>
<section class="card"><h2><a href="reference.html">API reference</a></h2><p>Every operation of <a href="openapi.yaml">openapi.yaml</a>: ${operationCount} operations in ${tags.length} tags (${tags.map(escapeHtml).join(', ')}), ${samples.withSample} of them with the SDK call that performs it.</p></section>
<section class="card"><h2><a href="sdk/index.html">SDK reference</a></h2><p>The TypeScript surface of every entry point: <code>Grantex</code>, its namespaces, the errors and the helpers (TypeDoc).</p></section>
<section class="card"><h2><a href="benchmarks.html">Benchmarks</a></h2><p>SDK overhead against raw <code>fetch</code> and raw <code>jose</code>, cold import and bundle sizes.</p></section>
</div>`;
  writeFileSync(path.join(SITE, 'index.html'), page({ title: 'Documentation', body, prefix: '', wide: true }));
}

export async function buildDocs() {
  const started = performance.now();
  const spec = parseYaml(readFileSync(path.join(root, 'openapi.yaml'), 'utf8'));
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const operations = operationIndex(spec);
  const entries = sdkEntryPoints(manifest);
  rmSync(SITE, { recursive: true, force: true });
  mkdirSync(path.join(SITE, 'assets'), { recursive: true });
  writeFileSync(path.join(SITE, 'assets', 'site.css'), CSS.trimStart());
  writeFileSync(path.join(SITE, 'assets', 'site.js'), PAGE_SCRIPT);
  const samples = buildReference(spec);
  buildSdkReference(entries);
  buildGuides(operations);
  buildBenchmarks(operations);
  buildChangelog(operations);
  buildIndex(spec, manifest, entries, samples);
  mkdirSync(path.join(SITE, 'examples'), { recursive: true });
  for (const file of readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.ts'))) {
    copyFileSync(path.join(root, 'examples', file), path.join(SITE, 'examples', file));
  }
  copyFileSync(path.join(root, 'openapi.yaml'), path.join(SITE, 'openapi.yaml'));
  writeFileSync(path.join(SITE, 'build-info.json'), `${JSON.stringify({ builtAt: new Date().toISOString(), ...computeStamp() }, null, 2)}\n`);
  console.log(`docs/site built in ${((performance.now() - started) / 1000).toFixed(1)} s: open docs/site/index.html`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  if (process.argv.includes('--check')) {
    const problems = checkStamp();
    for (const problem of problems) console.error(`✖ ${problem}`);
    if (problems.length) process.exit(1);
    console.log('✔ docs/site is up to date with openapi.yaml, the guides, the examples and src/');
  } else {
    try {
      await buildDocs();
    } catch (error) {
      // The failing tool has printed its own output; a stack trace of this script would add nothing.
      console.error(`✖ docs build failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  }
}
