// test/ mirrors src/: the tests of src/<area> live in test/<area>, so a reader finds them by name.
// Only a few folders hold another kind of test (test/README.md says which); anything else is a file
// that has drifted out of the layout, and this check names it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/** Folders that mirror no src/ area on purpose, each for one kind of test or for shared helpers. */
const OTHER_KINDS = ['codegen', 'contract', 'docs', 'runtimes', 'support'];
/** The only files that sit in test/ itself. */
const TOP_LEVEL_FILES = ['README.md', 'layout.test.ts', 'tsconfig.json'];

/** The names a test folder may take: every folder of src/ and every file of src/ without its extension. */
function srcAreas(srcDir: string): Set<string> {
  return new Set(
    readdirSync(srcDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || entry.name.endsWith('.ts'))
      .map((entry) => entry.name.replace(/\.ts$/, '')),
  );
}

/** Paths (relative to test/, with `/`) of the files that sit outside the layout. */
function misplaced(files: readonly string[], areas: ReadonlySet<string>): string[] {
  return files.filter((file) => {
    const [top, ...rest] = file.split('/');
    if (rest.length === 0) return !TOP_LEVEL_FILES.includes(top!);
    return !areas.has(top!) && !OTHER_KINDS.includes(top!);
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

describe('test/ layout', () => {
  const areas = srcAreas(path.join(root, 'src'));

  it('puts every file in a folder named after a src/ area or in one of the other kinds', () => {
    expect(misplaced(filesUnder(path.join(root, 'test')), areas)).toEqual([]);
  });

  it('names what is out of place: an unknown folder, a loose file, a folder named after nothing in src/', () => {
    const files = ['jwt/jwt.test.ts', 'unit/client.test.ts', 'stray.test.ts', 'trust/support/tokens.ts', 'support/tokens.ts', 'client/client.test.ts', 'README.md'];
    expect(misplaced(files, areas)).toEqual(['unit/client.test.ts', 'stray.test.ts', 'trust/support/tokens.ts']);
  });

  it('takes its areas from src/ itself, folders and top-level files alike', () => {
    for (const area of ['jwt', 'internal', 'revocation', 'client', 'errors']) expect(areas).toContain(area);
    expect(areas).not.toContain('unit');
  });

  it('has a line in test/README.md for every folder in test/', () => {
    const folders = readdirSync(path.join(root, 'test'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const text = readFileSync(path.join(root, 'test', 'README.md'), 'utf8');
    const missing = folders.map((entry) => entry.name).filter((name) => !text.includes(`\`${name}/\``));
    expect(missing).toEqual([]);
  });
});
