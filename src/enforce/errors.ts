import { GrantexConfigurationError, GrantexError } from '../errors.js';
import type { DenialCode, EnforcementDecision } from './types.js';

/**
 * A tool call was denied (`enforcer.assert`, a wrapped tool). `code` is the decision's code and
 * `decision` the whole decision; the message never contains the grant token.
 *
 * @example
 * ```ts
 * try {
 *   await enforcer.assert({ grantToken, connector: 'stripe', tool: 'create_refund', amount: 900 });
 * } catch (error) {
 *   if (error instanceof EnforcementError && error.code === 'AMOUNT_OVER_CAP') return askForApproval(error.decision.cap);
 *   throw error;
 * }
 * ```
 */
export class EnforcementError extends GrantexError {
  override name = 'EnforcementError';
  declare readonly code: DenialCode;
  /** The denial, frozen. */
  readonly decision: EnforcementDecision;

  constructor(decision: EnforcementDecision) {
    super(decision.message, decision.code);
    this.decision = decision;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), connector: this.decision.connector, tool: this.decision.tool };
  }
}

/**
 * A tool manifest is not valid. The message names the connector, the tool and the value at fault.
 *
 * @example
 * ```ts
 * try {
 *   defineManifest(JSON.parse(text));
 * } catch (error) {
 *   if (error instanceof ManifestError) console.error(`bad manifest (tool ${error.tool ?? '-'}): ${error.message}`);
 * }
 * ```
 */
export class ManifestError extends GrantexConfigurationError {
  override name = 'ManifestError';
  /** The connector of the manifest, when it could be read. */
  readonly connector: string | undefined;
  /** The tool at fault, if it was one tool. */
  readonly tool: string | undefined;

  constructor(message: string, where: { connector?: string | undefined; tool?: string | undefined } = {}) {
    super(message);
    this.connector = where.connector;
    this.tool = where.tool;
  }
}
