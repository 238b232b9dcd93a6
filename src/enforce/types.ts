import type { DenialCode } from '../error-codes.js';

export type { DenialCode };
import type { DeveloperPin, LocalKeyOptions, RemoteKeyOptions, VerifiedGrant } from '../jwt/types.js';
import type { RevocationOptions } from '../revocation/types.js';

// `Symbol.asyncDispose` is in the ES2022+DOM libs of older setups only as a runtime value; this
// declaration lets consumers compile against `[Symbol.asyncDispose]` without `lib: esnext`.
declare global {
  interface SymbolConstructor {
    readonly asyncDispose: unique symbol;
  }
}

/**
 * A permission level, lowest first: a granted level covers every lower one.
 *
 * @example
 * ```ts
 * const level: PermissionLevel = 'write'; // covers 'read' and 'write'
 * ```
 */
export type PermissionLevel = 'read' | 'write' | 'delete' | 'admin';

/**
 * A tool manifest as written in JSON: the permission level each tool of one connector needs. The
 * shape other Grantex SDKs use, so their manifest files load unchanged.
 *
 * @example
 * ```ts
 * const json: ToolManifestJson = { connector: 'github', tools: { create_issue: 'write', list_repos: 'read' }, version: '1.0.0' };
 * ```
 */
export interface ToolManifestJson {
  /** A JSON Schema reference; accepted and not kept. */
  readonly $schema?: string | undefined;
  /** The connector, as it appears in scopes (`tool:<connector>:<level>`). */
  readonly connector: string;
  /** Tool name → permission level. */
  readonly tools: Readonly<Record<string, string>>;
  readonly version?: string | undefined;
  readonly description?: string | undefined;
}

/**
 * A validated, frozen tool manifest (see {@link defineManifest}).
 *
 * @example
 * ```ts
 * const manifest: ToolManifest = defineManifest({ connector: 'github', tools: { list_repos: 'read' } });
 * manifest.tools.list_repos; // 'read'
 * ```
 */
export interface ToolManifest {
  readonly connector: string;
  readonly tools: Readonly<Record<string, PermissionLevel>>;
  readonly version?: string | undefined;
  readonly description?: string | undefined;
}

/**
 * `'ALLOWED'` or a {@link DenialCode}.
 *
 * @example
 * ```ts
 * const { code } = await enforcer.check(call);
 * if (code !== 'ALLOWED') console.warn('denied:', code);
 * ```
 */
export type EnforcementCode = 'ALLOWED' | DenialCode;

/**
 * The answer to "may this grant token call this tool now, for this amount?". Frozen; never
 * contains the token.
 *
 * @example
 * ```ts
 * const decision = await enforcer.check({ grantToken, connector: 'stripe', tool: 'create_payment', amount: 120 });
 * if (!decision.allowed) return { error: decision.code, detail: decision.message };
 * console.log(decision.grant?.principalId, decision.granted, decision.cap);
 * ```
 */
export interface EnforcementDecision {
  /** Whether the call may go ahead. In permissive mode, true unless the token itself failed. */
  readonly allowed: boolean;
  /** `'ALLOWED'` or why it was denied. */
  readonly code: EnforcementCode;
  /** A sentence for logs and for the caller, naming the connector, tool, levels and amounts involved. */
  readonly message: string;
  /** The connector asked about (`''` when it was not a string). */
  readonly connector: string;
  /** The tool asked about (`''` when it was not a string). */
  readonly tool: string;
  /** The level the tool needs, from its manifest; `null` when the tool is unknown. */
  readonly required: PermissionLevel | null;
  /** The highest level the grant holds for the connector; `null` when none (or not known yet). */
  readonly granted: PermissionLevel | null;
  /**
   * The cap on amounts for this connector: `null` when none applies, `NaN` when the grant's cap
   * cannot be read (every amount is then denied).
   */
  readonly cap: number | null;
  /** The verified grant; `null` when the token did not verify. */
  readonly grant: VerifiedGrant | null;
  /** In permissive mode, the code strict mode would have denied with; otherwise `null`. */
  readonly wouldDeny: DenialCode | null;
  /**
   * `true` when the call was allowed although whether the token was revoked could not be
   * established (`revocation.onUnavailable: 'allow'`); absent otherwise.
   */
  readonly revocationUnknown?: boolean | undefined;
}

/**
 * One tool call to decide on.
 *
 * @example
 * ```ts
 * const call: ToolCall = { grantToken, connector: 'github', tool: 'create_issue' };
 * ```
 */
