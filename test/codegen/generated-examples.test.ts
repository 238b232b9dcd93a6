import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every `@example` in the generated namespaces is built from the spec's examples by
 * scripts/generate-sdk.mjs. This compiles each one against the real SDK types, so an example that
 * names a missing method, passes a wrong field or a wrong type fails the tests, not a reader.
 */
const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, 'generated', 'sdk');

function examples(): { file: string; code: string }[] {
  const found: { file: string; code: string }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.gen.ts'))) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    for (const match of text.matchAll(/@example\n\s*\* ```ts\n([\s\S]*?)\n\s*\* ```/g)) {
      found.push({ file, code: match[1]!.replace(/^\s*\* ?/gm, '') });
    }
  }
  return found;
}

/** The credential inputs examples name (view tokens, secrets the spec marks, bearer arguments). */
const CREDENTIAL_NAMES = [
  'token',
  // The credentials of the commerce caller views (client.commerce.asMerchant / asAgent).
  'merchantKey',
  'agentCredential',
  // Commerce inputs the spec marks as secrets: a signed passport and a consent request id.
  'passport_jwt',
  'consent_request_id',
  'grantToken',
  'scimToken',
  'sessionToken',
  'parentGrantToken',
  'credential',
  'sdJwt',
  'clientSecret',
  'ldapBindPassword',
  'code',
  'codeVerifier',
  'state',
  'samlResponse',
  'relayState',
  'password',
  'refreshToken',
  'accessToken',
];

describe('generated TSDoc examples', () => {
  const all = examples();

  it('every generated method and namespace has an example', () => {
    const methods = readdirSync(dir)
      .filter((f) => f.endsWith('.gen.ts'))
      .reduce((sum, f) => sum + [...readFileSync(path.join(dir, f), 'utf8').matchAll(/^ {2}(?:static )?\w+\(.*\): /gm)].length, 0);
    expect(all.length).toBeGreaterThanOrEqual(methods);
  });

  it('every example compiles against the SDK types', () => {
    // The page types the list examples name, imported as a reader would.
    const pages = [...readFileSync(path.join(dir, 'pages.gen.ts'), 'utf8').matchAll(/^export type (\w+) = /gm)].map((m) => m[1]);
    const program = [
      "import { Grantex } from '../../src/index.js';",
      `import type { ${pages.join(', ')} } from '../../src/index.js';`,
      'declare const client: Grantex;',
      // Credentials appear in examples as names the reader holds, never as literal values.
      ...CREDENTIAL_NAMES.map((name) => `declare const ${name}: string;`),
      // The one credential that is not a string: the authenticator's signed assertion.
      "declare const response: Parameters<Grantex['webauthn']['verifyAssertion']>[0]['response'];",
      ...all.map((example, i) => `// ${example.file}\nexport async function example${i}(): Promise<void> {\n${example.code}\n}`),
    ].join('\n');
    const fileName = path.join(root, 'test', 'codegen', '__generated-examples__.ts');
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    host.readFile = (name) => (path.resolve(name) === fileName ? program : readFile(name));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => path.resolve(name) === fileName || fileExists(name);
    const diagnostics = ts
      .getPreEmitDiagnostics(ts.createProgram([fileName], options, host))
      .filter((d) => d.file && path.resolve(d.file.fileName) === fileName)
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${program.split('\n')[line]?.trim()}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      });
    expect(diagnostics).toEqual([]);
  }, 120_000);
});
