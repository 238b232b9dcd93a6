/**
 * The enforcer's subscription to the live event feed: only the types that end authority, kept
 * open across drops (the stream reconnects; if it gives up, a new one is opened after a growing
 * wait), with timers that do not keep a process alive.
 */
import { unrefTimer } from '../events/session.js';
import { openEventStream } from '../events/stream.js';
import type { EventStream, GrantexEvent, GrantexEventType } from '../events/types.js';
import type { RevocationSettings } from './options.js';

/** The event types after which a grant, or a token of it, may no longer be used. */
export const AUTHORITY_TYPES: readonly GrantexEventType[] = [
  'grant.revoked',
  'anomaly.auto_revoked',
  'passport.revoked',
  'consent_bundle.revoked',
  'dpdp.consent.withdrawn',
];

/** What the subscription reports. */
export interface FeedHandlers {
  onEvent(event: GrantexEvent): void;
  /** A connection is established: from now on, events reach `onEvent`. */
  onLive(): void;
  /** The feed is not live any more (a drop, a stall, a failure to connect): events may be lost. */
  onDown(): void;
}

/** Longest wait before a new subscription when the last one gave up. */
const MAX_RESTART_MS = 60_000;

/** Opens the subscription at once; `close()` ends it and every timer it set. */
export function openFeed(settings: RevocationSettings, handlers: FeedHandlers): { close(): void } {
  let stopped = false;
  let stream: EventStream | undefined;
  let restart: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  const headers = { authorization: `Bearer ${settings.apiKey}`, accept: 'text/event-stream' };

  function start(): void {
    if (stopped) return;
    const current = openEventStream(
      // The global fetch, looked up per call and called detached.
      { url: `${settings.baseUrl}/v1/events/stream`, headers, fetch: (input, init) => globalThis.fetch(input, init), secrets: [settings.apiKey], unrefTimers: true },
      {
        types: AUTHORITY_TYPES,
        reconnect: { maxAttempts: Infinity },
        onOpen: () => {
          failures = 0;
          handlers.onLive();
        },
        onGap: (notice) => {
          if (notice.phase === 'reconnecting') handlers.onDown();
        },
      },
    );
    stream = current;
    void consume(current);
  }

  async function consume(current: EventStream): Promise<void> {
    try {
      for await (const event of current) handlers.onEvent(event);
    } catch {
      // Refused at opening (a wrong key, too many streams) or given up: the checks go online
      // meanwhile, and a new subscription is tried after a growing wait.
    }
    handlers.onDown();
    if (stopped || stream !== current) return;
    failures++;
    const wait = Math.min(MAX_RESTART_MS, 1_000 * 2 ** Math.min(failures - 1, 16));
    restart = setTimeout(start, Math.round(wait / 2 + (Math.random() * wait) / 2));
    unrefTimer(restart);
  }

  start();
  return {
    close() {
      stopped = true;
      clearTimeout(restart);
      stream?.close();
    },
  };
}
