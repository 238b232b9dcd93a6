/**
 * Live events: every event of your account as it happens, as an async iterable, over
 * Server-Sent Events (any runtime) or a WebSocket (Node 22+, Deno, Bun). A stand-in for
 * `GET /v1/events/stream` runs on 127.0.0.1 so that the example shows a drop and a refused
 * stream without a real server; it behaves like the API (keepalive comments, the `types` filter,
 * a connection limit), except that it allows one stream at a time where the API allows five.
 *
 *   GRANTEX_API_KEY=… node scripts/run-example.mjs examples/live-events.ts
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EventGapNotice, Grantex, type GrantexEvent, isKnownGrantexEvent, RateLimitError } from '@grantex/sdk';

const at = '2026-11-22T13:07:40.592Z';
const published: Record<string, unknown>[][] = [
  // First connection: three events (one filtered out by `types`), then the server drops it.
  [
    { id: 'evt_1', type: 'grant.revoked', createdAt: at, data: { grantId: 'grnt_1', cascade: true } },
    { id: 'evt_2', type: 'token.issued', createdAt: at, data: { tokenId: 'tok_2', grantId: 'grnt_2' } },
    { id: 'evt_3', type: 'budget.exhausted', createdAt: at, data: { grantId: 'grnt_3', remaining: '0' } },
  ],
  // After the reconnection.
  [{ id: 'evt_4', type: 'grant.revoked', createdAt: at, data: { grantId: 'grnt_4', cascade: false } }],
];
const open = new Set<ServerResponse>();
const opened: (() => void)[] = [];
let connection = 0;
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  if (url.pathname !== '/v1/events/stream') return void res.writeHead(404).end();
  if (open.size >= 1) {
    res.writeHead(429, { 'content-type': 'application/json' });
    return void res.end(JSON.stringify({ message: 'Max 1 concurrent SSE connections per developer', code: 'TOO_MANY_CONNECTIONS', requestId: 'req_1' }));
  }
  open.add(res);
  res.on('close', () => open.delete(res));
  const types = url.searchParams.get('types')?.split(',');
  const batch = published[connection++] ?? [];
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(': keepalive\n\n');
  for (const event of batch) if (!types || types.includes(event.type as string)) res.write(`data: ${JSON.stringify(event)}\n\n`);
  if (connection === 1) setTimeout(() => res.end(), 50); // the drop
  opened.shift()?.();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const client = new Grantex({ baseUrl });

async function resyncGrants(): Promise<void> {
  // In an application: re-read what you derive from events, e.g. `await client.grants.list()`.
}

// #region gaps
function onGap(notice: EventGapNotice): void {
  if (notice.phase === 'reconnecting') {
    console.log(`gap: reconnecting after "${notice.reason}" (attempt ${notice.attempt}, in ${notice.retryIn} ms)`);
  } else {
    // The API keeps no event ids: anything published during the gap is not replayed.
    console.log(`resumed: events between ${notice.since.toISOString()} and ${notice.until.toISOString()} may be missing`);
    void resyncGrants();
  }
}
// #endregion gaps

// #region stream
const controller = new AbortController();
const stream = client.events.stream({
  types: ['grant.revoked', 'budget.exhausted'], // leave out for every event type
  signal: controller.signal, // or stream.close(), or break out of the loop
  onGap,
});

let received = 0;
for await (const event of stream) {
  if (!isKnownGrantexEvent(event)) continue; // a type newer than this SDK
  switch (event.type) {
    case 'grant.revoked':
      console.log(`grant ${event.data.grantId} revoked`);
      break;
    case 'budget.exhausted':
      console.log(`grant ${event.data.grantId} is out of budget`);
      break;
  }
  if (++received === 3) break; // closes the connection at once
}
// #endregion stream

// Hold one stream open (the stand-in allows one), then ask for another.
while (open.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
const first = client.events.stream();
const firstOpen = new Promise<void>((resolve) => opened.push(resolve));
const firstDone = first[Symbol.asyncIterator]().next();
await firstOpen;
// #region limits
try {
  for await (const event of client.events.stream()) console.log(event.type);
} catch (error) {
  if (error instanceof RateLimitError && error.code === 'TOO_MANY_CONNECTIONS') {
    console.log(`too many streams: ${error.code}`); // the API allows 5 per developer: close one first
  } else {
    throw error;
  }
}
// #endregion limits
first.close();
await firstDone;

/**
 * The same feed over a WebSocket. The stand-in above serves only SSE, so this function is not
 * called here; it runs where the global `WebSocket` can send the Authorization header.
 */
export async function watchOverSocket(): Promise<GrantexEvent[]> {
  // #region socket
  const socket = client.events.connect({ types: ['budget.threshold', 'budget.exhausted'] });
  const events: GrantexEvent[] = [];
  for await (const event of socket) {
    events.push(event);
    if (events.length === 10) break;
  }
  // #endregion socket
  return events;
}

server.close();
