/**
 * Running the caller's observers (`onRequest`, `onResponse`, `onValidationWarning`): they watch a
 * call, they never decide it.
 */
import type { TransportConfig } from './transport-config.js';

/**
 * Runs a logging or tracing hook. A hook that throws must not fail, or retry, the request it
 * observes; its error is reported through the logger instead.
 */
export function observe(config: TransportConfig, name: string, hook: () => void): void {
  try {
    hook();
  } catch (error) {
    config.logger.warn(`[grantex] the ${name} hook threw (${error instanceof Error ? error.name : typeof error}); the request goes on`);
  }
}
