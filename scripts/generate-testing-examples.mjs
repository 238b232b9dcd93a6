#!/usr/bin/env node
// Writes generated/testing-examples.gen.ts from openapi.yaml: for every operation, its method, path
// template, success status, authentication scheme, response media type and one example body. The
// local test server (`@grantex/sdk/testing`) answers every operation it does not model with state
// from this table, so an operation added to the spec gets a spec-valid answer without reading YAML
// at run time (the testing entry must load on runtimes that have no file system).
//
// Usage: node scripts/generate-testing-examples.mjs [--out <file>] [--check]
//   --out    write somewhere else (default generated/testing-examples.gen.ts, or
//            $GRANTEX_CODEGEN_OUT/testing-examples.gen.ts when that variable names a directory)
//   --check  write nothing; exit 1 when the file on disk differs from what would be written
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

import { deref, exampleOf, HTTP_METHODS as METHODS } from './codegen/spec.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMES = {
  ApiKeyAuth: 'apiKey',
  GrantTokenAuth: 'grantToken',
  ScimTokenAuth: 'scimToken',
  PrincipalSessionAuth: 'principalSession',
  // Commerce merchant keys and agent credentials are resolved by the commerce routes themselves
  // (src/testing/commerce), which replace the spec-example answers of every commerce operation.
  CommerceMerchantKey: 'none',
  CommerceAgentCredential: 'none',
};

/** The authentication an operation needs, from its own `security` or the document's. */
function authOf(spec, operation) {
  const requirements = operation.security ?? spec.security ?? [];
  if (requirements.length === 0 || requirements.some((r) => Object.keys(r).length === 0)) return 'none';
  const name = Object.keys(requirements[0])[0];
  const kind = SCHEMES[name];
  if (!kind) throw new Error(`unknown security scheme ${name} on ${operation.operationId}`);
  return kind;
}

/**
 * A value for a schema without an example: the schema's own example if it has one, else the
 * smallest value that satisfies it (required properties only). Used only when the spec gives no
 * example for a response; the test suite checks every result against the generated validators.
 */
function synthesize(spec, schemaOrRef, depth = 0) {
  const schema = deref(spec, schemaOrRef) ?? {};
  if (depth > 12) return null;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  for (const key of ['oneOf', 'anyOf']) if (Array.isArray(schema[key])) return synthesize(spec, schema[key][0], depth + 1);
  if (Array.isArray(schema.allOf)) {
    return Object.assign({}, ...schema.allOf.map((part) => synthesize(spec, part, depth + 1)));
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out = {};
      for (const name of schema.required ?? []) out[name] = synthesize(spec, schema.properties?.[name] ?? {}, depth + 1);
      return out;
    }
    case 'array':
      return schema.minItems ? Array.from({ length: schema.minItems }, () => synthesize(spec, schema.items ?? {}, depth + 1)) : [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'date-time') return '2026-11-22T13:07:39.283Z';
      if (schema.format === 'uuid') return '3c40dfab-3131-4e2c-a5c9-4f6b0fbbe433';
      if (schema.format === 'uri') return 'https://example.com';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    default:
      return null;
  }
}

/** The success status, media type and example body of an operation. */
function successOf(spec, operation) {
  const codes = Object.keys(operation.responses ?? {})
    .filter((code) => /^2\d\d$/.test(code))
    .sort();
  if (codes.length === 0) throw new Error(`${operation.operationId} has no 2xx response`);
  const status = Number(codes[0]);
  const response = deref(spec, operation.responses[codes[0]]);
  const types = Object.keys(response.content ?? {});
  if (types.length === 0) return { status };
  // JSON first: that is what clients ask for when a response offers several media types.
  const contentType = types.find((t) => t === 'application/json') ?? types.find((t) => /json/.test(t)) ?? types[0];
  const media = response.content[contentType];
  let example = exampleOf(spec, media);
  if (example === undefined && media.schema) example = synthesize(spec, media.schema);
  return { status, contentType, example };
}

/** Every operation of the document, in path order. */
export function collectOperations(spec) {
  const operations = [];
  for (const [template, itemOrRef] of Object.entries(spec.paths ?? {})) {
    const item = deref(spec, itemOrRef);
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      if (!operation.operationId) throw new Error(`${method.toUpperCase()} ${template} has no operationId`);
      // A WebSocket upgrade (101) has no HTTP answer to stand in for.
      if (!Object.keys(operation.responses ?? {}).some((code) => /^2\d\d$/.test(code))) continue;
      operations.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path: template,
        auth: authOf(spec, operation),
        ...successOf(spec, operation),
      });
    }
  }
  return operations;
}

/** The TypeScript module text for a parsed spec. */
export function render(spec) {
  const operations = collectOperations(spec);
  const lines = [
    '// This file is generated by scripts/generate-testing-examples.mjs from openapi.yaml. Do not edit it;',
    '// change the spec and run `npm run generate`.',
    '',
    '/** How an operation authenticates its caller, from its `security` in the spec. */',
    "export type TestingOperationAuth = 'none' | 'apiKey' | 'grantToken' | 'scimToken' | 'principalSession';",
    '',
    '/** One operation of the spec, with the body the local test server answers when it keeps no state for it. */',
    'export interface TestingOperation {',
    '  readonly operationId: string;',
    '  readonly method: string;',
    '  /** The path template, with `{name}` parameters. */',
    '  readonly path: string;',
    '  readonly auth: TestingOperationAuth;',
    '  /** The lowest 2xx status the spec lists. */',
    '  readonly status: number;',
    '  /** The media type of the success body; absent when the success response has no body. */',
    '  readonly contentType?: string;',
    '  /** The first example of the success body. */',
    '  readonly example?: unknown;',
    '}',
    '',
    '/** Every operation of openapi.yaml, in document order. */',
    'export const testingOperations: readonly TestingOperation[] = [',
  ];
  for (const operation of operations) lines.push(`  ${JSON.stringify(operation)},`);
  lines.push('];', '');
  return lines.join('\n');
}

function main() {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const defaultDir = process.env.GRANTEX_CODEGEN_OUT ? path.resolve(root, process.env.GRANTEX_CODEGEN_OUT) : path.join(root, 'generated');
  const out = outIndex >= 0 ? path.resolve(args[outIndex + 1]) : path.join(defaultDir, 'testing-examples.gen.ts');
  const spec = parse(readFileSync(path.join(root, 'openapi.yaml'), 'utf8'));
  const text = render(spec);
  if (args.includes('--check')) {
    if (!existsSync(out) || readFileSync(out, 'utf8') !== text) {
      console.error(`${path.relative(root, out)} is out of date with openapi.yaml (run \`npm run generate\` and commit)`);
      process.exit(1);
    }
    console.log(`${path.relative(root, out)} matches openapi.yaml (${collectOperations(spec).length} operations)`);
    return;
  }
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, text);
  console.log(`wrote ${path.relative(root, out)} (${collectOperations(spec).length} operations)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
