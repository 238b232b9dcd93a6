import { GrantexConfigurationError, GrantTokenError } from '../errors.js';
import { createGrantVerifier } from '../jwt/index.js';
import { quote } from '../jwt/text.js';
import type { GrantVerifier, GrantVerifierOptions, VerifiedGrant } from '../jwt/types.js';
import { lazyAuthority, readRevocationOptions, type RevocationVerdict } from '../revocation/index.js';
import { EnforcementError } from './errors.js';
import { defineManifest, LEVELS } from './manifest.js';
import { heldFor, levelOf } from './scopes.js';
import type {
  DenialCode,
  EnforcementDecision,
  Enforcer,
  EnforcerOptions,
  GuardOptions,
  HeadersCarrier,
  MiddlewareOptions,
  NodeStyleRequest,
  NodeStyleResponse,
  ToolCall,
  WrapToolOptions,
} from './types.js';

const VERIFIER_KEYS = [
  'jwks', 'jwksUri', 'issuer', 'developerId', 'anyDeveloper', 'audience', 'clockTolerance', 'maxDelegationDepth',
  'timeoutMs', 'cooldownMs', 'cacheMaxAgeMs', 'fetch', 'maxJwksBytes', 'maxJwksKeys', 'cache',
];
const POLICY_KEYS = ['manifests', 'mode', 'onDecision', 'revocation'];
const CALL_KEYS = ['grantToken', 'connector', 'tool', 'amount'];
/** Distinct connector/tool pairs warned about in permissive mode; past this, warnings stop. */
const MAX_WARNINGS = 1000;

const configError = (message: string) => new GrantexConfigurationError(message);

function rejectUnknown(options: object, known: readonly string[], what: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw configError(`Unknown ${what} option ${JSON.stringify(key)}; known options: ${known.join(', ')}`);
  }
}

/** The token of an `Authorization: Bearer <token>` value; `undefined` for anything else (two values included). */
function bearer(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer +(\S+) *$/i.exec(value);
  return match?.[1];
}

/** HTTP status for a denial: the token is not good (401), the keys cannot be had (503), or the call is not allowed (403). */
function statusOf(code: DenialCode): 401 | 403 | 503 {
  if (code === 'JWKS_UNAVAILABLE' || code === 'REVOCATION_UNKNOWN') return 503;
  if (code === 'TOKEN_SCOPES_MISSING' || code === 'TOKEN_DELEGATION_TOO_DEEP') return 403;
  return code.startsWith('TOKEN_') ? 401 : 403;
}

