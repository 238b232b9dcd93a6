/**
 * Building decisions: frozen, with levels by name, and in permissive mode a policy denial turned
 * into an allowance that says so (with one console warning per connector and tool).
 */
import { quote } from '../jwt/text.js';
import type { VerifiedGrant } from '../jwt/types.js';
import type { RevocationVerdict } from '../revocation/index.js';
import { levelOf } from './scopes.js';
import type { DenialCode, EnforcementDecision } from './types.js';

/** Distinct connector/tool pairs warned about in permissive mode; past this, warnings stop. */
const MAX_WARNINGS = 1000;

/** The names of the call a decision is about. */
export interface CallNames {
  readonly connector: string;
  readonly tool: string;
}

/** Builds one decision; `required`, `granted` are level ranks, `cap` Infinity for none. */
export type Decide = (
  code: DenialCode | 'ALLOWED',
  message: string,
  call: CallNames,
  required: number | null,
  granted: number | null,
  cap: number | null,
  grant: VerifiedGrant | null,
) => EnforcementDecision;

/** The decision builder of one enforcer; the pairs already warned about belong to it. */
export function createDecide(permissive: boolean): Decide {
  const warned = new Set<string>();

  function warn(connector: string, tool: string, code: DenialCode, message: string): void {
    const key = `${connector}\u0000${tool}`;
    if (warned.has(key) || warned.size >= MAX_WARNINGS) return;
    warned.add(key);
    globalThis.console?.warn?.(`grantex enforce (permissive): would deny ${quote(connector)}/${quote(tool)} with ${code}: ${message}`);
  }

  return function decide(code, message, call, required, granted, cap, grant) {
    let allowed = code === 'ALLOWED';
    let wouldDeny: DenialCode | null = null;
    // Permissive mode relaxes the policy, never authentication: a grant is required.
    if (!allowed && permissive && grant) {
      wouldDeny = code as DenialCode;
      warn(call.connector, call.tool, wouldDeny, message);
      message = `Allowed in permissive mode; strict mode would deny it: ${message}`;
      code = 'ALLOWED';
      allowed = true;
    }
    return Object.freeze({
      allowed,
      code,
      message,
      connector: call.connector,
      tool: call.tool,
      required: required === null ? null : levelOf(required),
      granted: granted === null ? null : levelOf(granted),
      cap: cap === Infinity ? null : cap,
      grant,
      wouldDeny,
    });
  };
}

/**
 * An allowance after the revocation check: unchanged when the token is still good, a denial when
 * it is revoked, and when the answer is unknown a denial or (with `onUnavailable: 'allow'`) an
 * allowance that says so.
 */
export function withVerdict(decide: Decide, decision: EnforcementDecision, verdict: RevocationVerdict, onUnavailable: 'deny' | 'allow'): EnforcementDecision {
  if (verdict.status === 'active') return decision;
  const names = { connector: decision.connector, tool: decision.tool };
  if (verdict.status === 'revoked') return decide('TOKEN_REVOKED', verdict.message, names, null, null, null, null);
  if (onUnavailable === 'deny') return decide('REVOCATION_UNKNOWN', verdict.message, names, null, null, null, null);
  return Object.freeze({ ...decision, message: `${decision.message}; ${verdict.message}, allowed because onUnavailable is 'allow'`, revocationUnknown: true });
}

/** The denial for a call that could not be decided (only a defect leads here). */
export function undecided(): EnforcementDecision {
  return Object.freeze({
    allowed: false, code: 'TOKEN_INVALID', message: 'The call could not be decided', connector: '', tool: '',
    required: null, granted: null, cap: null, grant: null, wouldDeny: null,
  });
}
