// Compiled by scripts/ts-consumer-matrix.mjs with `exactOptionalPropertyTypes: true`, the setting of
// projects that tell "absent" from "undefined". Every value below is `T | undefined`, as values read
// from the environment, from optional chains and from other optional fields are: each optional
// option of the package must accept it. Against options typed `name?: T` this file fails with
// TS2379/TS2375/TS2412.
import { Grantex, type GrantexOptions, type RequestOptions } from '@grantex/sdk';
import { createEnforcer, type GuardOptions, type KeyOptions } from '@grantex/sdk/enforce';
import { createGrantVerifier } from '@grantex/sdk/jwt';
import { createTestServer } from '@grantex/sdk/testing';
import { createAuthorizedFetch } from '@grantex/sdk/vault';

interface ToolArguments {
  amount?: number;
  timeout?: number;
}

/** A setting that may be missing, as from a config file or a form. */
declare const setting: { text?: string; number?: number; flag?: boolean };

export async function strictClient(): Promise<number> {
  // The README's first line.
  const client = new Grantex({ apiKey: process.env.GRANTEX_API_KEY });
  const options: GrantexOptions = { apiKey: process.env.GRANTEX_API_KEY, baseUrl: process.env.GRANTEX_BASE_URL, timeout: setting.number, maxRetries: setting.number, dangerouslyAllowBrowser: setting.flag };
  const configured = new Grantex(options);
  const perCall: RequestOptions = { timeout: setting.number, idempotencyKey: setting.text, maxRetries: setting.number };
  const { agents } = await client.agents.list(perCall);
  const stream = configured.events.stream({ types: undefined, idleTimeout: setting.number, reconnect: { maxAttempts: setting.number, initialDelay: setting.number } });
  await stream.close();
  client.close();
  configured.close();
  return agents.length;
}

export async function strictEnforcer(request: Request, args: ToolArguments | undefined): Promise<Response | null> {
  const keys: KeyOptions = { jwksUri: 'https://api.grantex.dev/.well-known/jwks.json', issuer: setting.text, timeoutMs: setting.number, cache: setting.flag };
  const enforcer = createEnforcer({ ...keys, developerId: 'dev_1', manifests: [], mode: undefined, revocation: { mode: 'online', apiKey: 'key', baseUrl: setting.text, maxStaleness: setting.number } });
  // The enforcer guide's pattern: the amount read from optional tool arguments.
  const guard: GuardOptions = { connector: 'stripe', tool: 'create_payment', amount: args?.amount };
  const denied = await enforcer.guard(request, { connector: 'stripe', tool: 'create_payment', amount: args?.amount });
  await enforcer.close();
  return denied ?? (await enforcer.guard(request, guard));
}

export function strictHelpers(): void {
  createGrantVerifier({ jwksUri: 'https://api.grantex.dev/.well-known/jwks.json', anyDeveloper: true, audience: setting.text, cooldownMs: setting.number, fetch: undefined });
  createAuthorizedFetch({ grantToken: setting.text, service: 'github', allowedOrigins: ['https://api.github.com'], baseUrl: setting.text, followRedirects: setting.flag });
  createTestServer({ apiKey: setting.text, clock: undefined, rateLimits: setting.flag });
}
