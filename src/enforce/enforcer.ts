import { EnforcementError } from './errors.js';
import { buildCatalogue } from './catalogue.js';
import { createDecide } from './decision.js';
import { guard } from './guard.js';
import { createKeys } from './keys.js';
import { middleware } from './middleware.js';
import { readPolicyOptions } from './options.js';
import { createPolicy } from './policy.js';
import { createRun } from './run.js';
import type { Enforcer, EnforcerOptions, GuardOptions, HeadersCarrier, MiddlewareOptions, NodeStyleRequest, ToolCall, WrapToolOptions } from './types.js';
import { wrapTool } from './wrap-tool.js';

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
  // Checked in this order, so that the first mistake is the one reported: the policy options, the
  // manifests, then the key options and `revocation`.
  const { manifests, permissive, onDecision } = readPolicyOptions(options);
  const catalogue = buildCatalogue(manifests);
  const { verify, revocation, authority } = createKeys(options);
  const decide = createDecide(permissive);
  const run = createRun(createPolicy(verify, catalogue, decide), decide, authority && revocation && { authority, onUnavailable: revocation.onUnavailable }, onDecision);

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

    guard: (request: HeadersCarrier, guardOptions: GuardOptions) => guard(run, request, guardOptions),

    middleware: <Req extends NodeStyleRequest>(middlewareOptions: MiddlewareOptions<Req>) => middleware(run, middlewareOptions),

    wrapTool: <Args extends unknown[], Result>(fn: (...args: Args) => Result, wrapOptions: WrapToolOptions<Args>) => wrapTool(run, fn, wrapOptions),
  };
  return Object.freeze(enforcer);
}
