import { readFileSync } from 'node:fs';

import { parse } from 'yaml';

/** The fixture spec, parsed fresh on every call so a test can change its copy. */
export function widgetsSpec(): Record<string, any> {
  return parse(readFileSync(new URL('./fixtures/widgets.openapi.yaml', import.meta.url), 'utf8'));
}

/** The x-grantex-sdk schema of the repository. */
export function extensionSchema(): unknown {
  return JSON.parse(readFileSync(new URL('../../scripts/codegen/x-grantex-sdk.schema.json', import.meta.url), 'utf8'));
}

/** What hey-api would write for the fixture: the validators the generator splits by namespace. */
export const WIDGETS_VALIBOT = `import * as v from 'valibot';

export const vWidget = v.object({
    id: v.string(),
    name: v.string(),
    secret: v.optional(v.string())
});

export const vWidgetList = v.object({
    widgets: v.array(vWidget),
    total: v.number()
});

/**
 * A page of widgets.
 */
export const vListWidgetsResponse = vWidgetList;

export const vGetWidgetResponse = vWidget;

export const vUpdateWidgetResponse = vWidget;

export const vGetHealthResponse = v.object({
    status: v.optional(v.string())
});
`;

/** What hey-api would write for the fixture's types (the generator reads which names exist). */
export const WIDGETS_TYPES = `export type Widget = { id: string; name: string; secret?: string };
export type WidgetList = { widgets: Array<Widget>; total: number };
export type WidgetUpdate = { name?: string; secret?: string };
export type VerifyRequest = { token: string };
export type Error = { code?: 'NOT_FOUND' | 'BAD_REQUEST'; message?: string };
`;
