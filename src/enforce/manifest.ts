import { quote } from '../jwt/text.js';
import { ManifestError } from './errors.js';
import type { PermissionLevel, ToolManifest, ToolManifestJson } from './types.js';

/** The levels, lowest first; a level's index is its rank. */
export const LEVELS: readonly PermissionLevel[] = Object.freeze(['read', 'write', 'delete', 'admin']);

const KEYS = ['$schema', 'connector', 'tools', 'version', 'description'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates a tool manifest and returns it frozen: a non-empty `connector` without `:` (it must fit
 * in a scope), at least one tool, every tool name non-empty and every permission one of `read`,
 * `write`, `delete`, `admin` (exactly, lower case). Unknown top-level keys are refused, so a typo
 * cannot drop a part of the manifest. Manifests written for other Grantex SDKs load unchanged.
 *
 * Throws {@link ManifestError} (a `GrantexConfigurationError`) naming the tool and the value.
 *
 * @example
 * ```ts
 * import githubJson from './manifests/github.json' with { type: 'json' };
 *
 * const github = defineManifest(githubJson); // { connector: 'github', tools: { create_issue: 'write', … } }
 * const enforcer = createEnforcer({ jwksUri, developerId: 'dev_01HXYZ', manifests: [github] });
 * ```
 */
export function defineManifest(json: ToolManifestJson): ToolManifest {
  if (!isRecord(json)) throw new ManifestError('A tool manifest must be an object like { "connector": "github", "tools": { "list_repos": "read" } }');
  const { connector, tools, version, description, $schema } = json as Record<string, unknown>;
  if (typeof connector !== 'string' || connector === '' || connector.includes(':')) {
    throw new ManifestError(`Manifest "connector" must be a non-empty name without ":"; got ${quote(connector)}`);
  }
  const where = { connector };
  const prefix = `Manifest for connector ${quote(connector)}`;
  for (const key of Object.keys(json)) {
    if (!KEYS.includes(key)) throw new ManifestError(`${prefix} has an unknown key ${quote(key)}; known keys: ${KEYS.join(', ')}`, where);
  }
  for (const [name, value] of [['version', version], ['description', description], ['$schema', $schema]] as const) {
    if (value !== undefined && typeof value !== 'string') throw new ManifestError(`${prefix}: "${name}" must be a string; got ${quote(value)}`, where);
  }
  if (!isRecord(tools)) throw new ManifestError(`${prefix}: "tools" must be an object mapping tool names to permission levels`, where);
  const names = Object.keys(tools);
  if (names.length === 0) throw new ManifestError(`${prefix} declares no tools`, where);
  const frozen: Record<string, PermissionLevel> = {};
  for (const tool of names) {
    if (tool === '') throw new ManifestError(`${prefix} has a tool with an empty name`, { connector, tool });
    const level = tools[tool];
    if (!LEVELS.includes(level as PermissionLevel)) {
      throw new ManifestError(`${prefix}: tool ${quote(tool)} has permission ${quote(level)}; use one of ${LEVELS.join(', ')}`, { connector, tool });
    }
    // defineProperty keeps a tool named "__proto__" an own property instead of a prototype change.
    Object.defineProperty(frozen, tool, { value: level, enumerable: true });
  }
  const manifest: { -readonly [K in keyof ToolManifest]: ToolManifest[K] } = { connector, tools: Object.freeze(frozen) };
  if (version !== undefined) manifest.version = version as string;
  if (description !== undefined) manifest.description = description as string;
  return Object.freeze(manifest);
}
