/**
 * Reading the enforcer's own options and the call options of its adapters: unknown names, bad
 * types and bad values throw `GrantexConfigurationError` where the enforcer or adapter is built.
 */
import { GrantexConfigurationError } from '../errors.js';
import { quote } from '../jwt/text.js';
import { VERIFIER_KEYS } from './keys.js';
import type { EnforcerOptions } from './types.js';

const POLICY_KEYS = ['manifests', 'mode', 'onDecision', 'revocation'];

export const configError = (message: string) => new GrantexConfigurationError(message);

/** Throws for the first key of `options` that `known` does not list. */
export function rejectUnknown(options: object, known: readonly string[], what: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw configError(`Unknown ${what} option ${JSON.stringify(key)}; known options: ${known.join(', ')}`);
  }
}

/** The policy half of the enforcer's options, checked; the key half is read by `createKeys`. */
export function readPolicyOptions(options: EnforcerOptions): {
  manifests: EnforcerOptions['manifests'];
  permissive: boolean;
  onDecision: EnforcerOptions['onDecision'];
} {
  if (typeof options !== 'object' || options === null) throw configError('Pass an options object');
  rejectUnknown(options, [...VERIFIER_KEYS, ...POLICY_KEYS], 'enforcer');
  const { manifests, mode = 'strict', onDecision } = options;
  if (mode !== 'strict' && mode !== 'permissive') throw configError(`\`mode\` must be 'strict' or 'permissive'; got ${quote(mode)}`);
  if (onDecision !== undefined && typeof onDecision !== 'function') throw configError('`onDecision` must be a function');
  if (!Array.isArray(manifests)) throw configError('`manifests` must be an array of tool manifests');
  return { manifests, permissive: mode === 'permissive', onDecision };
}

/** The `{ connector, tool, amount }` of a middleware's or wrapped tool's options, checked. */
export function readCallOptions(options: unknown, extra: readonly string[], what: string): { connector: string; tool: string; amount: unknown } {
  if (typeof options !== 'object' || options === null) throw configError(`Pass the ${what} options: { connector, tool }`);
  rejectUnknown(options, ['connector', 'tool', 'amount', ...extra], what);
  const { connector, tool, amount } = options as Record<string, unknown>;
  if (typeof connector !== 'string' || typeof tool !== 'string') throw configError(`The ${what} options need \`connector\` and \`tool\` strings`);
  if (amount !== undefined && typeof amount !== 'number' && typeof amount !== 'function') throw configError('`amount` must be a number or a function');
  return { connector, tool, amount };
}
