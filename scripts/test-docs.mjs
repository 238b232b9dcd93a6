#!/usr/bin/env node
// `npm run test:docs`: checks the built site (docs/site, from `npm run docs`):
//   - the site is not older than its inputs (openapi.yaml, guides, examples, src/, package.json, the
//     build scripts): else "run npm run docs";
//   - no dead end: every page of the site is read, and every link, image, stylesheet and script in
//     it, and every entry of the SDK reference's sidebar and search data, must resolve to a file of
//     the site and, with a `#fragment`, to an id in that file (for the API reference: an operation
//     or tag of openapi.yaml). External URLs are listed, never requested;
//   - in headless Debian Chromium, served from 127.0.0.1: the API reference shows every tag of
//     openapi.yaml in its sidebar, and every operation its section, with the operation's summary as
//     heading and the SDK call that performs it (the `x-codeSamples` built from `x-grantex-sdk`);
//   - the guides render (no literal Markdown fences) with highlighted code blocks, and the landing
//     page names the package version and every entry point of package.json's exports map;
//   - no page raises an uncaught error, and no request leaves 127.0.0.1 (each is blocked and recorded).
// It saves screenshots to docs/screenshots/ and exits non-zero on any failure.
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { checkStamp, GUIDES, SITE, tagSlug } from './build-docs.mjs';
import { CHROMIUM_ARGS, ensureChromium } from './ensure-chromium.mjs';
import { SAMPLE_LABEL, sdkSample } from './lib/code-samples.mjs';
import { CURL_LABEL } from './lib/curl-samples.mjs';
import { checkSiteLinks } from './lib/link-check.mjs';
import { exportedSubpaths, specifierOf } from './lib/pack.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const screenshots = path.join(root, 'docs', 'screenshots');
const failures = [];
const fail = (message) => {
  failures.push(message);
  console.error(`  ✖ ${message}`);
};
const MAX_LISTED = 25;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ts': 'text/plain; charset=utf-8',
  '.yaml': 'text/plain; charset=utf-8',
};

