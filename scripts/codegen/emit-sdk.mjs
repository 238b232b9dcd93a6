// Emits the client surface: one file of namespace classes per top-level namespace (the root class,
// `GrantexApi`, in client.gen.ts), the params types of every operation and the export list. Each
// method is one line that hands its operation row and arguments to the transport. Pure: returns
// `{ path, text }` records; imports are recorded while the code is built, never read back from it.
import { decodedBySchema, decodedFieldType, publicItemName, publicResultName } from './public-types.mjs';
import { renderSdkCall } from './sdk-call.mjs';
import { deref, refName, requiredFields } from './spec.mjs';
import { HEADER, camel, kebab, pageTypeName, pascal, quote, tsdoc } from './text.mjs';

/**
 * The one module of the hand-written core that generated code imports (src/core/codegen.ts), and
 * the names it offers, in the order they are imported.
 */
export const HANDLE = 'src/core/codegen.js';
const HANDLE_TYPES = [
  'ApiPromise',
  'PagePromise',
  'ListPage',
  'DeepReadonly',
  'JsonDecoded',
  'Renamed',
  'PublicClientOptions',
  'RequestOptions',
  'Transport',
  'EventStream',
  'EventStreamOptions',
  'AuthorizeParams',
  'VerifiedGrant',
];

/** What one emitted file uses, recorded while its code is built. */
function newImports() {
  return { core: new Set(['Transport']), types: new Set(), params: new Set(), pages: new Set(), classes: new Set(), api: false };
}

function importLines(imports, fileOfClass, file) {
  const lines = [];
  const types = HANDLE_TYPES.filter((name) => imports.core.has(name));
  lines.push(`import type { ${types.join(', ')} } from '../../${HANDLE}';`);
  if (imports.core.has('publicTransport')) lines.push(`import { publicTransport } from '../../${HANDLE}';`);
  if (imports.params.size) lines.push(`import type { ${[...imports.params].sort().join(', ')} } from './params.gen.js';`);
  if (imports.pages.size) lines.push(`import type { ${[...imports.pages].sort().join(', ')} } from './pages.gen.js';`);
  lines.push(`import { operations as O } from '../operations.gen.js';`);
  // Imported as a namespace: schema names such as `Usage` would otherwise clash with class names.
  if (imports.types.size > 0) lines.push(`import type * as T from '../types.gen.js';`);
  if (imports.api) lines.push(`import type * as Api from '../api-types.gen.js';`);
  const classes = [...imports.classes]
    .filter((cls) => fileOfClass.get(cls) !== undefined && fileOfClass.get(cls) !== file)
    .map((cls) => `import { ${cls} } from './${kebab(fileOfClass.get(cls))}.gen.js';`)
    .sort();
  return [...lines, ...classes];
}

// ---------------------------------------------------------------------------------------------
// Types per operation.

/** The params object type of an operation, or undefined when it takes none. */
export function paramsType(spec, op, types) {
  const positional = new Set(op.args.filter((a) => a.where === 'body' || a.where === 'query').map((a) => a.field));
  const rename = op.ext.rename ?? {};
  const data = `${pascal(op.id)}Data`;
  const parts = [];
  let required = false;
  if (op.bodySchema) {
    types.add(data);
    const bodyFields = requiredFields(spec, op.bodySchema);
    const omitted = [...positional].filter((f) => f);
    const bodyName = refName(op.bodySchema);
    if (bodyName) types.add(bodyName);
    let body = bodyName ? `T.${bodyName}` : `NonNullable<T.${data}['body']>`;
    if (omitted.length > 0) body = `Omit<${body}, ${omitted.map(quote).join(' | ')}>`;
    parts.push(body);
    if (op.bodyRequired && bodyFields.some((f) => !positional.has(f))) required = true;
    const schema = deref(spec, op.bodySchema);
    const hasOtherFields = Object.keys(schema?.properties ?? {}).some((f) => !positional.has(f)) || schema?.oneOf || schema?.anyOf || schema?.allOf || schema?.additionalProperties;
    if (!hasOtherFields) parts.pop();
  }
  const query = op.queryParams.filter((p) => !positional.has(p.name));
  if (query.length > 0) {
    types.add(data);
    let q = `NonNullable<T.${data}['query']>`;
    const omitted = op.queryParams.filter((p) => positional.has(p.name)).map((p) => p.name);
    if (omitted.length > 0) q = `Omit<${q}, ${omitted.map(quote).join(' | ')}>`;
    parts.push(q);
    if (query.some((p) => p.required)) required = true;
  }
  if (parts.length === 0) return undefined;
  let type = parts.join(' & ');
  if (Object.keys(rename).length > 0) {
    const map = Object.entries(rename).map(([sdk, wire]) => `${sdk}: ${quote(wire)}`).join('; ');
    type = `Renamed<${type}, { ${map} }>`;
  }
  if (op.bespoke?.params) type = op.bespoke.params;
  return { type, required };
}

