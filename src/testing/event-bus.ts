// The live event feed of one test server: the connections open on `GET /v1/events/stream` and
// `GET /v1/events/ws`, and the fan-out of each event the server publishes to the connections of
// its developer. Like the real server it keeps no history: an event published while nobody is
// connected is gone.

/** The event as every feed frame and webhook body carries it. */
export interface FeedEvent {
  readonly id: string;
  readonly type: string;
  readonly createdAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The two ways to be connected; each has its own limit of {@link MAX_FEED_CONNECTIONS}. */
export type FeedTransport = 'sse' | 'ws';

/** One open connection, whatever carries it. */
export interface FeedConnection {
  readonly developerId: string;
  readonly transport: FeedTransport;
  /** The event types it wants; `null` for every type. The socket can change it while open. */
  types: ReadonlySet<string> | null;
  /** Sends one event, already serialised. */
  deliver(json: string): void;
  /** Ends the connection from the server's side. */
  drop(): void;
}

/** Concurrent connections per developer and transport, as the real server allows. */
export const MAX_FEED_CONNECTIONS = 5;

/** Default interval of `: keepalive` comments and WebSocket pings, as the real server sends them. */
export const DEFAULT_KEEPALIVE_MS = 30_000;

export class EventBus {
  private readonly connections = new Set<FeedConnection>();

  constructor(
    /** How often each connection sends a keepalive comment (SSE) or ping (WebSocket). */
    readonly keepaliveMs: number,
    /** Where a connection that throws while being written to is reported. */
    private readonly onError: (error: unknown) => void,
  ) {}

  /** How many connections are open, for one developer and transport or in all. */
  count(developerId?: string, transport?: FeedTransport): number {
    let count = 0;
    for (const connection of this.connections) {
      if ((developerId === undefined || connection.developerId === developerId) && (transport === undefined || connection.transport === transport)) count++;
    }
    return count;
  }

  /** Registers a connection, unless its developer already has the most allowed on its transport. */
  add(connection: FeedConnection): boolean {
    if (this.count(connection.developerId, connection.transport) >= MAX_FEED_CONNECTIONS) return false;
    this.connections.add(connection);
    return true;
  }

  remove(connection: FeedConnection): void {
    this.connections.delete(connection);
  }

  /**
   * Sends `event` to every connection of `developerId` whose filter lets it through, before
   * returning. A connection that fails is dropped; the state change that published the event
   * stands.
   */
  publish(developerId: string, event: FeedEvent): void {
    let json: string | undefined;
    for (const connection of [...this.connections]) {
      if (connection.developerId !== developerId || (connection.types !== null && !connection.types.has(event.type))) continue;
      json ??= JSON.stringify(event);
      try {
        connection.deliver(json);
      } catch (error) {
        this.connections.delete(connection);
        this.onError(error);
        try {
          connection.drop();
        } catch {
          // Already broken; it is out of the set either way.
        }
      }
    }
  }

  /** Ends every open connection from the server's side; answers how many there were. */
  dropAll(): number {
    const all = [...this.connections];
    this.connections.clear();
    for (const connection of all) {
      try {
        connection.drop();
      } catch (error) {
        this.onError(error);
      }
    }
    return all.length;
  }
}

/**
 * The `types` filter as the real server reads it: comma-separated names, blanks ignored; no
 * names at all means every type. Unknown names are kept (they match nothing).
 */
export function parseTypes(value: string | null | undefined): ReadonlySet<string> | null {
  if (value === null || value === undefined) return null;
  const names = value.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  return names.length === 0 ? null : new Set(names);
}

/**
 * A repeating timer that does not keep a process alive by itself (Node and Bun timers have
 * `unref`; elsewhere timers never hold a process open).
 */
export function backgroundInterval(callback: () => void, ms: number): () => void {
  const timer = setInterval(callback, ms);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
