/**
 * One call from start to end: the policy, then the revocation check for an allowance, then the
 * report. Never rejects: whatever goes wrong is a denial.
 */
import type { Authority } from '../revocation/index.js';
import { undecided, withVerdict, type Decide } from './decision.js';
import type { Policy } from './policy.js';
import { reportDecision } from './report.js';
import type { EnforcementDecision, EnforcerOptions, ToolCall } from './types.js';

/** Decides a call; `missing` says why there is no token, when there is none. */
export type Run = (call: unknown, missing?: string) => Promise<EnforcementDecision>;

/** The live revocation check and what to do when it cannot answer. */
export interface Revocation {
  readonly authority: Authority;
  readonly onUnavailable: 'deny' | 'allow';
}

export function createRun(policy: Policy, decide: Decide, revocation: Revocation | undefined, onDecision: EnforcerOptions['onDecision']): Run {
  return async function run(call, missing) {
    let decision: EnforcementDecision;
    try {
      // Verification's clock reading is handed on to the revocation check: one read per call.
      const reading = { now: NaN };
      decision = await policy(call, missing, reading);
      // An allowance is asked about revocation last, so that a call the policy denies anyway costs
      // no request. Memory answers without a promise; only a token that must be asked about waits.
      if (revocation && decision.allowed && decision.grant) {
        const pending = revocation.authority.check((call as ToolCall).grantToken, decision.grant, reading.now);
        decision = withVerdict(decide, decision, 'then' in pending ? await pending : pending, revocation.onUnavailable);
      }
    } catch {
      // Only a defect can land here; it must still be a denial, never an exception.
      decision = undecided();
    }
    reportDecision(onDecision, decision);
    return decision;
  };
}
