// The shape of a commerce route of the local server: its handler runs after the commerce switch and
// the caller's credential have been checked (src/testing/commerce/index.ts).
import type { Ctx } from '../http.js';
import type { Caller } from './caller.js';

interface RouteBase {
  readonly method: string;
  /** The path template, with `{name}` parameters as in the spec. */
  readonly path: string;
  /** The route's own per-IP limit per minute, where the server sets one. */
  readonly ipLimit?: number | undefined;
}

/** A route called with a commerce credential, or (`public`) without one. */
export type CommerceRoute =
  | (RouteBase & { readonly public?: false | undefined; handler(ctx: Ctx, caller: Caller): Promise<Response> })
  | (RouteBase & { readonly public: true; handler(ctx: Ctx): Promise<Response> });
