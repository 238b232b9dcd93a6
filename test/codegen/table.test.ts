import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { operations } from '../../generated/operations.gen.js';
import * as heyApi from '../../generated/valibot.gen.js';
import { validatorGroups } from '../../generated/validators/index.gen.js';
import { encodeRow, emitTable, groupOf, operationSpec, validatorName } from '../../scripts/codegen/emit-table.mjs';
import { generate } from '../../scripts/codegen/generate.mjs';
import { buildModel } from '../../scripts/codegen/model.mjs';
import { decodeOperations, type OperationRow } from '../../src/internal/operation-table.js';
import type { OperationSpec } from '../../src/internal/operation.js';
import { extensionSchema, widgetsSpec, WIDGETS_TYPES, WIDGETS_VALIBOT } from './fixtures.js';

/** The table literal an emitted operations.gen.ts passes to `decodeOperations`, evaluated. */
function emittedTable(text: string): Record<string, Record<string, OperationRow>> {
  const start = text.indexOf('decodeOperations({') + 'decodeOperations('.length;
  const end = text.indexOf('\n});\n', start) + 2;
  return new Function(`return (${text.slice(start, end)});`)() as Record<string, Record<string, OperationRow>>;
}

const spec = (fields: Record<string, unknown>): OperationSpec => ({ id: 'getWidget', call: 'widgets.get', method: 'GET', path: '/v1/widgets/{id}', ...fields }) as OperationSpec;

describe('the compact operation table', () => {
  it('decodes to exactly the row every operation of openapi.yaml needs', () => {
    const model = buildModel(parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')));
    const table = operations as Record<string, OperationSpec>;
    expect(Object.keys(table).sort()).toEqual(model.operations.map((op) => op.id).sort());
    for (const op of model.operations) expect(table[op.id], op.id).toStrictEqual(operationSpec(op));
  });

  it("finds every operation's validator in its namespace module, the same schema hey-api wrote for it", async () => {
    const model = buildModel(parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')));
    // Valibot schemas are plain data plus functions; their JSON is the structure (types, entries, checks).
    const structure = (schema: unknown) => JSON.stringify(schema, (_key, value: unknown) => (value instanceof RegExp || typeof value === 'bigint' ? String(value) : value));
    let checked = 0;
    for (const op of model.operations) {
      const row = (operations as Record<string, OperationSpec>)[op.id]!;
      if (!op['hasBody']) {
        expect(row.validator, op.id).toBeUndefined();
        continue;
      }
      const schemas = await validatorGroups[row.group!]!();
      const expected = (heyApi as Record<string, unknown>)[validatorName(op)];
      expect(expected, op.id).toBeDefined();
      expect(structure(schemas[row.validator!]), op.id).toBe(structure(expected));
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('the emitted text of the fixture decodes to the rows the fixture needs', () => {
    const result = generate({ spec: widgetsSpec(), schema: extensionSchema(), valibotSource: WIDGETS_VALIBOT, typesSource: WIDGETS_TYPES });
    const text = result.files.find((f) => f.path === 'operations.gen.ts')!.text;
    const decoded = decodeOperations(emittedTable(text)) as Record<string, OperationSpec>;
    const model = buildModel(widgetsSpec());
    expect(Object.keys(decoded)).toEqual(model.operations.map((op) => op.id));
    for (const op of model.operations) expect(decoded[op.id], op.id).toStrictEqual(operationSpec(op));
    expect(emitTable(model).text).toBe(text);
  });

  it('stores nothing it can derive: id, namespace, validator key, path arguments, default auth', () => {
    const row = encodeRow(spec({ args: [['path', 'id']], validator: 'get', group: 'widgets' }), 'widgets');
    expect(row).toBe('get GET /v1/widgets/{id} v');
    expect(decodeOperations({ widgets: { getWidget: row } }).getWidget).toStrictEqual(
      spec({ args: [['path', 'id']], validator: 'get', group: 'widgets' }),
    );
  });

  it('flags each body, auth and stream variant, and decodes each back', () => {
    const variants: Record<string, Partial<OperationSpec>> = {
      b: { body: true },
      B: { body: true, requiredBody: true },
      n: { auth: 'none' },
      t: { auth: 'bearer' },
      s: { stream: true },
      vBt: { validator: 'get', group: 'widgets', body: true, requiredBody: true, auth: 'bearer' },
    };
    for (const [flags, fields] of Object.entries(variants)) {
      const full = spec({ path: '/v1/widgets', ...fields });
      const row = encodeRow(full, 'widgets');
      expect(row, flags).toBe(`get GET /v1/widgets ${flags}`);
      expect(decodeOperations({ widgets: { getWidget: row } }).getWidget, flags).toStrictEqual(full);
    }
  });

  it('writes out in full what does not follow the rules, and it still decodes to the same row', () => {
    const odd: OperationSpec[] = [
      // A validator under a key that is not the method name, held in another group's module.
      spec({ validator: 'vWidgetAnswer', group: 'gadgets', args: [['path', 'id']] }),
      // Arguments that are not the path parameters in order.
      spec({ path: '/v1/widgets/{id}/{part}', args: [['path', 'part'], ['path', 'id']] }),
      // A call outside the row's namespace, and a path and query name the string form cannot hold.
      spec({ call: 'gadgets.get', args: [['path', 'id']] }),
      spec({ path: '/v1/widgets?fixed=1', query: ['a&b'] }),
      spec({ requiredBody: true, args: [['path', 'id']] }),
    ];
    for (const full of odd) {
      const row = encodeRow(full, 'widgets');
      expect(typeof row, JSON.stringify(full)).toBe('object');
      expect(decodeOperations({ widgets: { getWidget: row } }).getWidget, JSON.stringify(full)).toStrictEqual(full);
    }
    expect(() => encodeRow(spec({}), 'widgets')).toThrow('getWidget: a row whose path parameters are not arguments cannot be encoded');
  });

  it('keeps each operation in the namespace of its validators, and the client group holds whole method names', () => {
    const model = buildModel(widgetsSpec());
    const decoded = decodeOperations(emittedTable(emitTable(model).text)) as Record<string, OperationSpec>;
    for (const op of model.operations) if (decoded[op.id]!.group) expect(decoded[op.id]!.group).toBe(groupOf(op));
    expect(decoded['getHealth']!.call).toBe('health');
  });
});