/**
 * The (deeply readonly) result type of an operation. The one rule: a result that is exactly a
 * public type is written by its name, `Api.Grant`, so hovers and the reference read as the docs
 * do; any other (inline answers, answers joined with extra statuses) is spelled out.
 */
function resultType(spec, op, imports, decoded) {
  if (op.bespoke?.returns) {
    imports.core.add(op.bespoke.returns);
    return op.bespoke.returns;
  }
  if (!op.hasBody) return 'undefined';
  const name = publicResultName(spec, op, decoded);
  if (name) {
    imports.api = true;
    return `Api.${name}`;
  }
  // The named schema when the answer has one (`Agent`), so the published declarations need no
  // per-operation response types; otherwise hey-api's `<OperationId>Response`.
  const response = refName(op.successSchema) ?? `${pascal(op.id)}Response`;
  imports.types.add(response);
  let type = `T.${response}`;
  for (const field of op.ext.decode ?? []) {
    imports.core.add('JsonDecoded');
    type = `JsonDecoded<${type}, ${quote(field)}, ${decodedFieldType(spec, op, field, imports.types)}>`;
  }
  for (const status of op.ext.results ?? []) {
    imports.types.add(`${pascal(op.id)}Errors`);
    type = `${type} | T.${pascal(op.id)}Errors[${status}]`;
  }
  imports.core.add('DeepReadonly');
  return `DeepReadonly<${type}>`;
}

/** The item type of a list: its public name when it has one, else taken from its page type. */
function itemType(spec, op, page, imports, decoded) {
  const name = publicItemName(spec, op, decoded);
  if (name) {
    imports.api = true;
    return `Api.${name}`;
  }
  const items = op.ext.paginate?.items;
  if (op.ext.paginate?.style === 'scim') return `NonNullable<${page}['Resources']>[number]`;
  if (!items) return `${page}[number]`;
  return `NonNullable<${page}[${quote(items)}]>[number]`;
}

/** The `@example` of an operation: the same call the API reference shows (scripts/codegen/sdk-call.mjs). */
function exampleCall(spec, op) {
  return renderSdkCall(spec, op.operation, op.item).code.split('\n');
}

// ---------------------------------------------------------------------------------------------
// Classes.

function className(n) {
  if (n.path.length === 0) return 'GrantexApi';
  // A credential view's own namespaces read as `ScimUsers`, not `ScimViewUsers`.
  const parts = n.path.filter((part, index) => part !== 'View' || index === n.path.length - 1);
  return parts.map(pascal).join('');
}

/** `scim.withToken(token).users`: how a user reaches namespace `n` from the client. */
function accessorPath(n) {
  if (n.path.length === 0) return '';
  if (n.viewOf) return `${accessorPath(n.viewOf)}.withToken(token)`;
  if (n.callerView) return `${accessorPath(n.parent)}.${n.callerView === 'merchant' ? 'asMerchant(merchantKey)' : 'asAgent(agentCredential)'}`;
  const parent = n.parent && n.parent.path.length > 0 ? n.parent : undefined;
  const own = n.path.at(-1);
  const base = parent ? accessorPath(parent) : '';
  return base ? `${base}.${own}` : own;
}

function methodDoc(op) {
  const doc = [op.summary.replace(/\.?$/, '.')];
  if (op.description.trim()) doc.push('', ...op.description.trim().split('\n'));
  if (op.notes.length > 0) doc.push('', ...op.notes);
  return doc;
}