/** A static file server for docs/site on a free loopback port. */
function serve(dir) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    let file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir)) return void response.writeHead(403).end();
    try {
      if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${server.address().port}` })));
}

/** Every operation of the spec: its paths, and the events of its `webhooks` section (OpenAPI 3.1). */
function specOperations(spec) {
  const operations = [];
  for (const [kind, items] of [['path', spec.paths], ['webhook', spec.webhooks]]) {
    for (const [route, item] of Object.entries(items ?? {})) {
      for (const [method, operation] of Object.entries(item)) {
        if (operation && typeof operation === 'object' && operation.operationId) {
          operations.push({
            id: operation.operationId,
            tag: operation.tags?.[0],
            summary: operation.summary,
            method: method.toUpperCase(),
            route: kind === 'webhook' ? `webhook ${route}` : route,
            webhook: kind === 'webhook',
            sample: kind === 'path' ? sdkSample(spec, operation, item) : undefined,
          });
        }
      }
    }
  }
  return operations;
}

/** The line of a code sample that names the SDK call (what the reader looks for). */
function callLine(sample) {
  const lines = sample.split('\n').filter((l) => l.trim() && !l.startsWith('import ') && !/^const client = new Grantex/.test(l));
  return lines[0]?.trim();
}
const squash = (s) => s.replace(/\s+/g, ' ').trim();

function list(items, describe) {
  for (const item of items.slice(0, MAX_LISTED)) fail(describe(item));
  if (items.length > MAX_LISTED) fail(`… and ${items.length - MAX_LISTED} more`);
}

async function main() {
  const started = performance.now();
  console.log('▶ docs site is current');
  for (const problem of checkStamp()) fail(problem);
  if (failures.length) return;
  console.log('  ✔ docs/site was built from the current inputs');

  const spec = parseYaml(readFileSync(path.join(root, 'openapi.yaml'), 'utf8'));
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const tags = (spec.tags ?? []).map((t) => t.name);
  const operations = specOperations(spec);
  const referenceAnchors = new Set([...tags.map(tagSlug), ...operations.map((o) => `${tagSlug(o.tag ?? '')}/${o.id.toLowerCase()}`)]);

  // ---------------------------------------------------------------- every page, every link
  console.log('▶ every page of the site, every link (static crawl)');
  const crawl = checkSiteLinks(SITE, {
    skipPages: ['reference.html'],
    // The reference routes by hash (#/<tag>/<operationid>): check against the spec; the browser
    // part below checks that each of these routes renders.
    checkFragment: (target, fragment) => (target === 'reference.html' ? referenceAnchors.has(fragment.replace(/^\//, '')) : undefined),
  });
  list(crawl.broken, (b) => `${b.page}: ${b.href}: ${b.problem}`);
  list(crawl.orphans, (p) => `${p}: no page links to it`);
  console.log(
    `  ${crawl.broken.length || crawl.orphans.length ? '✖' : '✔'} ${crawl.pages} pages, ${crawl.links.toLocaleString('en-US')} local links: ${crawl.broken.length} broken, ${crawl.orphans.length} pages unreachable; external links (not requested): ${crawl.external.length}`,
  );

  const { server, origin } = await serve(SITE);
  const executablePath = ensureChromium();
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const blocked = [];
  let localRequests = 0;
  const pageErrors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, serviceWorkers: 'block' });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:')) {
        localRequests++;
        return route.continue();
      }
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));

    // ---------------------------------------------------------------- API reference
    const withSample = operations.filter((o) => o.sample !== undefined);
    console.log(`▶ API reference in Chromium: ${tags.length} tags, ${operations.length} operations, ${withSample.length} SDK samples`);
    await page.goto(`${origin}/reference.html`, { waitUntil: 'load' });
    await page.waitForSelector('#api-content', { timeout: 30_000 });
    const sidebar = page.locator('[data-component-name="Menu/MenuItem"]');
    await sidebar.first().waitFor({ timeout: 30_000 });

    const hrefs = new Set();
    const collect = async () => {
      for (const href of await page.$$eval('a[href]', (links) => links.map((a) => a.getAttribute('href')))) hrefs.add(href.replace(/^#/, ''));
    };
    let tagsFound = 0;
    for (const tag of tags) {
      const item = page.locator('.menu-item-type-group').filter({ has: page.getByText(tag, { exact: true }) }).first();
      if ((await item.count()) === 0) {
        fail(`tag "${tag}" is not in the reference's sidebar`);
        continue;
      }
      tagsFound++;
      await item.getByText(tag, { exact: true }).first().click(); // expands the group
      await page.waitForTimeout(50);
      await collect();
    }

    let operationsFound = 0;
    let samplesFound = 0;
    let done = 0;
    for (const operation of operations) {
      if (++done % 40 === 0) console.log(`  … ${done}/${operations.length} operations`);
      const anchor = `${tagSlug(operation.tag ?? '')}/${operation.id.toLowerCase()}`;
      if (!hrefs.has(`/${anchor}`)) {
        fail(`operation ${operation.id} (${operation.method} ${operation.route}) has no sidebar entry #/${anchor}`);
        continue;
      }
      await page.evaluate((hash) => {
        location.hash = hash;
      }, `#/${anchor}`);
      // The heading renders first and the samples panel a moment later: wait for both.
      const read = (wantSample, timeout) =>
        page
          .waitForFunction(
            ([id, label, want]) => {
              const section = document.getElementById(id);
              const h = section?.querySelector('h1, h2, h3');
              if (!h || (want && !section.innerText.includes(label))) return false;
              return { heading: h.textContent.trim(), text: section.innerText };
            },
            [anchor, SAMPLE_LABEL, wantSample],
            { timeout },
          )
          .then((handle) => handle.jsonValue())
          .catch(() => undefined);
      const rendered = (operation.sample !== undefined && (await read(true, 5_000))) || (await read(false, 10_000));
      if (rendered === undefined) {
        fail(`operation ${operation.id}: section #${anchor} did not render`);
        continue;
      }
      // Redoc adds a "Webhook" badge to the heading of an event.
      const heading = operation.webhook ? rendered.heading.replace(/\s*Webhook$/, '') : rendered.heading;
      if (heading !== operation.summary.trim()) fail(`operation ${operation.id}: heading "${heading}" is not the summary "${operation.summary}"`);
      else operationsFound++;
      if (operation.sample !== undefined) {
        const expected = callLine(operation.sample);
        if (!rendered.text.includes(SAMPLE_LABEL)) fail(`operation ${operation.id}: no "${SAMPLE_LABEL}" sample in its section`);
        else if (!squash(rendered.text).includes(squash(expected))) fail(`operation ${operation.id}: the SDK sample does not show \`${expected}\``);
        else samplesFound++;
      }
    }
    const unmapped = operations.filter((o) => !o.webhook && o.sample === undefined).map((o) => o.id);
    console.log(`  ${tagsFound === tags.length ? '✔' : '✖'} tags in the sidebar: ${tagsFound}/${tags.length}`);
    console.log(`  ${operationsFound === operations.length ? '✔' : '✖'} operations rendered with their summary: ${operationsFound}/${operations.length}`);
    console.log(`  ${samplesFound === withSample.length ? '✔' : '✖'} operations showing their SDK call: ${samplesFound}/${withSample.length}`);
    await checkCurlSamples(page, operations.filter((o) => !o.webhook && o.sample !== undefined));
    await checkSearchExcerpt(page);
    // Operations without `x-grantex-sdk` cannot show a call; say which, without failing (the
    // generator's own checks require the extension).
    if (unmapped.length) console.log(`  · no x-grantex-sdk, so no SDK sample: ${unmapped.join(', ')}`);
    for (const anchor of referenceAnchors) {
      if (anchor.includes('/') && !hrefs.has(`/${anchor}`)) fail(`the reference has no route #/${anchor}, which the links were checked against`);
    }

    mkdirSync(screenshots, { recursive: true });
    await page.evaluate(() => {
      location.hash = '#/tokens/exchangetoken';
    });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(screenshots, 'reference.png') });

    // ---------------------------------------------------------------- guides and landing page
    console.log(`▶ landing page and ${GUIDES.length} guides in Chromium`);
    let highlighted = 0;
    for (const [slug] of GUIDES) {
      const name = `guides/${slug}.html`;
      await page.goto(`${origin}/${name}`, { waitUntil: 'load' });
      if (slug === 'getting-started') await page.screenshot({ path: path.join(screenshots, 'guide.png'), fullPage: false });
      // Markdown that failed to render shows up as literal fences.
      if ((await page.evaluate(() => document.querySelector('main')?.innerText ?? '')).includes('```')) fail(`${name}: unrendered Markdown (a literal \`\`\` fence)`);
      const blocks = await page.$$eval('main pre code', (codes) => codes.map((c) => ({ lang: c.className, spans: c.querySelectorAll('[class^="hl-"]').length })));
      if (blocks.length === 0) fail(`${name}: no code blocks rendered`);
      const plain = blocks.filter((b) => /language-(ts|js|sh|bash|json)/.test(b.lang) && b.spans === 0);
      if (plain.length) fail(`${name}: ${plain.length} code block(s) without highlighting`);
      else highlighted += blocks.length;
      const withoutCopy = await page.$$eval('main pre', (pres) => pres.filter((pre) => !pre.parentElement?.querySelector(':scope > button.copy')).length);
      if (withoutCopy) fail(`${name}: ${withoutCopy} code block(s) without a copy button`);
      // Long lines wrap: no code block hides text behind a horizontal scrollbar.
      const cut = await page.$$eval('main pre', (pres) => pres.filter((pre) => pre.scrollWidth > pre.clientWidth + 1).length);
      if (cut) fail(`${name}: ${cut} code block(s) whose long lines are cut off`);
    }
    console.log(`  ${failures.length ? '·' : '✔'} guides rendered; ${highlighted} code blocks highlighted`);

    await page.goto(`${origin}/index.html`, { waitUntil: 'load' });
    const landing = await page.evaluate(() => document.querySelector('main')?.innerText ?? '');
    const entries = exportedSubpaths(manifest).map((s) => specifierOf(manifest.name, s));
    if (!landing.includes(manifest.version)) fail(`index.html: does not name the package version ${manifest.version}`);
    const missingEntries = entries.filter((e) => !landing.includes(e));
    if (missingEntries.length) fail(`index.html: does not list the entry points ${missingEntries.join(', ')}`);
    else console.log(`  ✔ landing page: ${manifest.name} ${manifest.version}, ${entries.length} entry points`);
    const quickstart = await page.$$eval('#quickstart ~ div.code pre code.language-ts, #quickstart ~ pre code.language-ts', (codes) => codes.map((c) => c.innerText));
    if (!quickstart.some((code) => code.includes("from '@grantex/sdk'"))) fail('index.html: no quickstart code block under #quickstart');
    else console.log('  ✔ landing page: quickstart code block');
    await page.screenshot({ path: path.join(screenshots, 'index.png') });
    await page.goto(`${origin}/changelog.html`, { waitUntil: 'load' });
    if (!(await page.evaluate(() => document.querySelector('main h1')?.textContent ?? '')).includes('Changelog')) fail('changelog.html: no Changelog heading');
    await checkPhoneLayout(browser, origin);
    await context.close();
  } finally {
    await browser.close();
    server.closeAllConnections();
    server.close();
  }

  console.log('▶ network and errors');
  for (const url of blocked) fail(`request left localhost (blocked): ${url}`);
  for (const error of pageErrors) fail(`uncaught page error: ${error}`);
  if (!blocked.length) console.log(`  ✔ ${localRequests} requests, all to ${origin}; none blocked`);
  if (!pageErrors.length) console.log('  ✔ no uncaught page errors');
  console.log(`  screenshots: ${['reference.png', 'guide.png', 'index.png'].map((f) => path.relative(root, path.join(screenshots, f))).join(', ')}`);
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

