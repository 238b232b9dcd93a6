// A static link checker for the built docs site: reads every HTML page under the site folder, and
// every link, image, script, stylesheet and SVG `<use>` in it, and reports each local target that
// does not exist and each `#fragment` that names no `id`/`name` in its target. TypeDoc builds its
// sidebar and search from compressed data files (assets/navigation.js, assets/search.js) instead
// of HTML, so their URLs are checked too. External URLs are collected, not requested: the docs
// test runs without network.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';

const ATTRIBUTE = /<(a|link|img|script|use|iframe|source)\b[^>]*?\s(href|src|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const ANCHOR = /\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

const decodeEntities = (s) =>
  s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e]);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** The URLs in TypeDoc's compressed navigation and search data (paths relative to the reference's root). */
export function typedocDataUrls(file) {
  const text = readFileSync(file, 'utf8');
  const data = /=\s*"([A-Za-z0-9+/=]+)"/.exec(text)?.[1];
  if (!data) return [];
  const json = JSON.parse(inflateSync(Buffer.from(data, 'base64')).toString('utf8'));
  const urls = [];
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    if (typeof node.path === 'string') urls.push(node.path);
    if (typeof node.url === 'string') urls.push(node.url);
    for (const value of Object.values(node)) if (typeof value === 'object') visit(value);
  };
  visit(json);
  return urls;
}

/**
 * Checks every page of the site at `siteDir`.
 * `checkFragment(targetPath, fragment)`, when given, decides about fragments of pages whose anchors
 * are made at run time (the API reference's hash routes); return `true`, `false` or `undefined`
 * (= check the page's ids as usual).
 * `skipPages` lists pages (relative to the site) whose own links are not read: the API reference
 * renders its links at run time, and its HTML holds the whole spec, where `href` only appears inside
 * descriptions (the browser test checks it). Links *to* it are still checked.
 * Returns `{ pages, links, external, broken: [{ page, href, problem }], orphans }`.
 */
export function checkSiteLinks(siteDir, { checkFragment, skipPages = [], entry = 'index.html' } = {}) {
  const files = walk(siteDir);
  const pages = files.filter((f) => f.endsWith('.html'));
  const anchorCache = new Map();
  const anchorsOf = (file) => {
    if (!anchorCache.has(file)) {
      const text = readFileSync(file, 'utf8');
      const set = new Set();
      for (const m of text.matchAll(ANCHOR)) set.add(decodeEntities(m[1] ?? m[2]));
      anchorCache.set(file, set);
    }
    return anchorCache.get(file);
  };
  const broken = [];
  const external = new Set();
  const linkedTo = new Set();
  let links = 0;

  const check = (fromFile, rawHref, via = '') => {
    const href = decodeEntities(rawHref.trim());
    if (href === '' || /^(data|blob|javascript|mailto|tel):/i.test(href)) return;
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) {
      if (/^https?:|^\/\//i.test(href)) external.add(href);
      else broken.push({ page: fromFile, href, problem: `unexpected scheme${via}` });
      return;
    }
    links++;
    const hashAt = href.indexOf('#');
    const pathPart = (hashAt === -1 ? href : href.slice(0, hashAt)).split('?')[0];
    const fragment = hashAt === -1 ? '' : href.slice(hashAt + 1);
    let target = pathPart === '' ? fromFile : pathPart.startsWith('/') ? path.join(siteDir, pathPart) : path.resolve(path.dirname(fromFile), decodeURIComponent(pathPart));
    if (!target.startsWith(siteDir)) {
      broken.push({ page: fromFile, href, problem: `points outside the site${via}` });
      return;
    }
    if (existsSync(target) && statSync(target).isDirectory()) target = path.join(target, 'index.html');
    if (!existsSync(target)) {
      broken.push({ page: fromFile, href, problem: `missing file ${path.relative(siteDir, target)}${via}` });
      return;
    }
    linkedTo.add(target);
    if (!fragment) return;
    const name = decodeURIComponent(fragment);
    const verdict = checkFragment?.(path.relative(siteDir, target), name);
    if (verdict === true) return;
    if (verdict === false) {
      broken.push({ page: fromFile, href, problem: `no such section in ${path.relative(siteDir, target)}${via}` });
      return;
    }
    if (!/\.(html|svg)$/.test(target)) return;
    if (!anchorsOf(target).has(name)) broken.push({ page: fromFile, href, problem: `no id "${name}" in ${path.relative(siteDir, target)}${via}` });
  };

  for (const page of pages) {
    if (skipPages.includes(path.relative(siteDir, page))) continue;
    const text = readFileSync(page, 'utf8');
    for (const m of text.matchAll(ATTRIBUTE)) check(page, m[3] ?? m[4]);
  }
  // TypeDoc's sidebar and search: URLs relative to the folder that holds assets/.
  for (const data of files.filter((f) => /[\\/]assets[\\/](navigation|search)\.js$/.test(f))) {
    const base = path.join(path.dirname(data), '..', 'index.html');
    for (const url of typedocDataUrls(data)) check(base, url, ` (from ${path.relative(siteDir, data)})`);
  }

  const start = path.join(siteDir, entry);
  const orphans = pages.filter((p) => p !== start && !linkedTo.has(p)).map((p) => path.relative(siteDir, p));
  return {
    pages: pages.length,
    links,
    external: [...external].sort(),
    broken: broken.map((b) => ({ ...b, page: path.relative(siteDir, b.page) })),
    orphans,
  };
}
