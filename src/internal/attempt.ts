/**
 * One attempt of a call: fetch under the SDK's own timer, which keeps running until the caller has
 * read the body (ky's timeout ends when the headers arrive), and under the client's `close()`.
 * ky calls `attemptFetch` once per attempt with the call's state in its options.
 */
import type { OperationSpec } from './operation.js';

/** What one call carries through ky to its fetch wrapper and hooks. */
export interface CallState {
  readonly op: OperationSpec;
  readonly secrets: readonly string[];
  readonly timeout: number;
  readonly displayUrl: string;
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
  const { grantex: state, ...rest } = init ?? {};
  if (!state) return baseFetch(request, rest);
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
  const signal = state.callerSignal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
  return baseFetch(request, { ...rest, signal });
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
