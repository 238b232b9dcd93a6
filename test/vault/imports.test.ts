import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../src/vault');

describe('@grantex/sdk/vault stays light and runtime-neutral', () => {
  it('imports nothing from node:, ky, valibot or the generated operations, and uses no Node global (namespace.ts, loaded by the client only, aside)', () => {
    const problems: string[] = [];
    for (const name of readdirSync(root)) {
      const text = readFileSync(path.join(root, name), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)) {
        const specifier = match[1]!;
        const local = specifier.startsWith('./') || (specifier.startsWith('../') && !specifier.includes('generated/'));
        if (!local && !(name === 'namespace.ts' && specifier === '../../generated/sdk/vault.gen.js')) problems.push(`${name}: ${specifier}`);
      }
      if (/\bprocess\.|\bBuffer\b/.test(text)) problems.push(`${name}: uses a Node global`);
    }
    expect(problems).toEqual([]);
  });

  it('the entry does not reach namespace.ts or the client', () => {
    const reachable = new Set<string>();
    const visit = (file: string) => {
      if (reachable.has(file)) return;
      reachable.add(file);
      const text = readFileSync(file, 'utf8');
      // Value imports only: type-only ones vanish from the build.
      for (const match of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+['"](\.{1,2}\/[^'"]+)\.js['"]/gm)) visit(path.resolve(path.dirname(file), `${match[1]}.ts`));
    };
    visit(path.join(root, 'index.ts'));
    const names = [...reachable].map((file) => path.relative(path.resolve(root, '..'), file));
    expect(names).toContain('vault/authorized-fetch.ts');
    expect(names.filter((name) => /namespace|client|transport|generated/.test(name))).toEqual([]);
  });
});
