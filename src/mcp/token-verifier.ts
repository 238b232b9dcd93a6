import { InvalidTokenError, ServerError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';

import type { Enforcer } from '../enforce/types.js';
import { GrantexConfigurationError, GrantTokenError } from '../errors.js';
import type { GrantVerifier, VerifiedGrant } from '../jwt/types.js';

/**
 * Where `grantexTokenVerifier` checks tokens: an enforcer from `createEnforcer` (its `check`), or a
 * grant verifier from `createGrantVerifier` (its `verify`).
 *
 * @example
 * ```ts
 * const source: GrantTokenSource = createEnforcer({ jwksUri, developerId, manifests });
 * ```
 */
export type GrantTokenSource = Pick<Enforcer, 'check'> | Pick<GrantVerifier, 'verify'>;

/** `WWW-Authenticate` carries the description in a quoted string: keep it to plain printable text. */
const headerSafe = (text: string): string => text.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?');

/** Codes that say the keys could not be had: a server problem, not a bad token (500, no challenge to re-authenticate). */
const unavailable = (code: string): boolean => code.endsWith('_UNAVAILABLE');

function denied(code: string, message: string): Error {
  const text = headerSafe(`${code}: ${message}`);
  return unavailable(code) ? new ServerError(text) : new InvalidTokenError(text);
}

function authInfoOf(token: string, grant: VerifiedGrant): AuthInfo {
  let resource: URL | undefined;
  if (grant.audience !== undefined && URL.canParse(grant.audience)) resource = new URL(grant.audience);
  return {
    token,
    clientId: grant.agentDid,
    scopes: [...grant.scopes],
    expiresAt: Math.floor(grant.expiresAt.getTime() / 1000),
    ...(resource ? { resource } : {}),
    extra: { grant },
  };
}

/**
 * The MCP SDK's `OAuthTokenVerifier` for grant tokens, for its `requireBearerAuth` middleware: a
 * grant token that verifies becomes `AuthInfo` (`token`, `clientId` = the agent DID, `scopes`,
 * `expiresAt` in seconds, `resource` when the token has a URL audience, `extra.grant` = the
 * verified grant); one that does not throws the MCP SDK's `InvalidTokenError`
 * (`<CODE>: <message>`), so the client gets a 401 with a `WWW-Authenticate` challenge. When the
 * signing keys cannot be loaded it throws the MCP SDK's `ServerError` (500) instead: the token may
 * well be good. Messages never contain the token.
 *
 * With an enforcer, verification goes through `enforcer.check` (so its revocation and key
 * settings apply) for connector `''`, which no manifest names: `onDecision` sees one decision per
 * request, code `CONNECTOR_UNKNOWN` when the token verified. Pass a verifier from
 * `createGrantVerifier` instead to keep those out of an audit hook.
 *
 * @example
 * ```ts
 * import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
 * import { grantexTokenVerifier } from '@grantex/sdk/mcp';
 *
 * app.post('/mcp', requireBearerAuth({ verifier: grantexTokenVerifier(enforcer), resourceMetadataUrl }), handleMcp);
 * ```
 */
export function grantexTokenVerifier(source: GrantTokenSource): OAuthTokenVerifier {
  if (typeof source !== 'object' || source === null) throw new GrantexConfigurationError('grantexTokenVerifier needs an enforcer or a grant verifier');
  if ('verify' in source && typeof source.verify === 'function') {
    const verifier = source;
    return {
      async verifyAccessToken(token: string): Promise<AuthInfo> {
        try {
          return authInfoOf(token, await verifier.verify(token));
        } catch (error) {
          if (error instanceof GrantTokenError) throw denied(error.code, error.message);
          throw denied('TOKEN_INVALID', 'Grant token could not be verified');
        }
      },
    };
  }
  if ('check' in source && typeof source.check === 'function') {
    const enforcer = source;
    return {
      async verifyAccessToken(token: string): Promise<AuthInfo> {
        const decision = await enforcer.check({ grantToken: token, connector: '', tool: '' });
        // The connector is unknown on purpose: that denial (or, in permissive mode, the allowance
        // that would have been it) comes only after the token verified. Any other code is a denial
        // of the token itself.
        const reached = decision.code === 'CONNECTOR_UNKNOWN' || decision.wouldDeny === 'CONNECTOR_UNKNOWN';
        if (!reached || decision.grant === null) throw denied(decision.code, decision.message);
        return authInfoOf(token, decision.grant);
      },
    };
  }
  throw new GrantexConfigurationError('grantexTokenVerifier needs an enforcer (createEnforcer) or a grant verifier (createGrantVerifier)');
}
