#!/usr/bin/env node
// README.md is shown on npm from the tarball, where only the files listed by `npm pack` exist: a
// relative link to anything else (openapi.yaml, examples/, docs/) is dead there. This lists such
// links, so that they can be written as absolute URLs to the repository.
//
//   node scripts/lib/readme-links.mjs     exit 1 and list the links when README.md has any
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Markdown links and images, and HTML href/src attributes, with their line numbers. */
function linksOf(markdown) {
  const links = [];
  const lines = markdown.split('\n');
  let fenced = false;
  lines.forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) return;
    for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line: i + 1, href: m[1] });
    for (const m of line.matchAll(/\b(?:href|src)\s*=\s*"([^"]+)"/g)) links.push({ line: i + 1, href: m[1] });
  });
  // Reference-style definitions: [name]: target
  lines.forEach((line, i) => {
    const m = /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)/.exec(line);
    if (m) links.push({ line: i + 1, href: m[1] });
  });
  return links;
}

/** The relative links of `markdown` whose target is not among `shippedFiles` (paths inside the package). */
export function unshippedLinks(markdown, shippedFiles) {
  const shipped = new Set(shippedFiles.map((f) => f.replace(/^package\//, '').replace(/^\.\//, '')));
  const shippedDirs = new Set([...shipped].flatMap((f) => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  return linksOf(markdown).filter(({ href }) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('//')) return false;
    const target = path.posix.normalize(decodeURIComponent(href.split('#')[0].split('?')[0])).replace(/^\.\//, '').replace(/\/$/, '');
    return !(shipped.has(target) || shippedDirs.has(target));
  });
}

/** The files `npm pack` would put in the tarball (without building or writing anything). */
export function packedFiles() {
  const out = execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  return JSON.parse(out.slice(out.indexOf('[')))[0].files.map((f) => f.path);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const dead = unshippedLinks(readFileSync(path.join(root, 'README.md'), 'utf8'), packedFiles());
  if (dead.length) {
    console.error(`✖ README.md links to ${dead.length} file(s) that are not in the npm tarball; write them as absolute URLs:`);
    for (const { line, href } of dead) console.error(`  README.md:${line}: ${href}`);
    process.exitCode = 1;
  } else {
    console.log('✔ every relative link of README.md resolves inside the npm tarball');
  }
}
