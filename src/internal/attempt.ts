/**
 * One attempt of a call: fetch under the SDK's own timer, which keeps running until the caller has
 * read the body (ky's timeout ends when the headers arrive), and under the client's `close()`.
 * ky calls `attemptFetch` once per attempt with the call's state in its options.
 */
import type { OperationSpec } from './operation.js';
import { redactUrl } from './request-args.js';

/** What one call carries through ky to its fetch wrapper and hooks. */
export interface CallState {
  readonly op: OperationSpec;
  readonly secrets: readonly string[];
  readonly timeout: number;
  /** The URL as sent; `displayUrl(state)` gives it with secrets redacted. */
  readonly url: string;
  /** The redacted URL, made on first use: hooks and `withResponse()` need it, most calls do not. */
  displayUrl: string | undefined;
  /** True when the caller passed a signal, which ky then folds into each request's signal. */
  readonly callerSignal: boolean;
  /** The client's in-flight attempts, which `close()` aborts. */
  readonly inFlight: Set<AbortController>;
  /** Aborted by `close()`; an attempt that would start after it does not. */
  readonly closer: AbortSignal;
  controller: AbortController | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  timedOut: boolean;
  started: number;
}

/** The init ky hands its fetch: the call's state rides along under `grantex`. */
export type AttemptInit = RequestInit & { grantex?: CallState | undefined };

/**
 * One attempt: fetch under a timer that keeps running until the caller has read the body, so a
 * server that sends headers and then stalls is a timeout, not a hang. ky calls this once per
 * attempt; the previous attempt's timer is cleared first.
 */
export function attemptFetch(baseFetch: typeof fetch, request: Request, init: AttemptInit | undefined): Promise<Response> {
  const state = init?.grantex;
  if (!state) return baseFetch(request, init);
  release(state);
  if (state.closer.aborted) return Promise.reject(new DOMException('The client was closed', 'AbortError'));
  const controller = new AbortController();
  state.controller = controller;
  state.inFlight.add(controller);
  state.timedOut = false;
  if (state.timeout > 0) {
    state.timer = setTimeout(() => {
      state.timedOut = true;
      controller.abort();
    }, state.timeout);
  }
  // ky's request signal only carries the caller's signal; without one, ours is enough.
  const forwarded: RequestInit = { signal: state.callerSignal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal };
  // What ky hands on besides the call's state (runtime fetch options such as `dispatcher`); the
  // state itself never reaches fetch, which may be the caller's own.
  for (const key in init) if (key !== 'grantex' && key !== 'signal') (forwarded as Record<string, unknown>)[key] = (init as Record<string, unknown>)[key];
  return baseFetch(request, forwarded);
}

/** Ends an attempt's timer and takes its controller out of the client's in-flight set. */
export function release(state: CallState): void {
  clearTimeout(state.timer);
  state.timer = undefined;
  if (state.controller) {
    state.inFlight.delete(state.controller);
    state.controller = undefined;
  }
}

/** The call's URL with every secret it holds redacted, as hooks, logs and `withResponse()` show it. */
export function displayUrl(state: CallState): string {
  state.displayUrl ??= redactUrl(state.url, state.secrets);
  return state.displayUrl;
}
