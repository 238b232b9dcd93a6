/** The enforcer's view of its manifests: which level each tool of each connector needs. */
import { quote } from '../jwt/text.js';
import { configError } from './options.js';
import { defineManifest, LEVELS } from './manifest.js';
import type { ToolManifestJson } from './types.js';

/** connector → tool → [rank of the level it needs, the phrase that says so]. */
export type Catalogue = ReadonlyMap<string, ReadonlyMap<string, readonly [number, string]>>;

/**
 * Checks every manifest (a bad one throws `ManifestError`; two for one connector throw
 * `GrantexConfigurationError`) and indexes them. The phrase is built here once rather than on
 * every call.
 */
export function buildCatalogue(manifests: readonly ToolManifestJson[]): Catalogue {
  const tools = new Map<string, ReadonlyMap<string, readonly [number, string]>>();
  for (const json of manifests) {
    const { connector, tools: levels } = defineManifest(json);
    if (tools.has(connector)) throw configError(`Two manifests declare connector ${quote(connector)}`);
    const entries = Object.entries(levels).map(([tool, level]) => [tool, [LEVELS.indexOf(level), `tool ${quote(tool)} of connector ${quote(connector)} needs ${level}`]] as const);
    tools.set(connector, new Map(entries));
  }
  return tools;
}
