// Reading the test server's live feed in tests: raw SSE bytes, and events through the SDK client.
import { expect, vi } from 'vitest';

import { Grantex } from '../../src/index.js';
import type { GrantexEvent, GrantexEventType } from '../../src/events/index.js';
import type { TestServer } from '../../src/testing/index.js';

/** A raw connection to `GET /v1/events/stream`: the bytes exactly as the server wrote them. */
export interface RawFeed {
  readonly response: Response;
  /** Everything read so far, decoded. */
  text(): string;
  /** Reads until the text holds `count` blank-line-terminated blocks (events or comments). */
  blocks(count: number): Promise<string[]>;
  /** The events among the blocks read so far. */
  events(): { id: string; type: string; createdAt: string; data: Record<string, unknown> }[];
  close(): Promise<void>;
}

/** The feed blocks of a raw SSE text: each block without its terminating blank line. */
export const splitBlocks = (text: string): string[] => text.split('\n\n').slice(0, -1);

/**
 * Opens the stream with a raw request through `server.fetch` and waits until the server counts it,
 * so that events published afterwards reach it. The response itself arrives only with the first
 * frame or keepalive, as on the real server: `response` is awaited lazily by `blocks`.
 */
export async function openRaw(server: TestServer, { key = server.apiKey, query = '' } = {}): Promise<RawFeed> {
  const before = server.eventConnections;
  const controller = new AbortController();
  const pending = server.fetch(`${server.url}/v1/events/stream${query}`, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
  await vi.waitFor(() => expect(server.eventConnections).toBe(before + 1), { timeout: 10_000, interval: 2 });
  let text = '';
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const decoder = new TextDecoder();
  let response: Response | undefined;
  const feed: RawFeed = {
    get response() {
      if (!response) throw new Error('no response yet');
      return response;
    },
    text: () => text,
    async blocks(count) {
      response ??= await pending;
      reader ??= response.body!.getReader();
      while (splitBlocks(text).length < count) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return splitBlocks(text).slice(0, count);
    },
    events: () => splitBlocks(text).filter((b) => b.startsWith('data: ')).map((b) => JSON.parse(b.slice(6))),
    async close() {
      controller.abort();
      await reader?.cancel().catch(() => undefined);
    },
  };
  return feed;
}

/** An SDK client of the live (or given) developer, through the server's fetch. */
export const clientFor = (server: TestServer, apiKey = server.apiKey) => new Grantex({ apiKey, baseUrl: server.url, fetch: server.fetch, maxRetries: 0 });

/**
 * Subscribes through the SDK's `events.stream()` and collects events in the background. Resolves
 * once the server counts the connection.
 */
export async function subscribe(server: TestServer, client: Grantex, types?: GrantexEventType[]) {
  const before = server.eventConnections;
  const controller = new AbortController();
  const events: GrantexEvent[] = [];
  const waiters: (() => void)[] = [];
  const stream = client.events.stream({ ...(types ? { types } : {}), signal: controller.signal, reconnect: false });
  let failure: unknown;
  const done = (async () => {
    try {
      for await (const event of stream) {
        events.push(event);
        for (const wake of waiters.splice(0)) wake();
      }
    } catch (error) {
      // Kept for close(): a test that failed early must not leave an unhandled rejection behind.
      if (!controller.signal.aborted) failure = error;
    }
  })();
  await vi.waitFor(() => expect(server.eventConnections).toBe(before + 1), { timeout: 10_000, interval: 2 });
  return {
    events,
    /** Waits until at least `count` events arrived. */
    async next(count: number): Promise<GrantexEvent[]> {
      while (events.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return events.slice(0, count);
    },
    async close() {
      controller.abort();
      await done;
      if (failure !== undefined) throw failure;
    },
  };
}
