/** `enforcer.wrapTool`: a tool function that runs only when the call is allowed. */
import { EnforcementError } from './errors.js';
import { configError, readCallOptions } from './options.js';
import type { Run } from './run.js';
import type { WrapToolOptions } from './types.js';

/** `fn` behind the enforcer: a denial rejects with an `EnforcementError` and `fn` never runs. */
export function wrapTool<Args extends unknown[], Result>(run: Run, fn: (...args: Args) => Result, options: WrapToolOptions<Args>): (...args: Args) => Promise<Awaited<Result>> {
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
}
