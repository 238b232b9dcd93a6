/**
 * The one ky instance of a client, built once on its first request: the retry options, the
 * observer hooks (`onRequest`, `onResponse`, debug and info logs) and the fetch wrapper that times
 * each attempt. What ky owns and what the SDK owns is in retry-policy.ts.
 */
import type { KyInstance, Options as KyOptions } from 'ky';

import type { RequestEvent } from '../core/options.js';
import { redactHeaders } from './api-errors.js';
import { attemptFetch, displayUrl, type AttemptInit, type CallState } from './attempt.js';
import { isHTTPError } from './failure.js';
import { observe } from './observe.js';
import { SAFE_METHODS, retryDecision } from './retry-policy.js';
import type { TransportConfig } from './transport-config.js';

/** Creates the client's ky instance from the ky module's default export. */
export function createKy(ky: KyInstance, config: TransportConfig, closer: AbortSignal): KyInstance {
  const baseFetch = config.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const hooks: NonNullable<KyOptions['hooks']> = {};
  const observing = config.onRequest !== undefined || config.onResponse !== undefined || config.logLevel === 'debug';
  if (observing) {
    hooks.beforeRequest = [
      (request, options, { retryCount }) => {
        const state = (options as { grantex?: CallState }).grantex;
        if (!state || !config.onRequest) return;
        observe(config, 'onRequest', () => config.onRequest!(requestEvent(state, request.method, retryCount)));
      },
    ];
    hooks.afterResponse = [
      (request, options, response, { retryCount }) => {
        const state = (options as { grantex?: CallState }).grantex;
        if (!state) return;
        const event = { ...requestEvent(state, request.method, retryCount), status: response.status, headers: redactHeaders(response.headers, state.secrets), durationMs: Date.now() - state.started };
        if (config.logLevel === 'debug') {
          config.logger.debug(`[grantex] ${event.operation} ${event.method} ${event.path} -> ${event.status} in ${event.durationMs} ms (attempt ${retryCount + 1})`);
        }
        if (config.onResponse) observe(config, 'onResponse', () => config.onResponse!(event));
      },
    ];
  }
  if (config.logLevel === 'debug' || config.logLevel === 'info') {
    hooks.beforeRetry = [
      ({ request, options, error, retryCount }) => {
        const state = (options as { grantex?: CallState }).grantex;
        const reason = isHTTPError(error) ? `status ${error.response.status}` : state?.timedOut ? 'timeout' : 'connection error';
        config.logger.info(`[grantex] ${state?.op.call ?? 'request'} ${request.method} retry ${retryCount} after ${reason}`);
      },
    ];
  }
  // ky merges these defaults into every call's options, key by key: only what differs from ky's
  // own defaults is set. `throwHttpErrors` is true by default; `retry.statusCodes` and
  // `retry.jitter` are not set because `shouldRetry` decides every retry itself (statuses included,
  // retry-policy.ts) and the delay it hands ky is 0.
  const defaults: KyOptions = {
    timeout: false,
    // The API never redirects: following one could replay a body that holds a credential to
    // another origin, or hand back another origin's answer as the API's.
    redirect: 'manual',
    retry: {
      limit: config.maxRetries,
      methods: SAFE_METHODS,
      // The waits between attempts are done in `shouldRetry`, where `close()` and the caller's
      // signal can cut them short without handing ky a signal to combine on every call.
      delay: () => 0,
      shouldRetry: retryDecision(closer, config.maxRetryAfter * 1000, undefined),
    },
    fetch: (input: RequestInfo | URL, init?: RequestInit) => attemptFetch(baseFetch, input as Request, init as AttemptInit),
  };
  // Without observers there are no hooks to merge per call.
  if (hooks.beforeRequest || hooks.beforeRetry) defaults.hooks = hooks;
  return ky.create(defaults);
}

function requestEvent(state: CallState, method: string, retryCount: number): RequestEvent {
  return { operation: state.op.call, operationId: state.op.id, method, path: state.op.path, url: displayUrl(state), retryCount };
}
