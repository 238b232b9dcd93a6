// Request context, responses and errors of the test server, shaped as the real server sends them.
import type { ServerClock } from './clock.js';
import type { EventBus } from './event-bus.js';
import type { SocketUpgrade } from './event-socket.js';
import type { RateLimiter } from './rate-limit.js';
import type { Signer } from './signer.js';
import type { DeveloperRecord, Store } from './store.js';

/** How a route authenticates its caller. */
export type AuthKind = 'none' | 'apiKey' | 'grantToken' | 'scimToken' | 'principalSession';

/** An error answer. `body` replaces the standard `{message, code, requestId}` when a route sends another shape. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code = 'BAD_REQUEST') => new HttpError(400, code, message);
export const notFound = (message: string) => new HttpError(404, 'NOT_FOUND', message);

/** What the routes share: the state, the clock, the key and the server's settings. */
export interface ServerCore {
  readonly store: Store;
  readonly clock: ServerClock;
  readonly signer: Signer;
  /** The public base URL (`consentUrl`, status lists…). */
  baseUrl(): string;
  /** The `iss` of every JWT the server signs. */
  issuer(): string;
  /** Every issuer this server has signed with (the URL changes when `listen` starts). */
  readonly issuers: Set<string>;
  readonly maxDelegationDepth: number;
  /** True when the server was created with `commerce: true`; otherwise commerce routes answer 503. */
  readonly commerceEnabled?: boolean | undefined;
  readonly rate: RateLimiter;
  /** The remaining budget of a grant with a budget allocation (the `bdg` claim of refreshed tokens). */
  budgetOf?(grantId: string): number | undefined;
  /** The fetch for the server's own outbound calls (OIDC discovery and token exchange, webhook deliveries). */
  readonly outbound: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** The live event feed: its open connections. */
  readonly feed: EventBus;
  /** How to upgrade a request to a WebSocket, for requests whose runtime can (see node-listen.ts). */
  readonly socketUpgrades: WeakMap<Request, SocketUpgrade>;
  /**
   * Publishes an event: records it, sends it to the developer's live-feed connections and
   * delivers it to the developer's matching webhooks, all before returning.
   */
  emit(developerId: string, type: string, data: Record<string, unknown>): Promise<void>;
}

export interface Ctx {
  readonly core: ServerCore;
  readonly request: Request;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body; `undefined` when the request had none. */
  readonly body: unknown;
  readonly requestId: string;
  /** The caller, on api-key routes. */
  readonly developer: DeveloperRecord;
  /** The bearer credential of grant-token, SCIM-token and principal-session routes. */
  readonly bearer: string | undefined;
  /** The principal of a principal-session route. */
  readonly principalId: string | undefined;
  /** Milliseconds on the server clock when the request arrived. */
  readonly now: number;
}

export type Handler = (ctx: Ctx) => Response | Promise<Response>;

export interface Route {
  readonly method: string;
  /** The path template, with `{name}` parameters as in the spec. */
  readonly path: string;
  readonly auth: AuthKind;
  readonly handler: Handler;
  /** A per-route, per-IP limit per minute (`rl N/min/IP`); default 5,000. */
  readonly ipLimit?: number | undefined;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

export const noContent = (): Response => new Response(null, { status: 204 });

// ---------------------------------------------------------------------------------------------
// Body checks. The messages follow the real server where it is known.

export type Body = Record<string, unknown>;

/** The body as an object (an absent body counts as `{}`); 400 for arrays and scalars. */
export function objectBody(ctx: Ctx): Body {
  const body = ctx.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('Request body must be a JSON object');
  return body as Body;
}

export const isString = (value: unknown): value is string => typeof value === 'string';
export const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;
export const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An optional string field: `undefined` when absent, 400 when present with another type. */
export function optionalString(body: Body, key: string): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`${key} must be a string`);
  return value;
}

export function optionalBoolean(body: Body, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw badRequest(`${key} must be a boolean`);
  return value;
}

/** True for an absolute http(s) URL without user info. */
export function isHttpUrl(value: unknown, maxLength = 2048): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Parses an optional ISO date query or body value; 400 with `what` when it is not one. */
export function optionalDate(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const ms = typeof value === 'string' && ISO_DATE.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw badRequest(`${what} must be an ISO-8601 date-time`);
  return ms;
}