function methodCode(spec, n, { op, name }, isStatic, imports, decoded) {
  if (op.bespoke?.stream) {
    imports.core.add('EventStream');
    imports.core.add('EventStreamOptions');
    const doc = methodDoc(op);
    doc.push('', `\`${op.httpMethod} ${op.template}\``, '', '@example', '```ts', ...exampleCall(spec, op), '```');
    return `${tsdoc(doc, '  ')}  ${name}(options?: EventStreamOptions): EventStream {\n    return this.#t.${op.bespoke.stream}(O.${op.id}, options);\n  }\n`;
  }
  const signature = [];
  const argNames = [];
  for (const arg of op.args) {
    let type = 'string';
    if (arg.where === 'body' || arg.where === 'query') {
      const bodyName = arg.where === 'body' ? refName(op.bodySchema) : undefined;
      if (bodyName) {
        imports.types.add(bodyName);
        type = `T.${bodyName}[${quote(arg.field)}]`;
      } else {
        imports.types.add(`${pascal(op.id)}Data`);
        type = `NonNullable<T.${pascal(op.id)}Data['${arg.where}']>[${quote(arg.field)}]`;
      }
    }
    signature.push(`${arg.name}: ${type}`);
    argNames.push(arg.name);
  }
  // The params type itself lives in params.gen.ts; this file only names it.
  const params = paramsType(spec, op, new Set());
  if (params) {
    const type = op.bespoke?.params ?? `${pascal(op.id)}Params`;
    if (op.bespoke?.params) imports.core.add(type);
    else imports.params.add(type);
    signature.push(`params${params.required ? '' : '?'}: ${type}`);
  }
  if (isStatic) {
    imports.core.add('PublicClientOptions');
    imports.core.add('publicTransport');
  }
  imports.core.add('RequestOptions');
  signature.push(`options?: ${isStatic ? 'PublicClientOptions & RequestOptions' : 'RequestOptions'}`);
  // A list's result is its named page type (pages.gen.ts), which holds the result type itself.
  const page = op.ext.paginate ? pageTypeName(op.call) : undefined;
  const result = page ?? resultType(spec, op, imports, decoded);
  const callArgs = `O.${op.id}, [${argNames.join(', ')}], ${params ? 'params' : 'undefined'}, options`;
  const target = isStatic ? 'publicTransport(options)' : 'this.#t';
  let returnType;
  let body;
  if (op.ext.paginate) {
    imports.core.add('PagePromise');
    imports.pages.add(page);
    returnType = `PagePromise<${page}, ${itemType(spec, op, page, imports, decoded)}>`;
    body = `return ${target}.list(${callArgs});`;
  } else {
    imports.core.add('ApiPromise');
    returnType = `ApiPromise<${result}>`;
    body = `return ${target}.call(${callArgs});`;
  }
  const doc = methodDoc(op);
  if (op.ext.paginate) {
    doc.push('', 'Await the result for one page, or iterate it with `for await` for every item across pages.');
  }
  doc.push('', `\`${op.httpMethod} ${op.template}\``, '', '@example', '```ts', ...exampleCall(spec, op), '```');
  return `${tsdoc(doc, '  ')}  ${isStatic ? 'static ' : ''}${name}(${signature.join(', ')}): ${returnType} {\n    ${body}\n  }\n`;
}