/** The headers and body of a denial, shared by the fetch guard and the middleware. */
function denialParts(decision: EnforcementDecision): { status: number; headers: Record<string, string>; body: string } {
  const status = statusOf(decision.code as DenialCode);
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  // RFC 6750 §3: tell a bearer-token client whether to get a new token or more scope.
  if (status !== 503) headers['www-authenticate'] = `Bearer error="${status === 401 ? 'invalid_token' : 'insufficient_scope'}"`;
  return { status, headers, body: JSON.stringify({ code: decision.code, message: decision.message }) };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Creates an enforcer: it verifies grant tokens offline (see `createGrantVerifier`, whose options it
 * takes, `developerId` included) and decides tool calls against tool manifests and the grant's
 * `tool:<connector>:<level>[:<resource>][:capped:<N>]` scopes. Verified tokens are answered from a
 * bounded cache (on by default here; `cache: false` turns it off), so a repeated token costs a map
 * lookup instead of an RSA verification.
 *
 * Rules, all failing closed: levels are ordered read < write < delete < admin and the highest level
 * a grant holds for a connector counts; a scope with an unknown level grants nothing; a tool that is
 * not in its connector's manifest is denied whatever the grant holds; where a cap applies, an amount
 * must be a finite number, 0 or more, and at most the cap (a cap that cannot be read denies every
 * amount); when several scopes share the highest level, the strictest cap counts.
 *
 * Configuration mistakes (unknown option names included) throw `GrantexConfigurationError`; a bad
 * manifest throws `ManifestError`.
 *
 * @example
 * ```ts
 * import { createEnforcer } from '@grantex/sdk/enforce';
 *
 * const enforcer = createEnforcer({
 *   jwksUri: 'https://api.grantex.dev/.well-known/jwks.json',
 *   developerId: 'dev_01HXYZ',
 *   manifests: [{ connector: 'stripe', tools: { create_payment: 'write', list_payments: 'read' } }],
 * });
 * const decision = await enforcer.check({ grantToken, connector: 'stripe', tool: 'create_payment', amount: 120 });
 * if (!decision.allowed) console.warn(decision.code, decision.message);
 * ```
 */
export function createEnforcer(options: EnforcerOptions): Enforcer {
  if (typeof options !== 'object' || options === null) throw configError('Pass an options object');
  rejectUnknown(options, [...VERIFIER_KEYS, ...POLICY_KEYS], 'enforcer');
  const { manifests, mode = 'strict', onDecision } = options;
  if (mode !== 'strict' && mode !== 'permissive') throw configError(`\`mode\` must be 'strict' or 'permissive'; got ${quote(mode)}`);
  if (onDecision !== undefined && typeof onDecision !== 'function') throw configError('`onDecision` must be a function');
  if (!Array.isArray(manifests)) throw configError('`manifests` must be an array of tool manifests');
  // connector → tool → [rank of the level it needs, the phrase that says so]. The phrase is built
  // here once rather than on every call.
  const tools = new Map<string, ReadonlyMap<string, readonly [number, string]>>();
  for (const json of manifests) {
    const { connector, tools: levels } = defineManifest(json);
    if (tools.has(connector)) throw configError(`Two manifests declare connector ${quote(connector)}`);
    const entries = Object.entries(levels).map(([tool, level]) => [tool, [LEVELS.indexOf(level), `tool ${quote(tool)} of connector ${quote(connector)} needs ${level}`]] as const);
    tools.set(connector, new Map(entries));
  }
  const verifierOptions: Record<string, unknown> = { cache: true };
  for (const key of VERIFIER_KEYS) {
    const value = (options as unknown as Record<string, unknown>)[key];
    if (value !== undefined) verifierOptions[key] = value;
  }
  const verifier: GrantVerifier = createGrantVerifier(verifierOptions as unknown as GrantVerifierOptions);
  const cacheBound = (options as { cache?: { maxEntries?: unknown } }).cache;
  const revocation = readRevocationOptions(options.revocation, typeof cacheBound === 'object' && typeof cacheBound?.maxEntries === 'number' ? cacheBound.maxEntries : undefined);
  const authority = revocation && lazyAuthority(revocation);
  const permissive = mode === 'permissive';
  const warned = new Set<string>();

  /** Builds and freezes a decision; in permissive mode a policy denial becomes an allowance that says so. */
  function decide(
    code: DenialCode | 'ALLOWED',
    message: string,
    call: { connector: string; tool: string },
    required: number | null,
    granted: number | null,
    cap: number | null,
    grant: VerifiedGrant | null,
  ): EnforcementDecision {
    let allowed = code === 'ALLOWED';
    let wouldDeny: DenialCode | null = null;
    // Permissive mode relaxes the policy, never authentication: a grant is required.
    if (!allowed && permissive && grant) {
      wouldDeny = code as DenialCode;
      warn(call.connector, call.tool, wouldDeny, message);
      message = `Allowed in permissive mode; strict mode would deny it: ${message}`;
      code = 'ALLOWED';
      allowed = true;
    }
    return Object.freeze({
      allowed,
      code,
      message,
      connector: call.connector,
      tool: call.tool,
      required: required === null ? null : levelOf(required),
      granted: granted === null ? null : levelOf(granted),
      cap: cap === Infinity ? null : cap,
      grant,
      wouldDeny,
    });
  }

  function warn(connector: string, tool: string, code: DenialCode, message: string): void {
    const key = `${connector}\u0000${tool}`;
    if (warned.has(key) || warned.size >= MAX_WARNINGS) return;
    warned.add(key);
    globalThis.console?.warn?.(`grantex enforce (permissive): would deny ${quote(connector)}/${quote(tool)} with ${code}: ${message}`);
  }

  /** An allowance after the revocation check: unchanged when the token is still good. */
  function withVerdict(decision: EnforcementDecision, verdict: RevocationVerdict): EnforcementDecision {
    if (verdict.status === 'active') return decision;
    const names = { connector: decision.connector, tool: decision.tool };
    if (verdict.status === 'revoked') return decide('TOKEN_REVOKED', verdict.message, names, null, null, null, null);
    if (revocation!.onUnavailable === 'deny') return decide('REVOCATION_UNKNOWN', verdict.message, names, null, null, null, null);
    return Object.freeze({ ...decision, message: `${decision.message}; ${verdict.message}, allowed because onUnavailable is 'allow'`, revocationUnknown: true });
  }

  /** The decision of the token and the policy. `missing` replaces verification when there is no token to verify. */
  async function evaluatePolicy(call: unknown, missing?: string): Promise<EnforcementDecision> {
    const input = (typeof call === 'object' && call !== null ? call : {}) as Partial<Record<keyof ToolCall, unknown>>;
    const names = { connector: text(input.connector), tool: text(input.tool) };
    let grant: VerifiedGrant;
    try {
      if (missing !== undefined) throw new GrantTokenError('TOKEN_MALFORMED', missing);
      grant = await verifier.verify(input.grantToken as string);
    } catch (error) {
      const code = error instanceof GrantTokenError ? error.code : 'TOKEN_INVALID';
      const message = error instanceof GrantTokenError ? error.message : 'Grant token could not be verified';
      return decide(code, message, names, null, null, null, null);
    }
    const { connector, tool } = names;
    // A misspelt `amount` must not skip the cap, so any field this does not know denies the call.
    for (const key of Object.keys(input)) {
      if (!CALL_KEYS.includes(key)) {
        return decide('AMOUNT_INVALID', `Unknown field ${quote(key)} in the tool call; known fields: ${CALL_KEYS.join(', ')}`, names, null, null, null, grant);
      }
    }
    const catalogue = typeof input.connector === 'string' ? tools.get(connector) : undefined;
    if (!catalogue) return decide('CONNECTOR_UNKNOWN', `No manifest declares connector ${quote(input.connector)}`, names, null, null, null, grant);
    const entry = typeof input.tool === 'string' ? catalogue.get(tool) : undefined;
    if (entry === undefined) {
      return decide('TOOL_UNKNOWN', `Tool ${quote(input.tool)} is not in the manifest of connector ${quote(connector)}`, names, null, null, null, grant);
    }
    const [required, needs] = entry;
    const held = heldFor(grant.scopes, connector);
    if (!held || held.rank < 0) {
      const ignored = held?.ignored ? `; ${held.ignored} scope(s) for it with an unknown level grant nothing` : '';
      return decide('SCOPE_MISSING', `The grant holds no tool scope for connector ${quote(connector)} (${needs}${ignored})`, names, required, null, null, grant);
    }
    if (held.rank < required) {
      return decide('PERMISSION_INSUFFICIENT', `The ${needs}; the grant holds ${LEVELS[held.rank]}`, names, required, held.rank, held.cap, grant);
    }
    const { cap } = held;
    const amount = input.amount;
    if (amount !== undefined && cap !== Infinity) {
      if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
        return decide('AMOUNT_INVALID', `A cap applies to connector ${quote(connector)}, so the amount must be a finite number, 0 or more; got ${quote(amount)}`, names, required, held.rank, cap, grant);
      }
      if (!(amount <= cap)) {
        const message = Number.isNaN(cap)
          ? `The grant's cap for connector ${quote(connector)} cannot be read, so no amount is allowed`
          : `Amount ${amount} is over the grant's cap of ${cap} for connector ${quote(connector)}`;
        return decide('AMOUNT_OVER_CAP', message, names, required, held.rank, cap, grant);
      }
    }
    const within = amount !== undefined && cap !== Infinity ? `; amount ${amount} is within the cap of ${cap}` : '';
    return decide('ALLOWED', `Allowed: the ${needs}; the grant holds ${LEVELS[held.rank]}${within}`, names, required, held.rank, cap, grant);
  }

  /** `evaluatePolicy`, then the revocation check, reported to `onDecision`, and never rejecting. */
  async function run(call: unknown, missing?: string): Promise<EnforcementDecision> {
    let decision: EnforcementDecision;
    try {
      decision = await evaluatePolicy(call, missing);
      // An allowance is asked about revocation last, so that a call the policy denies anyway costs
      // no request. Memory answers without a promise; only a token that must be asked about waits.
      if (authority && decision.allowed && decision.grant) {
        const pending = authority.check((call as ToolCall).grantToken, decision.grant);
        decision = withVerdict(decision, 'then' in pending ? await pending : pending);
      }
    } catch {
      // Only a defect can land here; it must still be a denial, never an exception.
      decision = Object.freeze({
        allowed: false, code: 'TOKEN_INVALID', message: 'The call could not be decided', connector: '', tool: '',
        required: null, granted: null, cap: null, grant: null, wouldDeny: null,
      });
    }
    if (onDecision) {
      try {
        const result = onDecision(decision) as { catch?: unknown } | undefined;
        if (typeof result?.catch === 'function') (result as Promise<unknown>).catch(() => {});
      } catch {
        // An audit hook must not change the decision.
      }
    }
    return decision;
  }

  function readCallOptions(options: unknown, extra: readonly string[], what: string): { connector: string; tool: string; amount: unknown } {
    if (typeof options !== 'object' || options === null) throw configError(`Pass the ${what} options: { connector, tool }`);
    rejectUnknown(options, ['connector', 'tool', 'amount', ...extra], what);
    const { connector, tool, amount } = options as Record<string, unknown>;
    if (typeof connector !== 'string' || typeof tool !== 'string') throw configError(`The ${what} options need \`connector\` and \`tool\` strings`);
    if (amount !== undefined && typeof amount !== 'number' && typeof amount !== 'function') throw configError('`amount` must be a number or a function');
    return { connector, tool, amount };
  }

  const close = async (): Promise<void> => {
    await authority?.close();
  };

  const enforcer: Enforcer = {
    check: (call: ToolCall) => run(call),
    close,
    [Symbol.asyncDispose]: close,

    async assert(call: ToolCall) {
      const decision = await run(call);
      if (!decision.allowed) throw new EnforcementError(decision);
      return decision;
    },

    async guard(request: HeadersCarrier, options: GuardOptions) {
      let header: unknown;
      try {
        header = request.headers.get('authorization');
      } catch {
        header = undefined;
      }
      const token = bearer(header);
      const call = typeof options === 'object' && options !== null ? { ...options, grantToken: token } : { grantToken: token };
      const decision = await run(call, token === undefined ? 'The request has no "Authorization: Bearer <grant token>" header' : undefined);
      if (decision.allowed) return null;
      const { status, headers, body } = denialParts(decision);
      return new Response(body, { status, headers });
    },

    middleware<Req extends NodeStyleRequest>(options: MiddlewareOptions<Req>) {
      const { connector, tool, amount } = readCallOptions(options, [], 'middleware');
      return (req: Req, res: NodeStyleResponse, next: (error?: unknown) => void) => {
        let token: string | undefined;
        let value: unknown = amount;
        try {
          token = bearer(req.headers.authorization);
          // An amount that cannot be read is not a number, which no cap lets through.
          if (typeof amount === 'function') value = (amount as (request: Req) => unknown)(req);
        } catch {
          value = Number.NaN;
        }
        run({ grantToken: token, connector, tool, amount: value }, token === undefined ? 'The request has no "Authorization: Bearer <grant token>" header' : undefined)
          .then((decision) => {
            req.grantex = decision;
            if (decision.allowed) return next();
            const { status, headers, body } = denialParts(decision);
            res.statusCode = status;
            for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
            res.end(body);
          })
          .catch(next);
      };
    },

    wrapTool<Args extends unknown[], Result>(fn: (...args: Args) => Result, options: WrapToolOptions<Args>) {
      if (typeof fn !== 'function') throw configError('wrapTool needs a function');
      const { connector, tool, amount } = readCallOptions(options, ['grantToken', 'getGrantToken'], 'wrapTool');
      const { grantToken, getGrantToken } = options as { grantToken?: unknown; getGrantToken?: unknown };
      if ((grantToken === undefined) === (getGrantToken === undefined)) throw configError('Pass either `grantToken` or `getGrantToken` to wrapTool');
      if (getGrantToken !== undefined && typeof getGrantToken !== 'function') throw configError('`getGrantToken` must be a function');
      return async function (this: unknown, ...args: Args): Promise<Awaited<Result>> {
        let token: unknown = grantToken;
        let value: unknown = amount;
        let missing: string | undefined;
        try {
          if (getGrantToken) token = await (getGrantToken as (...a: Args) => unknown)(...args);
        } catch {
          missing = 'The grant token could not be obtained';
        }
        try {
          if (typeof amount === 'function') value = (amount as (...a: Args) => unknown)(...args);
        } catch {
          value = Number.NaN;
        }
        const decision = await run({ grantToken: token, connector, tool, amount: value }, missing);
        if (!decision.allowed) throw new EnforcementError(decision);
        return (await fn.apply(this, args)) as Awaited<Result>;
      };
    },
  };
  return Object.freeze(enforcer);
}
