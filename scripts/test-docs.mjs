#!/usr/bin/env node
// `npm run test:docs`: opens the built site (docs/site, from `npm run docs`) in headless Debian
// Chromium, served from 127.0.0.1, and checks that:
//   - the site is not older than its inputs (openapi.yaml, guides, examples, src/): else "run npm run docs";
//   - the API reference shows every tag of openapi.yaml in its sidebar, and every operation: its
//     sidebar entry and its rendered section with the operation's summary as heading;
//   - every link and image of the landing page, the guides and the benchmarks page resolves: local
//     targets answer 200, `#anchors` exist in the target page (for the reference: the operation or tag);
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

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const screenshots = path.join(root, 'docs', 'screenshots');
const failures = [];
const fail = (message) => {
  failures.push(message);
  console.error(`  ✖ ${message}`);
};

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
          operations.push({ id: operation.operationId, tag: operation.tags?.[0], summary: operation.summary, method: method.toUpperCase(), route: kind === 'webhook' ? `webhook ${route}` : route, webhook: kind === 'webhook' });
        }
      }
    }
  }
  return operations;
}

async function main() {
  const started = performance.now();
  console.log('▶ docs site is current');
  for (const problem of checkStamp()) fail(problem);
  if (failures.length) return;
  console.log('  ✔ docs/site was built from the current inputs');

  const spec = parseYaml(readFileSync(path.join(root, 'openapi.yaml'), 'utf8'));
  const tags = (spec.tags ?? []).map((t) => t.name);
  const operations = specOperations(spec);

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
    console.log(`▶ API reference: ${tags.length} tags, ${operations.length} operations of openapi.yaml`);
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
    for (const operation of operations) {
      const slug = tagSlug(operation.tag ?? '');
      const anchor = `${slug}/${operation.id.toLowerCase()}`;
      if (!hrefs.has(`/${anchor}`)) {
        fail(`operation ${operation.id} (${operation.method} ${operation.route}) has no sidebar entry #/${anchor}`);
        continue;
      }
      await page.evaluate((hash) => {
        location.hash = hash;
      }, `#/${anchor}`);
      const heading = await page
        .waitForFunction(
          (id) => {
            const section = document.getElementById(id);
            const h = section?.querySelector('h1, h2, h3');
            return h ? h.textContent.trim() : false;
          },
          anchor,
          { timeout: 10_000 },
        )
        .then((handle) => handle.jsonValue())
        .catch(() => undefined);
      if (heading === undefined) fail(`operation ${operation.id}: section #${anchor} did not render`);
      // Redoc adds a "Webhook" badge to the heading of an event.
      else if ((operation.webhook ? heading.replace(/\s*Webhook$/, '') : heading) !== operation.summary.trim()) fail(`operation ${operation.id}: heading "${heading}" is not the summary "${operation.summary}"`);
      else operationsFound++;
    }
    console.log(`  ${tagsFound === tags.length ? '✔' : '✖'} tags in the sidebar: ${tagsFound}/${tags.length}`);
    console.log(`  ${operationsFound === operations.length ? '✔' : '✖'} operations rendered with their summary: ${operationsFound}/${operations.length}`);
    // The reference's anchors, for checking the guides' links below.
    const referenceAnchors = new Set([...hrefs].filter((h) => h.startsWith('/')).map((h) => h.slice(1)));

    mkdirSync(screenshots, { recursive: true });
    await page.evaluate(() => {
      location.hash = '#/tokens/exchangetoken';
    });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(screenshots, 'reference.png') });

    // ---------------------------------------------------------------- guides and links
    const pages = ['index.html', ...GUIDES.map(([slug]) => `guides/${slug}.html`), 'benchmarks.html'];
    console.log(`▶ links of ${pages.length} pages (landing page, ${GUIDES.length} guides, benchmarks)`);
    const htmlCache = new Map();
    const fetchLocal = async (url) => {
      if (!htmlCache.has(url)) {
        const response = await fetch(url);
        htmlCache.set(url, { status: response.status, text: response.status === 200 ? await response.text() : '' });
      }
      return htmlCache.get(url);
    };
    let checked = 0;
    const external = new Set();
    for (const name of pages) {
      await page.goto(`${origin}/${name}`, { waitUntil: 'load' });
      if (name === 'guides/getting-started.html') await page.screenshot({ path: path.join(screenshots, 'guide.png'), fullPage: false });
      // Markdown that failed to render shows up as literal fences.
      if ((await page.evaluate(() => document.querySelector('main')?.innerText ?? '')).includes('```')) fail(`${name}: unrendered Markdown (a literal \`\`\` fence)`);
      if (name.startsWith('guides/') && (await page.locator('main pre code').count()) === 0) fail(`${name}: no code blocks rendered`);
      const targets = await page.$$eval('a[href], img[src], link[href]', (elements) =>
        elements.map((e) => (e.tagName === 'IMG' ? e.src : e.href)),
      );
      for (const target of targets) {
        const url = new URL(target);
        if (url.origin !== origin) {
          if (url.protocol === 'http:' || url.protocol === 'https:') external.add(url.href);
          else fail(`${name}: link with unexpected scheme ${target}`);
          continue;
        }
        checked++;
        const file = `${url.origin}${url.pathname}`;
        const { status, text } = await fetchLocal(file);
        if (status !== 200) {
          fail(`${name}: ${url.pathname} answers ${status}`);
          continue;
        }
        if (!url.hash || url.hash === '#') continue;
        const fragment = decodeURIComponent(url.hash.slice(1));
        if (url.pathname === '/reference.html') {
          if (!referenceAnchors.has(fragment.replace(/^\//, ''))) fail(`${name}: ${url.pathname}${url.hash} is not an operation or tag of the reference`);
        } else if (!text.includes(`id="${fragment}"`) && !text.includes(`name="${fragment}"`)) {
          fail(`${name}: anchor ${url.pathname}${url.hash} does not exist`);
        }
      }
    }
    console.log(`  ${failures.length ? '·' : '✔'} local links and images checked: ${checked} (all 200, anchors present); external links (not requested): ${external.size}`);

    await page.goto(`${origin}/index.html`, { waitUntil: 'load' });
    await page.screenshot({ path: path.join(screenshots, 'index.png') });
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
