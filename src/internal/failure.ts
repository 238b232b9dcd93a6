/**
 * Mapping whatever escaped a request (ky's errors, fetch's `TypeError`s, aborts, timeouts) to the
 * SDK's error tree, with no credential left in a message or a cause.
 */
import type { HTTPError } from 'ky';

import {
  GrantexAbortError,
  GrantexConnectionError,
  GrantexError,
  GrantexTimeoutError,
  isGrantexError,
} from '../errors.js';
import { createApiError, redactText, sanitizeCause } from './api-errors.js';
import type { CallState } from './attempt.js';

/**
 * The error a failed call rejects with. `aborted` says whether the caller's signal or the client's
 * `close()` ended it, which wins over what the abort made fetch throw.
 */
export function callFailure(error: unknown, state: CallState, aborted: boolean, baseUrl: string): GrantexError {
  if (isGrantexError(error)) return error;
  if (aborted) return new GrantexAbortError();
  if (state.timedOut || isTimeoutError(error)) return new GrantexTimeoutError(state.timeout);
  if (isHTTPError(error)) {
    return createApiError(error.response, undefined, state.op.call, state.secrets);
  }
  const host = hostOf(baseUrl);
  if (error instanceof TypeError || (error instanceof Error && (error.name === 'AbortError' || 'code' in error))) {
    const cause = sanitizeCause(error, state.secrets);
    const code = (cause as { code?: unknown }).code;
    const detail = typeof code === 'string' ? code : redactText(error.message, state.secrets);
    return new GrantexConnectionError(`${state.op.call} could not reach ${host}: ${detail}`, { cause });
  }
  const name = error instanceof Error ? error.name : typeof error;
  return new GrantexError(`Unexpected failure in ${state.op.call} (${name})`, 'UNEXPECTED_ERROR', { cause: sanitizeCause(error, state.secrets) });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the API';
  }
}

// ky's own guards would load ky; its errors are recognised by name, as its guards also allow.
export function isHTTPError(error: unknown): error is HTTPError {
  return error instanceof Error && error.name === 'HTTPError' && 'response' in error;
}

function isTimeoutError(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError' && 'request' in error;
}