function classCode(model, n, imports, decoded) {
  const { spec, statics } = model;
  const name = className(n);
  const isRoot = n.path.length === 0;
  let code = '';
  const label = isRoot ? 'the client itself' : `\`client.${accessorPath(n)}\``;
  const tag = (spec.tags ?? []).find((t) => t.name === n.methods[0]?.op.tags?.[0]);
  const about = tag?.description ? tag.description.trim().split('\n') : [];
  const doc = isRoot
    ? ['The operations the API spec places on the client itself, and its namespaces. `Grantex` extends this class.', '', '@example', '```ts', 'const { status } = await client.health();', '```']
    : [
        `The ${name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} operations: ${label}.${n.viewOf ? ' Every call is authenticated with the token given to `withToken`, not the API key.' : ''}${n.callerView ? ` Every call is made as the ${n.callerView}, with the credential given to \`${n.callerView === 'merchant' ? 'asMerchant' : 'asAgent'}\`; only what a ${n.callerView} may call is here.` : ''}`,
        ...(about.length ? ['', ...about] : []),
        '',
        '@example',
        '```ts',
        ...(n.methods[0] ? exampleCall(spec, n.methods[0].op) : [`const api = client.${accessorPath(n)};`]),
        '```',
      ];
  code += tsdoc(doc, '');
  code += `export ${isRoot ? 'abstract ' : ''}class ${name} {\n`;
  for (const [key, child] of n.children) {
    imports.classes.add(className(child));
    code += `  /** ${child.methods.length + child.children.size > 0 ? `The \`${accessorPath(child)}\` operations.` : ''} */\n  readonly ${key}: ${className(child)};\n`;
  }
  // A class that only holds namespaces keeps no transport of its own (noUnusedLocals would refuse it).
  const usesTransport = Boolean(n.view) || [...n.callerViews].length > 0 || n.methods.length > 0;
  if (usesTransport) code += '  readonly #t: Transport;\n\n';
  code += `  /** Created by the client${isRoot ? '' : `; reach it as ${label}`}. */\n`;
  code += `  ${isRoot ? 'protected ' : ''}constructor(transport: Transport) {\n${usesTransport ? '    this.#t = transport;\n' : ''}`;
  for (const [key, child] of n.children) code += `    this.${key} = new ${className(child)}(transport);\n`;
  code += '  }\n';
  if (n.view) {
    const view = className(n.view);
    imports.classes.add(view);
    code += `\n${tsdoc([
      `A view of ${label} whose calls authenticate with \`token\` instead of the API key. The view shares the client's connection settings; the token is never stored on the client.`,
      '',
      '@example',
      '```ts',
      `const view = client.${accessorPath(n)}${accessorPath(n) ? '.' : ''}withToken(token);`,
      '```',
    ], '  ')}  withToken(token: string): ${view} {\n    return new ${view}(this.#t.withBearer(token));\n  }\n`;
  }
  for (const [kind, viewNode] of n.callerViews) {
    const view = className(viewNode);
    imports.classes.add(view);
    const method = kind === 'merchant' ? 'asMerchant' : 'asAgent';
    const arg = kind === 'merchant' ? 'merchantKey' : 'agentCredential';
    const what = kind === 'merchant' ? 'a merchant key (`grtx_sk_sandbox_…` or `grtx_sk_live_…`)' : 'an agent credential (an agent key `grtx_agent_…` or a signed agent assertion)';
    code += `\n${tsdoc([
      `The ${label} operations a ${kind} may call, made with ${what} instead of the API key. The view shares the client's connection settings; the credential is never stored on the client. A credential of another kind throws \`GrantexCredentialKindError\` here, before anything is sent.`,
      '',
      '@example',
      '```ts',
      `const ${kind} = client.${accessorPath(n)}.${method}(${arg});`,
      '```',
    ], '  ')}  ${method}(${arg}: string): ${view} {\n    return new ${view}(this.#t.asCommerceCaller(${quote(kind)}, ${arg}));\n  }\n`;
  }
  for (const method of n.methods) code += `\n${methodCode(spec, n, method, false, imports, decoded)}`;
  if (isRoot) for (const method of statics) code += `\n${methodCode(spec, n, method, true, imports, decoded)}`;
  code += '}\n';
  return code;
}

/** Groups the classes by top-level namespace, one file each; the root class gets its own file. */
function namespaceFiles(tree) {
  const files = new Map();
  const collect = (n, file) => {
    files.get(file).push(n);
    for (const child of n.children.values()) collect(child, file);
    if (n.view) collect(n.view, file);
    for (const view of n.callerViews.values()) collect(view, file);
  };
  files.set('client', [tree]);
  for (const [key, child] of tree.children) {
    files.set(key, []);
    collect(child, key);
  }
  if (tree.view) {
    files.set('view', []);
    collect(tree.view, 'view');
  }
  return files;
}