/**
 * Every operation with an SDK call also offers the request as a curl command: the reference holds
 * one per operation, and choosing "curl" in an operation's sample menu shows it.
 */
async function checkCurlSamples(page, withSample) {
  const html = readFileSync(path.join(SITE, 'reference.html'), 'utf8');
  const count = html.split(`"label":"${CURL_LABEL}"`).length - 1;
  // One per operation, plus the label in the renderer's language list.
  if (count < withSample.length) fail(`the reference holds ${count} curl samples for ${withSample.length} operations`);
  const operation = withSample.find((o) => o.method !== 'GET') ?? withSample[0];
  const anchor = `${tagSlug(operation.tag ?? '')}/${operation.id.toLowerCase()}`;
  await page.evaluate((hash) => {
    location.hash = hash;
  }, `#/${anchor}`);
  const section = page.locator(`[id="${anchor}"]`);
  try {
    await section.getByText(SAMPLE_LABEL, { exact: true }).first().click({ timeout: 10_000 });
    await page.getByText(CURL_LABEL, { exact: true }).first().click({ timeout: 10_000 });
    await page.waitForFunction(
      ([id, text]) => document.getElementById(id)?.innerText.includes(text),
      [anchor, `curl -X ${operation.method}`],
      { timeout: 10_000 },
    );
    console.log(`  ✔ curl samples: ${count - 1} in the reference; ${operation.id} shows \`curl -X ${operation.method} …\``);
  } catch {
    fail(`operation ${operation.id}: choosing "${CURL_LABEL}" does not show its curl command`);
  }
}

