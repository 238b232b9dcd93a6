#!/usr/bin/env node
// Checks that package-lock.json was written for the package.json beside it. npm copies the root
// manifest's dependency lists, engines, bin, license, name and version into the lockfile's root
// entry (`packages[""]`); when package.json is edited by hand and the lockfile is not refreshed,
// the next `npm install` on a fresh clone rewrites package-lock.json and leaves the working tree
// dirty. Runs in milliseconds, without npm and without network.
//
//   node scripts/lib/lockfile-sync.mjs     exit 1 and name the differing fields when out of sync
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// The fields npm mirrors into the root entry of a v2/v3 lockfile.
const FIELDS = ['name', 'version', 'license', 'dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'engines', 'os', 'cpu', 'bin', 'funding'];

const canonical = (value) => JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));

/** npm writes `bin` as a map even when package.json gives a string. */
function normalise(field, value, manifest) {
  if (field === 'bin' && typeof value === 'string') return { [manifest.name.split('/').pop()]: value };
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return undefined;
  return value;
}

/** The fields whose value differs between package.json and the lockfile's root entry. */
export function lockfileDrift(manifest, lockfile) {
  const entry = lockfile.packages?.[''];
  if (!entry) return [{ field: 'packages[""]', manifest: '(present)', lockfile: '(missing: lockfileVersion 2 or 3 expected)' }];
  const drift = [];
  for (const field of FIELDS) {
    const expected = normalise(field, manifest[field], manifest);
    const actual = normalise(field, entry[field], manifest);
    if (canonical(expected) !== canonical(actual)) drift.push({ field, manifest: expected, lockfile: actual });
  }
  if (lockfile.name !== manifest.name || lockfile.version !== manifest.version) {
    drift.push({ field: 'top-level name/version', manifest: `${manifest.name}@${manifest.version}`, lockfile: `${lockfile.name}@${lockfile.version}` });
  }
  return drift;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const lockfile = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const drift = lockfileDrift(manifest, lockfile);
  if (drift.length) {
    console.error('✖ package-lock.json was not written for this package.json (a fresh `npm install` would rewrite it):');
    for (const d of drift) console.error(`  ${d.field}: package.json ${JSON.stringify(d.manifest)} ≠ lockfile ${JSON.stringify(d.lockfile)}`);
    console.error('  Run `npm install --package-lock-only --ignore-scripts` with npm 11 and commit package-lock.json.');
    process.exitCode = 1;
  } else {
    console.log('✔ package-lock.json matches package.json');
  }
}
