// A small consumer program, compiled (never run) by scripts/ts-consumer-matrix.mjs against the packed
// package in every TypeScript setup it tries. It uses the SDK the way its guides do: the client, the
// error tree, and each helper entry point imported alone. It sticks to ES2022 and to globals that
// both the DOM lib and @types/node declare, so it compiles in every setup unless the package's own
// declarations do not. `entries.ts` beside it (written per run) imports every entry of the exports map.
import { Grantex, GrantexError, isGrantexError } from '@grantex/sdk';
import { GrantexError as GrantexErrorFromErrors } from '@grantex/sdk/errors';
import { verifyGrantToken, type GrantVerifierOptions, type VerifiedGrant } from '@grantex/sdk/jwt';
import { generatePkce, verifyCodeVerifier } from '@grantex/sdk/pkce';
import { constructWebhookEvent, type WebhookHeaders } from '@grantex/sdk/webhooks';

export async function connectCalendar(apiKey: string, userId: string): Promise<string> {
  const client = new Grantex({ apiKey, timeout: 10_000, maxRetries: 1 });
  try {
    const agent = await client.agents.register({ name: 'calendar-assistant', scopes: ['calendar:read'] });
    const again = await client.agents.get(agent.agentId);
    const pkce = await generatePkce();
    const request = await client.authorize({ agentId: again.agentId, userId, scopes: ['calendar:read'] });
    await verifyCodeVerifier(pkce.codeVerifier, pkce.codeChallenge);
    const code: string | undefined = request.code ?? undefined;
    if (code === undefined) return request.consentUrl;
    const { grantToken, grantId } = await client.tokens.exchange({ code, agentId: agent.agentId });
    await client.grants.revoke(grantId);
    return grantToken;
  } catch (error: unknown) {
    if (isGrantexError(error)) {
      const code: string = error.code;
      throw new Error(`Grantex said ${code}`, { cause: error });
    }
    throw error;
  } finally {
    client.close();
  }
}

export async function checkToken(token: string, options: GrantVerifierOptions): Promise<readonly string[]> {
  const grant: VerifiedGrant = await verifyGrantToken(token, options);
  const expires: Date = grant.expiresAt;
  return expires.getTime() > Date.now() ? grant.scopes : [];
}

export async function onWebhook(rawBody: string, headers: WebhookHeaders, secret: string): Promise<string> {
  try {
    const event = await constructWebhookEvent({ payload: rawBody, headers, secret });
    return event.type;
  } catch (error: unknown) {
    // The same class, whichever entry point it was imported from.
    if (error instanceof GrantexError && error instanceof GrantexErrorFromErrors) return error.code;
    throw error;
  }
}