/** Params types, named after the operation, so users can type their own wrappers. */
function paramsExports(model) {
  const exports = [];
  for (const op of model.operations) {
    const types = new Set();
    const params = paramsType(model.spec, op, types);
    if (params && !op.bespoke?.params) exports.push({ name: `${pascal(op.id)}Params`, type: params.type, types });
  }
  return exports;
}

/**
 * pages.gen.ts: one named page type per list (`AgentsPage`), what awaiting the list gives: the
 * (decoded, readonly) answer with `hasNextPage()` and `getNextPage()`. Names follow
 * `pageTypeName`; validate.mjs has refused any two that clash.
 */
function pagesFile(model, decoded) {
  const imports = newImports();
  imports.core.delete('Transport');
  imports.core.add('ListPage');
  const pages = model.operations
    .filter((op) => op.ext.paginate)
    .map((op) => {
      const name = pageTypeName(op.call);
      const call = renderSdkCall(model.spec, op.operation, op.item, { into: `const page: ${name}` }).code.split('\n');
      const doc = [`One page of \`${op.call}\` (\`${op.httpMethod} ${op.template}\`), as awaiting the call gives it.`, '', '@example', '```ts', ...call, 'if (page.hasNextPage()) console.log(await page.getNextPage());', '```'];
      return `${tsdoc(doc, '')}export type ${name} = ListPage<${resultType(model.spec, op, imports, decoded)}>;\n`;
    });
  const core = HANDLE_TYPES.filter((name) => imports.core.has(name));
  const head =
    `import type { ${core.join(', ')} } from '../../${HANDLE}';\n` +
    (imports.types.size > 0 ? `import type * as T from '../types.gen.js';\n` : '') +
    (imports.api ? `import type * as Api from '../api-types.gen.js';\n` : '');
  return { names: model.operations.filter((op) => op.ext.paginate).map((op) => pageTypeName(op.call)), text: `${HEADER}${head}\n${pages.join('\n')}` };
}

/** The namespace class files, params.gen.ts and index.gen.ts, as `{ path, text }` records under `sdk/`. */
export function emitSdk(model) {
  const out = [];
  const files = namespaceFiles(model.tree);
  const decoded = decodedBySchema(model);
  const fileOfClass = new Map();
  for (const [file, nodes] of files) for (const n of nodes) fileOfClass.set(className(n), file);

  const exportsList = [];
  for (const [file, nodes] of files) {
    const imports = newImports();
    const classes = nodes.map((n) => classCode(model, n, imports, decoded)).join('\n');
    out.push({ path: `sdk/${kebab(file)}.gen.ts`, text: `${HEADER}${importLines(imports, fileOfClass, file).join('\n')}\n\n${classes}` });
    for (const n of nodes) exportsList.push({ name: className(n), file });
  }

  const params = paramsExports(model);
  const usesRenamed = params.some((p) => p.type.includes('Renamed<'));
  const usesTypes = params.some((p) => p.types.size > 0);
  out.push({
    path: 'sdk/params.gen.ts',
    text:
      HEADER +
      (usesRenamed ? `import type { Renamed } from '../../${HANDLE}';\n` : '') +
      (usesTypes ? `import type * as T from '../types.gen.js';\n` : '') +
      '\n' +
      params.map((p) => `/** The params object of the operation \`${camel(p.name.replace(/Params$/, ''))}\`. */\nexport type ${p.name} = ${p.type};\n`).join('\n'),
  });

  const pages = pagesFile(model, decoded);
  if (pages.names.length > 0) out.push({ path: 'sdk/pages.gen.ts', text: pages.text });

  out.push({
    path: 'sdk/index.gen.ts',
    text:
      `${HEADER}// The public names of the generated client surface.\n` +
      exportsList
        .filter((e) => e.name !== 'GrantexApi')
        .map((e) => `export type { ${e.name} } from './${kebab(e.file)}.gen.js';`)
        .join('\n') +
      `\nexport type {\n  ${params.map((p) => p.name).join(',\n  ')},\n} from './params.gen.js';\n` +
      (pages.names.length > 0 ? `export type {\n  ${pages.names.join(',\n  ')},\n} from './pages.gen.js';\n` : ''),
  });
  return out;
}