export interface ToolCall {
  /** The grant token the agent presented. */
  readonly grantToken: string;
  readonly connector: string;
  readonly tool: string;
  /** The amount the call moves, checked against a `…:capped:<N>` scope. Pass it on every call that has one. */
  readonly amount?: number | undefined;
}

/**
 * The enforcer's keys from the Grantex JWKS endpoint: the verifier's {@link RemoteKeyOptions} without
 * the per-call checks (`requiredScopes`, `now`), which the manifests and the clock decide here.
 *
 * @example
 * ```ts
 * const keys: RemoteEnforcerKeyOptions = { jwksUri: 'https://api.grantex.dev/.well-known/jwks.json', cache: true };
 * ```
 */
export interface RemoteEnforcerKeyOptions extends Omit<RemoteKeyOptions, 'requiredScopes' | 'now'> {}

/**
 * The enforcer's keys from a JWKS you provide: the verifier's {@link LocalKeyOptions} without the
 * per-call checks (`requiredScopes`, `now`).
 *
 * @example
 * ```ts
 * const keys: LocalEnforcerKeyOptions = { jwks: storedJwks, issuer: 'https://grantex.dev' };
 * ```
 */
export interface LocalEnforcerKeyOptions extends Omit<LocalKeyOptions, 'requiredScopes' | 'now'> {}

/**
 * Where the enforcer's keys come from, and the token checks it shares with the verifier: everything
 * of {@link EnforcerOptions} but the developer pin and the policy. Name it when you build the
 * options in pieces; `Omit<EnforcerOptions, 'manifests'>` would merge the two ways to name the
 * keys into one type that accepts neither.
 *
 * @example
 * ```ts
 * const keys: KeyOptions = { jwksUri: process.env.GRANTEX_JWKS_URI ?? 'https://api.grantex.dev/.well-known/jwks.json' };
 * const enforcer = createEnforcer({ ...keys, developerId: 'dev_01HXYZ', manifests: [githubManifest] });
 * ```
 */
export type KeyOptions = RemoteEnforcerKeyOptions | LocalEnforcerKeyOptions;

/**
 * What the enforcer adds to the verifier's options.
 *
 * @example
 * ```ts
 * const policy: EnforcerPolicyOptions = { manifests: [githubManifest], mode: 'permissive', onDecision: (d) => audit.write(d) };
 * ```
 */
export interface EnforcerPolicyOptions {
  /** The tool manifests, as JSON or from {@link defineManifest}; one per connector. */
  readonly manifests: readonly ToolManifestJson[];
  /**
   * `'strict'` (default) denies; `'permissive'` allows calls that the manifests and scopes would
   * deny, reports them through `onDecision` and warns once per connector and tool. A token that
   * does not verify is denied in both modes.
   */
  readonly mode?: 'strict' | 'permissive' | undefined;
  /** Called with every decision (audit, metrics). Errors it throws are ignored. */
  readonly onDecision?: ((decision: EnforcementDecision) => unknown) | undefined;
  /**
   * Whether and how the enforcer sees revocations that happened after a token was issued:
   * `'offline'` (default) does not; `'online'` asks the API about each token at most once per
   * `maxStaleness`; `'events'` follows the live event feed and asks the API only what the feed
   * cannot say. A revoked token (or one whose grant, or any ancestor grant, was revoked) is denied
   * with `TOKEN_REVOKED`; an unknown status with `REVOCATION_UNKNOWN` (see
   * {@link RevocationOptions}). Call `close()` to end the feed.
   */
  readonly revocation?: RevocationOptions | undefined;
}

/**
 * Options of {@link createEnforcer}: the keys and checks of `createGrantVerifier` (the verified-token
 * cache is on by default here), the developer pin, and the policy. Unknown names are rejected.
 *
 * @example
 * ```ts
 * const options: EnforcerOptions = { jwksUri: 'https://api.grantex.dev/.well-known/jwks.json', developerId: 'dev_01HXYZ', manifests: [githubManifest] };
 * ```
 */
export type EnforcerOptions = KeyOptions & DeveloperPin & EnforcerPolicyOptions;

/**
 * The request side of `enforcer.guard`: anything with fetch-style headers (`Request`, Hono's
 * `c.req.raw`, …).
 *
 * @example
 * ```ts
 * const request: HeadersCarrier = new Request('https://tools.example/run', { headers: { authorization: `Bearer ${token}` } });
 * ```
 */
