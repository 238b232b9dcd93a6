// Folds a spec fragment (a YAML file with top-level `tags`, `paths` and `components`) into a copy
// of openapi.yaml, keeping the comments and layout of both. Refuses any name that already exists.
// Usage: node scripts/merge-spec-fragment.mjs <fragment.yaml> [--out <file>] (default: in place)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isSeq, parseDocument } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const fragmentFile = args[0];
const outIndex = args.indexOf('--out');
const target = path.join(root, 'openapi.yaml');
const out = outIndex >= 0 ? path.resolve(args[outIndex + 1]) : target;
if (!fragmentFile) {
  console.error('usage: node scripts/merge-spec-fragment.mjs <fragment.yaml> [--out <file>]');
  process.exit(2);
}

const spec = parseDocument(readFileSync(target, 'utf8'));
const fragment = parseDocument(readFileSync(fragmentFile, 'utf8'));
const conflicts = [];

function mergeMap(into, from, where) {
  if (!isMap(from)) return;
  for (const pair of from.items) {
    const key = String(pair.key.value ?? pair.key);
    if (into.has(key)) conflicts.push(`${where}.${key}`);
    else into.items.push(pair);
  }
}

const fragmentTags = fragment.get('tags');
if (isSeq(fragmentTags)) {
  const tags = spec.get('tags');
  const existing = new Set(tags.items.map((tag) => tag.get('name')));
  for (const tag of fragmentTags.items) {
    if (existing.has(tag.get('name'))) conflicts.push(`tags.${tag.get('name')}`);
    else tags.items.push(tag);
  }
}
mergeMap(spec.get('paths'), fragment.get('paths'), 'paths');
const fragmentComponents = fragment.get('components');
if (isMap(fragmentComponents)) {
  for (const pair of fragmentComponents.items) {
    const section = String(pair.key.value ?? pair.key);
    if (!spec.hasIn(['components', section])) spec.setIn(['components', section], spec.createNode({}));
    mergeMap(spec.getIn(['components', section]), pair.value, `components.${section}`);
  }
}
if (conflicts.length > 0) {
  console.error(`Not merged: these names already exist in openapi.yaml:\n  ${conflicts.join('\n  ')}`);
  process.exit(1);
}
writeFileSync(out, spec.toString({ lineWidth: 0, flowCollectionPadding: false }));
console.log(`merged ${path.relative(root, fragmentFile)} into ${path.relative(root, out)}`);
