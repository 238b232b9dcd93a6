/** The decision report: every decision goes to `onDecision`, which can neither change nor delay it. */
import type { EnforcementDecision, EnforcerOptions } from './types.js';

/** Calls the hook with `decision`; a throw or a rejection of the hook is swallowed. */
export function reportDecision(onDecision: EnforcerOptions['onDecision'], decision: EnforcementDecision): void {
  if (!onDecision) return;
  try {
    const result = onDecision(decision) as { catch?: unknown } | undefined;
    if (typeof result?.catch === 'function') (result as Promise<unknown>).catch(() => {});
  } catch {
    // An audit hook must not change the decision.
  }
}