/** Phone width: no page is wider than the screen and the guide list starts folded. */
async function checkPhoneLayout(browser, origin) {
  const WIDTH = 390;
  const phone = await browser.newContext({ viewport: { width: WIDTH, height: 844 }, isMobile: true, serviceWorkers: 'block' });
  await phone.route('**/*', (route) => (route.request().url().startsWith(`${origin}/`) ? route.continue() : route.abort('blockedbyclient')));
  const page = await phone.newPage();
  const pages = ['index.html', 'changelog.html', ...GUIDES.map(([slug]) => `guides/${slug}.html`)];
  let wide = 0;
  for (const name of pages) {
    await page.goto(`${origin}/${name}`, { waitUntil: 'load' });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > WIDTH) {
      wide++;
      fail(`${name}: ${width} px wide on a ${WIDTH} px screen (the layout does not fit a phone)`);
    }
    if (name.startsWith('guides/') && (await page.evaluate(() => document.querySelector('nav.guides details')?.open)) !== false) {
      fail(`${name}: the guide list is not folded on a ${WIDTH} px screen`);
    }
  }
  await page.goto(`${origin}/guides/getting-started.html`, { waitUntil: 'load' });
  await page.screenshot({ path: path.join(screenshots, 'guide-phone.png') });
  if (!wide) console.log(`  ✔ ${pages.length} pages fit a ${WIDTH} px screen; the guide list folds`);
  await phone.close();
}

/**
 * Redoc's search excerpts must keep the words of a wrapped description apart. Picks a description
 * line break from the spec (a word at the end of one line, a word at the start of the next), searches
 * for the first word, and expects the excerpt to show the two words with a space between them.
 */
async function checkSearchExcerpt(page) {
  const spec = parseYaml(readFileSync(path.join(root, 'openapi.yaml'), 'utf8'));
  const summaries = [];
  const visit = (node) => {
    if (!node || typeof node !== 'object') return;
    if (typeof node.description === 'string' && typeof node.summary === 'string' && node.operationId) summaries.push(node.description);
    for (const value of Object.values(node)) visit(value);
  };
  visit(spec.paths);
  const pair = summaries
    .map((d) => /\b([a-z]{6,})\n([a-z]{4,})\b/.exec(d.split('\n\n')[0]))
    .find(Boolean);
  if (!pair) return console.log('  · no wrapped description to search for');
  const [, first, second] = pair;
  await page.keyboard.press('Control+k');
  await page.keyboard.type(first);
  const excerpts = await page
    .waitForFunction(([a, b]) => {
      // The results list is the part of the page that shows the search term next to its neighbour.
      const text = document.body.innerText;
      return text.includes(`${a}${b}`) || text.includes(`${a} ${b}`) ? text : false;
    }, [first, second], { timeout: 10_000 })
    .then((h) => h.jsonValue())
    .catch(() => '');
  await page.keyboard.press('Escape');
  if (!excerpts) return fail(`search for "${first}" showed no excerpt with "${second}" after it`);
  if (excerpts.includes(`${first}${second}`)) fail(`search excerpt joins "${first}" and "${second}" into "${first}${second}"`);
  else console.log(`  ✔ search excerpts keep words apart ("${first} ${second}")`);
}

try {
  await main();
} catch (error) {
  fail(`test crashed: ${error?.stack ?? error}`);
}
if (failures.length) {
  console.error(`\n✖ docs test failed: ${failures.length} problem(s)`);
  process.exit(1);
}
console.log('\n✔ docs test passed');
