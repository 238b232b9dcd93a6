import path from 'node:path';

import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The live modes load on first use: the feed, the SSE parser and the online check are a chunk of
// their own, and no entry that carries them reaches for the HTTP client (ky) or the validators.
async function chunks(entry: string): Promise<{ initial: string[]; all: string[] }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    splitting: true,
    write: false,
    metafile: true,
    outdir: path.join('.tmp', 'revocation-loading'),
    logLevel: 'silent',
  });
  const outputs: Metafile['outputs'] = result.metafile.outputs;
  const start = Object.keys(outputs).find((key) => outputs[key]!.entryPoint === entry)!;
  const initial = new Set<string>();
  const visit = (key: string): void => {
    if (initial.has(key)) return;
    initial.add(key);
    for (const imported of outputs[key]!.imports) if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(start);
  const inputsOf = (keys: Iterable<string>) => [...keys].flatMap((key) => Object.keys(outputs[key]!.inputs));
  return { initial: inputsOf(initial), all: inputsOf(Object.keys(outputs)) };
}

describe.each(['src/enforce/index.ts', 'src/jwt/index.ts'])('%s', (entry) => {
  it('loads the revocation feed and online check only on first use, and never ky or valibot', async () => {
    const { initial, all } = await chunks(entry);
    for (const lazy of ['src/revocation/authority.ts', 'src/revocation/feed.ts', 'src/revocation/online.ts', 'src/events/stream.ts']) {
      expect(initial).not.toContain(lazy);
      expect(all).toContain(lazy);
    }
    expect(initial.some((input) => input.includes('eventsource-parser'))).toBe(false);
    expect(all.some((input) => /node_modules\/(ky|valibot)\//.test(input))).toBe(false);
    expect(all.some((input) => input.startsWith('generated/'))).toBe(false);
  });
});
