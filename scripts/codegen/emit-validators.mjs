// Emits generated/validators/: the response validators split by namespace. hey-api writes them all
// to one module, and a client that calls one namespace should not load the schemas of all the
// others on its first request. Pure: reads the text of valibot.gen.ts, returns `{ path, text }` records.
import { groupOf, validatorKey, validatorName } from './emit-table.mjs';
import { HEADER, kebab, quote } from './text.mjs';

/** The `export const vName = ...` blocks of valibot.gen.ts (with their doc comments) and what each uses. */
function schemaBlocks(valibotSource) {
  const blocks = new Map();
  let pending = [];
  let current;
  for (const line of valibotSource.split('\n')) {
    const start = /^export const (v\w+) =/.exec(line);
    if (start) {
      current = { name: start[1], lines: [...pending, line] };
      pending = [];
      blocks.set(current.name, current);
    } else if (line.startsWith('/**') || (pending.length > 0 && !current)) {
      current = undefined;
      pending.push(line);
    } else if (current) current.lines.push(line);
    else if (pending.length > 0) pending.push(line);
  }
  for (const block of blocks.values()) {
    block.text = block.lines.join('\n').trimEnd();
    block.deps = [...new Set(block.text.replace(/^\/\*\*[\s\S]*?\*\//m, '').match(/\bv[A-Z]\w*/g) ?? [])].filter((name) => name !== block.name && blocks.has(name));
  }
  return blocks;
}

/** `vB` when the block only renames another schema (`export const vA = vB;`), else undefined. */
function aliasOf(block) {
  return /^export const \w+ = (v\w+);$/m.exec(block.text.replace(/^\/\*\*[\s\S]*?\*\/\n/m, ''))?.[1];
}

/**
 * The validator modules and their index. Each module exports one object, `schemas`, with the
 * response validator of each operation under the key the operation table names (the method
 * name): in a bundle that keeps every module, the long export names would otherwise be kept as
 * property names. A validator the table names but valibot.gen.ts lacks is a problem (hey-api and
 * the generator disagree about the spec).
 */
export function emitValidators(model, valibotSource) {
  const problems = [];
  const blocks = schemaBlocks(valibotSource);
  const groups = new Map();
  for (const op of model.operations) {
    if (!op.hasBody) continue;
    const group = groupOf(op);
    if (!groups.has(group)) groups.set(group, new Map());
    groups.get(group).set(validatorKey(op), validatorName(op));
  }
  const out = [];
  const order = [...blocks.keys()];
  for (const [group, roots] of groups) {
    const needed = new Set();
    const visit = (name) => {
      if (needed.has(name) || !blocks.has(name)) return;
      needed.add(name);
      for (const dep of blocks.get(name).deps) visit(dep);
    };
    // A response validator that only renames a schema is not copied: its key names the schema.
    const target = new Map();
    for (const root of roots.values()) {
      if (!blocks.has(root)) {
        problems.push({ message: `no validator ${root} in valibot.gen.ts` });
        continue;
      }
      const alias = aliasOf(blocks.get(root));
      target.set(root, alias && blocks.has(alias) ? alias : root);
      visit(target.get(root));
    }
    const body = order
      .filter((name) => needed.has(name))
      .map((name) => blocks.get(name).text.replace(/^export const /m, 'const '))
      .join('\n\n');
    const entries = [...roots].map(([key, root]) => `  ${/^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key)}: ${target.get(root) ?? root},`);
    out.push({
      path: `validators/${kebab(group)}.gen.ts`,
      text:
        `${HEADER}// The response validators of the \`${group}\` operations, copied from valibot.gen.ts with what they use.\nimport * as v from 'valibot';\n\n${body}\n\n` +
        `/** The response validator of each \`${group}\` operation, by method name (the \`validator\` of its row in operations.gen.ts). */\n` +
        `export const schemas: Record<string, v.GenericSchema> = {\n${entries.join('\n')}\n};\n`,
    });
  }
  out.push({
    path: 'validators/index.gen.ts',
    text: `${HEADER}/** Loads the response validators of one namespace, on its first request. */\nexport const validatorGroups: Record<string, () => Promise<Record<string, unknown>>> = {\n${[...groups.keys()]
      .map((group) => `  ${/^[a-z]\w*$/i.test(group) ? group : quote(group)}: () => import('./${kebab(group)}.gen.js').then((m) => m.schemas),`)
      .join('\n')}\n};\n`,
  });
  return { files: out, problems };
}
