/**
 * The decision of the token and the policy for one call: verify the grant token, then the
 * connector and tool against the manifests, the level the grant holds, and the amount against its
 * cap. Every rule fails closed.
 */
import { GrantTokenError } from '../errors.js';
import { quote } from '../jwt/text.js';
import type { VerifiedGrant } from '../jwt/types.js';
import type { ClockedVerify, ClockReading } from '../jwt/verifier.js';
import type { Catalogue } from './catalogue.js';
import type { Decide } from './decision.js';
import { LEVELS } from './manifest.js';
import { heldFor } from './scopes.js';
import type { EnforcementDecision, ToolCall } from './types.js';

const CALL_KEYS = ['grantToken', 'connector', 'tool', 'amount'];

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Decides a call; `missing` replaces verification when there is no token to verify. `reading`
 * receives the clock reading verification used, for the revocation check that may follow.
 */
export type Policy = (call: unknown, missing: string | undefined, reading: ClockReading) => Promise<EnforcementDecision>;

/** The policy of one enforcer: its verifier's check, its manifests and its decision builder. */
export function createPolicy(verify: ClockedVerify, tools: Catalogue, decide: Decide): Policy {
  return async function evaluatePolicy(call, missing, reading) {
    const input = (typeof call === 'object' && call !== null ? call : {}) as Partial<Record<keyof ToolCall, unknown>>;
    const names = { connector: text(input.connector), tool: text(input.tool) };
    let grant: VerifiedGrant;
    try {
      if (missing !== undefined) throw new GrantTokenError('TOKEN_MALFORMED', missing);
      grant = await verify(input.grantToken as string, reading);
    } catch (error) {
      const code = error instanceof GrantTokenError ? error.code : 'TOKEN_INVALID';
      const message = error instanceof GrantTokenError ? error.message : 'Grant token could not be verified';
      return decide(code, message, names, null, null, null, null);
    }
    const { connector, tool } = names;
    // A misspelt `amount` must not skip the cap, so any field this does not know denies the call.
    for (const key of Object.keys(input)) {
      if (!CALL_KEYS.includes(key)) {
        return decide('AMOUNT_INVALID', `Unknown field ${quote(key)} in the tool call; known fields: ${CALL_KEYS.join(', ')}`, names, null, null, null, grant);
      }
    }
    const catalogue = typeof input.connector === 'string' ? tools.get(connector) : undefined;
    if (!catalogue) return decide('CONNECTOR_UNKNOWN', `No manifest declares connector ${quote(input.connector)}`, names, null, null, null, grant);
    const entry = typeof input.tool === 'string' ? catalogue.get(tool) : undefined;
    if (entry === undefined) {
      return decide('TOOL_UNKNOWN', `Tool ${quote(input.tool)} is not in the manifest of connector ${quote(connector)}`, names, null, null, null, grant);
    }
    const [required, needs] = entry;
    const held = heldFor(grant.scopes, connector);
    if (!held || held.rank < 0) {
      const ignored = held?.ignored ? `; ${held.ignored} scope(s) for it with an unknown level grant nothing` : '';
      return decide('SCOPE_MISSING', `The grant holds no tool scope for connector ${quote(connector)} (${needs}${ignored})`, names, required, null, null, grant);
    }
    if (held.rank < required) {
      return decide('PERMISSION_INSUFFICIENT', `The ${needs}; the grant holds ${LEVELS[held.rank]}`, names, required, held.rank, held.cap, grant);
    }
    const { cap } = held;
    const amount = input.amount;
    if (amount !== undefined && cap !== Infinity) {
      if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
        return decide('AMOUNT_INVALID', `A cap applies to connector ${quote(connector)}, so the amount must be a finite number, 0 or more; got ${quote(amount)}`, names, required, held.rank, cap, grant);
      }
      if (!(amount <= cap)) {
        const message = Number.isNaN(cap)
          ? `The grant's cap for connector ${quote(connector)} cannot be read, so no amount is allowed`
          : `Amount ${amount} is over the grant's cap of ${cap} for connector ${quote(connector)}`;
        return decide('AMOUNT_OVER_CAP', message, names, required, held.rank, cap, grant);
      }
    }
    const within = amount !== undefined && cap !== Infinity ? `; amount ${amount} is within the cap of ${cap}` : '';
    return decide('ALLOWED', `Allowed: the ${needs}; the grant holds ${LEVELS[held.rank]}${within}`, names, required, held.rank, cap, grant);
  };
}
