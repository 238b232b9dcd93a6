// The part every agent-framework adapter shares: read the guard options once, then for each tool
// call find the grant token and the amount and ask the enforcer. Each adapter only knows where its
// framework keeps the per-call context and how a denial reaches the model.
import { GrantexConfigurationError } from '../errors.js';
import type { DenialCode, EnforcementDecision, Enforcer } from '../enforce/types.js';

/**
 * What a guarded tool returns instead of running when the call is denied and `onDenied` is
 * `'return'`. Frozen; never contains the grant token.
 *
 * @example
 * ```ts
 * const result = await guarded.invoke({ amount: 900 }, { configurable: { grantToken } });
 * if (typeof result === 'object' && 'denied' in result) console.warn(result.code, result.message);
 * ```
 */
export interface ToolDenial {
  readonly denied: true;
  readonly code: DenialCode;
  readonly message: string;
}

/**
 * Options of an adapter's `guardTool`. `Input` is the tool's input, `Context` the framework's
 * per-call context that the token is read from.
 *
 * @example
 * ```ts
 * const options: GuardToolOptions<{ amount: number }, { grantToken?: string }> = {
 *   connector: 'stripe',
 *   tool: 'create_payment',
 *   amount: (input) => input.amount,
 * };
 * ```
 */
export interface GuardToolOptions<Input, Context> {
  /** The connector, as in the manifests and the `tool:<connector>:<level>` scopes. */
  readonly connector: string;
  /** The tool's name in the connector's manifest. */
  readonly tool: string;
  /** The amount the call moves, read from the tool's input; checked against a `…:capped:<N>` scope. */
  readonly amount?: ((input: Input) => number | undefined) | undefined;
  /**
   * The grant token: a string, or a function of the framework's per-call context. By default it is
   * read from that context (see the adapter). Never take it from the model's input.
   */
  readonly grantToken?: string | ((context: Context) => string | undefined | Promise<string | undefined>) | undefined;
}

/** The decision for one call, and how it was asked for. */
export interface ToolGuard<Input, Context> {
  decide(input: Input, context: Context): Promise<EnforcementDecision>;
}

const KNOWN = ['connector', 'tool', 'amount', 'grantToken'];

/**
 * Checks the options of `guardTool` and returns the per-call decision function. `readToken` reads
 * the token from the framework's context when no `grantToken` option is given; `where` tells the
 * caller, in the denial message, where a token was expected.
 */
export function createToolGuard<Input, Context>(
  enforcer: Pick<Enforcer, 'check'>,
  options: GuardToolOptions<Input, Context>,
  adapter: { readonly name: string; readonly extraKeys?: readonly string[] | undefined; readonly readToken: (context: Context) => unknown; readonly where: string },
): ToolGuard<Input, Context> {
  const fail = (message: string) => new GrantexConfigurationError(`${adapter.name} guardTool: ${message}`);
  if (typeof enforcer !== 'object' || enforcer === null || typeof enforcer.check !== 'function') {
    throw fail('the first argument must be an enforcer from createEnforcer()');
  }
  if (typeof options !== 'object' || options === null) throw fail('pass the options: { connector, tool }');
  const known = [...KNOWN, ...(adapter.extraKeys ?? [])];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw fail(`unknown option ${JSON.stringify(key)}; known options: ${known.join(', ')}`);
  }
  const { connector, tool, amount, grantToken } = options;
  if (typeof connector !== 'string' || connector === '' || typeof tool !== 'string' || tool === '') {
    throw fail('`connector` and `tool` must be non-empty strings');
  }
  if (amount !== undefined && typeof amount !== 'function') throw fail('`amount` must be a function of the tool input');
  if (grantToken !== undefined && typeof grantToken !== 'function' && (typeof grantToken !== 'string' || grantToken === '')) {
    throw fail('`grantToken` must be a non-empty string or a function of the call context');
  }

  async function tokenOf(context: Context): Promise<{ token: string } | { missing: string }> {
    let value: unknown;
    try {
      value = typeof grantToken === 'string' ? grantToken : grantToken ? await grantToken(context) : adapter.readToken(context);
    } catch {
      return { missing: 'The grant token could not be obtained' };
    }
    if (typeof value === 'string' && value !== '') return { token: value };
    return { missing: `No grant token for this call: ${typeof grantToken === 'function' ? 'the grantToken option returned none' : adapter.where}` };
  }

  return {
    async decide(input: Input, context: Context): Promise<EnforcementDecision> {
      let value: number | undefined;
      try {
        value = amount ? amount(input) : undefined;
      } catch {
        // An amount that cannot be read is not a number, which no cap lets through.
        value = Number.NaN;
      }
      const found = await tokenOf(context);
      const call = { grantToken: 'token' in found ? found.token : '', connector, tool, ...(value === undefined ? {} : { amount: value }) };
      const decision = await enforcer.check(call);
      // An empty token is denied by the verifier as TOKEN_MALFORMED; say where the token was looked for.
      if ('missing' in found && !decision.allowed) return Object.freeze({ ...decision, message: found.missing });
      return decision;
    },
  };
}

/** The `onDenied: 'return'` value for a denial. */
export function toolDenial(decision: EnforcementDecision): ToolDenial {
  return Object.freeze({ denied: true, code: decision.code as DenialCode, message: decision.message });
}

/** Reads `onDenied`: `'throw'` (the default) or `'return'`. */
export function onDeniedOf(value: unknown, adapter: string): 'throw' | 'return' {
  if (value === undefined || value === 'throw') return 'throw';
  if (value === 'return') return 'return';
  throw new GrantexConfigurationError(`${adapter} guardTool: \`onDenied\` must be 'throw' or 'return'`);
}

/** A property of an object-like value; `undefined` for anything else. */
export function propertyOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
