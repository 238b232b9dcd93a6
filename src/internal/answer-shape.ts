/**
 * Shaping a successful answer into what the SDK method returns: parsed, checked against the
 * operation's validator in the client's validation mode, JSON-encoded fields decoded, and the
 * operation's bespoke output step applied.
 */
import { GrantexInvalidResponseError, GrantexResponseValidationError, type ValidationIssue } from '../errors.js';
import { redactIssues } from './api-errors.js';
import { bespokeSteps } from './bespoke.js';
import { observe } from './observe.js';
import type { OperationSpec } from './operation.js';
import { decodeAt } from './response-body.js';
import type { TransportConfig } from './transport-config.js';

/** What shaping an answer needs besides its text. */
export interface ShapeContext {
  readonly config: TransportConfig;
  /** The issues of a value against a validator; empty when it conforms (validate.ts). */
  readonly check: (schema: unknown, data: unknown) => readonly ValidationIssue[];
  /** The validators of the operation's namespace; absent when validation is off. */
  readonly schemas: Record<string, unknown> | undefined;
  readonly secrets: readonly string[];
}

/**
 * Parses, validates and decodes a successful answer. `isResult` marks a non-2xx status whose body
 * is the answer (the operation's `results`): it is returned as sent, without validation.
 */
export function shapeAnswer<T>(ctx: ShapeContext, op: OperationSpec, text: string, status: number, isResult: boolean): T {
  if (!op.validator && !isResult) return undefined as T;
  if (text === '') {
    throw new GrantexInvalidResponseError(`Response of ${op.call} has no body, but the API promises one`, { status, operation: op.call });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new GrantexInvalidResponseError(`Response of ${op.call} is not valid JSON`, { status, operation: op.call });
  }
  const config = ctx.config;
  const mode = config.validation;
  if (mode !== 'off' && op.validator && ctx.schemas && !isResult) {
    const issues = ctx.check(ctx.schemas[op.validator], data);
    if (issues.length > 0) {
      // Scrubbed before the error exists, so its message and stack never held a credential.
      const error = new GrantexResponseValidationError(op.call, redactIssues(issues, ctx.secrets), status);
      if (mode === 'strict') throw error;
      const warn = config.onValidationWarning;
      if (warn) observe(config, 'onValidationWarning', () => warn(error));
      else config.logger.warn(`[grantex] ${error.message}`);
    }
  }
  for (const field of op.decode ?? []) data = decodeAt(data, field.split('.'), op.call);
  if (op.bespoke) {
    const output = bespokeSteps[op.bespoke]?.output;
    if (output) data = output(data);
  }
  return data as T;
}
