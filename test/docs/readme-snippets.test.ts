import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The TypeScript snippets of README.md and of the guides (docs/guides/*.md) are copies of regions
 * of real files in examples/, which the contract suite runs and `tsc -p test/tsconfig.json`
 * type-checks. Each ```ts block is preceded by a marker naming its source:
 *
 *   <!-- example: examples/webhooks.ts#receive -->
 *
 * and the region is delimited in that file by `// #region receive` … `// #endregion receive`.
 * This test fails when a block has no marker or no longer equals its region.
 */
const root = path.resolve(import.meta.dirname, '../..');
const guidesDir = path.join(root, 'docs', 'guides');
const documents = [
  'README.md',
  ...(existsSync(guidesDir) ? readdirSync(guidesDir).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/guides/${f}`) : []),
];

interface Snippet {
  line: number;
  code: string;
  source: string | undefined;
}

/** The ```ts / ```typescript blocks of a Markdown file, with the marker that precedes each. */
function tsBlocks(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const blocks: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(`{3,})\s*(ts|typescript)\s*$/.exec(lines[i]!);
    if (!fence) {
      // Skip over other fenced blocks so that a ```ts inside them is not taken for a snippet.
      const other = /^\s*(`{3,})/.exec(lines[i]!);
      if (other) {
        const close = other[1]!;
        for (i++; i < lines.length && !lines[i]!.trim().startsWith(close); i++);
      }
      continue;
    }
    let j = i - 1;
    while (j >= 0 && lines[j]!.trim() === '') j--;
    const marker = j >= 0 ? /^\s*<!--\s*example:\s*(\S+)\s*-->\s*$/.exec(lines[j]!) : null;
    const body: string[] = [];
    const start = i + 1;
    for (i++; i < lines.length && lines[i]!.trim() !== fence[2]; i++) body.push(lines[i]!);
    blocks.push({ line: start, code: dedent(body.join('\n')), source: marker?.[1] });
  }
  return blocks;
}

/** The text between `// #region name` and `// #endregion name` of a file. */
function region(text: string, name: string): string | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${name}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && l.trim() === `// #endregion ${name}`);
  if (end < 0) return undefined;
  return dedent(lines.slice(start + 1, end).join('\n'));
}

function dedent(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0).trimEnd()).join('\n');
}

describe('snippets in README.md and docs/guides come from examples/', () => {
  it('README.md has TypeScript snippets to check', () => {
    expect(tsBlocks(readFileSync(path.join(root, 'README.md'), 'utf8')).length).toBeGreaterThan(0);
  });

  for (const document of documents) {
    const blocks = tsBlocks(readFileSync(path.join(root, document), 'utf8'));
    for (const block of blocks) {
      it(`${document}:${block.line} equals ${block.source ?? '(no marker)'}`, () => {
        expect(block.source, `${document}:${block.line}: add <!-- example: examples/<file>.ts#<region> --> before the block`).toBeDefined();
        const [file, name] = block.source!.split('#');
        expect(file, 'snippets must come from examples/').toMatch(/^examples\/[\w.-]+\.ts$/);
        const full = path.join(root, file!);
        expect(existsSync(full), `${file} exists`).toBe(true);
        const text = readFileSync(full, 'utf8');
        const expected = name ? region(text, name) : dedent(text);
        expect(expected, `${file} has a region named ${name}`).toBeDefined();
        expect(block.code).toBe(expected);
      });
    }
  }
});
