// The module graph of src/: the error tree is a leaf that every helper entry can load without the
// others, so nothing it imports may lead back into a helper. Type-only imports count: they tie the
// declaration files together the same way.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const srcDir = path.resolve(import.meta.dirname, '../../src');
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Each file of src/ and the files of src/ it imports (relative specifiers, `.js` written for `.ts`). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(SPECIFIER)]
      .map((m) => path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.ts')))
      .filter((target) => target.startsWith(srcDir + path.sep));
    graph.set(path.relative(srcDir, file), [...new Set(targets.map((t) => path.relative(srcDir, t)))]);
  }
  return graph;
}

/** The files reachable from `start` (itself excluded unless a path leads back to it). */
function reachable(graph: Map<string, string[]>, start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.get(start) ?? [])];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...(graph.get(file) ?? []));
  }
  return seen;
}

describe('module graph of src/', () => {
  const graph = importGraph();

  it('reads the imports of the error tree and of the helpers (the parser sees both kinds of import)', () => {
    expect(graph.get('pkce/errors.ts')).toEqual(expect.arrayContaining(['error-codes.ts', 'errors.ts']));
    expect(graph.get('enforce/types.ts')).toContain('error-codes.ts');
  });

  it('errors.ts imports nothing hand-written but the leaf list of codes', () => {
    expect(graph.get('errors.ts')).toEqual(['error-codes.ts']);
    expect(graph.get('error-codes.ts')).toEqual([]);
  });

  it('no module of the error tree is part of an import cycle', () => {
    for (const file of ['errors.ts', 'error-codes.ts', 'pkce/errors.ts', 'webhooks/errors.ts', 'vault/errors.ts', 'enforce/errors.ts']) {
      expect(reachable(graph, file).has(file), `${file} imports itself through another module`).toBe(false);
    }
  });
});