export interface HeadersCarrier {
  readonly headers: { get(name: string): string | null };
}

/**
 * Which tool a guarded request calls.
 *
 * @example
 * ```ts
 * const denied = await enforcer.guard(request, { connector: 'stripe', tool: 'create_payment', amount: 250 } satisfies GuardOptions);
 * ```
 */
export interface GuardOptions {
  readonly connector: string;
  readonly tool: string;
  readonly amount?: number | undefined;
}

/**
 * The request side of an Express/Connect-style middleware: Node's `IncomingMessage` and Express's
 * `Request` both fit. The decision is attached as `grantex`.
 *
 * @example
 * ```ts
 * function handler(req: NodeStyleRequest) {
 *   console.log(req.grantex?.grant?.principalId);
 * }
 * ```
 */
export interface NodeStyleRequest {
  readonly headers: { readonly [name: string]: string | readonly string[] | undefined };
  grantex?: EnforcementDecision | undefined;
}

/**
 * The response side of an Express/Connect-style middleware (Node's `ServerResponse`, Express's `Response`).
 *
 * @example
 * ```ts
 * const deny = (res: NodeStyleResponse) => { res.statusCode = 403; res.end('{}'); };
 * ```
 */
export interface NodeStyleResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

/**
 * Options of `enforcer.middleware`. `amount` may be read from the request (a parsed body, say).
 *
 * @example
 * ```ts
 * app.post('/pay', enforcer.middleware({ connector: 'stripe', tool: 'create_payment', amount: (req) => req.body.amount }), pay);
 * ```
 */
export interface MiddlewareOptions<Req = NodeStyleRequest> {
  readonly connector: string;
  readonly tool: string;
  readonly amount?: number | ((request: Req) => number | undefined) | undefined;
}

/**
 * Options of `enforcer.wrapTool`: the tool, and where the grant token and amount come from. The
 * functions receive the tool's own arguments.
 *
 * @example
 * ```ts
 * const pay = enforcer.wrapTool(createPayment, { connector: 'stripe', tool: 'create_payment', getGrantToken: (args) => args.token, amount: (args) => args.cents / 100 });
 * ```
 */
export type WrapToolOptions<Args extends unknown[]> = {
  readonly connector: string;
  readonly tool: string;
  readonly amount?: number | ((...args: Args) => number | undefined) | undefined;
} & (
  | { readonly grantToken: string; readonly getGrantToken?: never }
  | { readonly grantToken?: never; readonly getGrantToken: (...args: Args) => string | Promise<string> }
);

/**
 * Decides tool calls from grant tokens, offline. Built by {@link createEnforcer}.
 *
 * @example
 * ```ts
 * const decision = await enforcer.check({ grantToken, connector: 'github', tool: 'create_issue' });
 * ```
 */
export interface Enforcer {
  /** Decides one call. Never rejects: a bad token or bad input is a denial. */
  check(call: ToolCall): Promise<EnforcementDecision>;
  /** Resolves to the decision when allowed; rejects with an `EnforcementError` carrying the code otherwise. */
  assert(call: ToolCall): Promise<EnforcementDecision>;
  /**
   * For fetch-style handlers (Workers, Deno, Bun, Hono, route handlers): reads
   * `Authorization: Bearer <grant token>`, resolves to `null` when allowed, otherwise to a JSON
   * `Response` `{ code, message }`: 401 for a token problem, 403 for a scope problem, 503 when the
   * keys cannot be loaded. Never rejects.
   */
  guard(request: HeadersCarrier, options: GuardOptions): Promise<Response | null>;
  /** An Express/Connect-style `(req, res, next)` middleware that attaches the decision as `req.grantex`. */
  middleware<Req extends NodeStyleRequest>(options: MiddlewareOptions<Req>): (req: Req, res: NodeStyleResponse, next: (error?: unknown) => void) => void;
  /**
   * Ends the live event feed of `revocation: { mode: 'events' }` and every timer of it; later
   * checks ask the API online. Resolves at once for the other modes. Safe to call more than once.
   */
  close(): Promise<void>;
  /** `await using enforcer = createEnforcer(…)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>;
  /** Wraps a tool function so that it runs only when allowed; otherwise it rejects with an `EnforcementError`. */
  wrapTool<Args extends unknown[], Result>(fn: (...args: Args) => Result, options: WrapToolOptions<Args>): (...args: Args) => Promise<Awaited<Result>>;
}
