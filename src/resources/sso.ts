import {
  deleteSsoConfig,
  getSsoConfig,
  getSsoLoginUrl,
  handleLdapCallback,
  handleOidcCallback,
  handleSamlCallback,
  handleSsoCallback,
  listSsoSessions,
  revokeSsoSession,
  setSsoEnforcement,
  upsertSsoConfig,
} from '../../generated/sdk.gen.js';
import type {
  GetSsoConfigResponse,
  GetSsoLoginUrlData,
  GetSsoLoginUrlResponse,
  HandleLdapCallbackData,
  HandleLdapCallbackResponse,
  HandleOidcCallbackData,
  HandleOidcCallbackResponse,
  HandleSamlCallbackData,
  HandleSamlCallbackResponse,
  HandleSsoCallbackData,
  HandleSsoCallbackResponse,
  ListSsoSessionsResponse,
  SetSsoEnforcementResponse,
  UpsertSsoConfigData,
  UpsertSsoConfigResponse,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import type { DeepReadonly } from '../core/types.js';
import { discardBody } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';
import { SsoConnections } from './sso-connections.js';

/** Login URL options; `redirectUri` is sent as the wire's `redirect_uri`. */
export interface SsoLoginParams {
  /** The developer id whose identity provider to use. */
  readonly org: string;
  /** Picks the connection that lists this email domain. */
  readonly domain?: string;
  /** Where the identity provider should send the user back. */
  readonly redirectUri?: string;
}
export type UpsertSsoConfigParams = UpsertSsoConfigData['body'];
export type OidcCallbackParams = HandleOidcCallbackData['body'];
export type SamlCallbackParams = HandleSamlCallbackData['body'];
export type LdapCallbackParams = HandleLdapCallbackData['body'];
export type LegacySsoCallbackParams = HandleSsoCallbackData['query'];

/**
 * Single sign-on for your users through their identity provider. `client.sso`.
 *
 * @example
 * ```ts
 * const login = await client.sso.loginUrl({ org: developerId, domain: 'acme.com', redirectUri });
 * if ('authorizeUrl' in login) redirect(login.authorizeUrl);
 * // on the way back:
 * const session = await client.sso.handleOidcCallback({ code, state, redirect_uri: redirectUri });
 * ```
 */
export class Sso {
  /** OIDC, SAML and LDAP connections. */
  readonly connections: SsoConnections;
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
    this.connections = new SsoConnections(transport);
  }

  /** Turns "SSO required" on or off for every active connection. */
  enforce(enforce: boolean, options?: RequestOptions): ApiPromise<DeepReadonly<SetSsoEnforcementResponse>> {
    return this.#transport.call('setSsoEnforcement', 'post', (o) => setSsoEnforcement({ ...o, body: { enforce } }), options);
  }

  /** Unexpired SSO sessions, newest first. */
  sessions(options?: RequestOptions): ApiPromise<DeepReadonly<ListSsoSessionsResponse>> {
    return this.#transport.call('listSsoSessions', 'get', (o) => listSsoSessions(o), options);
  }

  /** Ends an SSO session. */
  revokeSession(sessionId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('revokeSsoSession', 'delete', (o) => discardBody(revokeSsoSession({ ...o, path: { id: pathParam('sessionId', sessionId) } })), options);
  }

  /** Builds the identity-provider login URL (public; the state in it is signed and single-use). */
  loginUrl(params: SsoLoginParams, options?: RequestOptions): ApiPromise<DeepReadonly<GetSsoLoginUrlResponse>> {
    const query: GetSsoLoginUrlData['query'] = {
      org: params.org,
      ...(params.domain !== undefined ? { domain: params.domain } : {}),
      ...(params.redirectUri !== undefined ? { redirect_uri: params.redirectUri } : {}),
    };
    return this.#transport.call('getSsoLoginUrl', 'get', (o) => getSsoLoginUrl({ ...o, query }), options);
  }

  /** Completes an OIDC login with the code and state the identity provider sent back. */
  handleOidcCallback(params: OidcCallbackParams, options?: RequestOptions): ApiPromise<DeepReadonly<HandleOidcCallbackResponse>> {
    return this.#transport.call('handleOidcCallback', 'post', (o) => handleOidcCallback({ ...o, body: params }), options, { secret: params.code });
  }

  /** Completes a SAML login with the posted `SAMLResponse` and `RelayState`. */
  handleSamlCallback(params: SamlCallbackParams, options?: RequestOptions): ApiPromise<DeepReadonly<HandleSamlCallbackResponse>> {
    return this.#transport.call('handleSamlCallback', 'post', (o) => handleSamlCallback({ ...o, body: params }), options);
  }

  /** Signs a user in against an LDAP connection. */
  handleLdapCallback(params: LdapCallbackParams, options?: RequestOptions): ApiPromise<DeepReadonly<HandleLdapCallbackResponse>> {
    return this.#transport.call('handleLdapCallback', 'post', (o) => handleLdapCallback({ ...o, body: params }), options, { secret: params.password });
  }

  /** The older single-connection OIDC callback (no session is created). */
  handleLegacyCallback(params: LegacySsoCallbackParams, options?: RequestOptions): ApiPromise<DeepReadonly<HandleSsoCallbackResponse>> {
    return this.#transport.call('handleSsoCallback', 'get', (o) => handleSsoCallback({ ...o, query: params }), options, { secret: params.code });
  }

  /** Sets the older single-connection OIDC configuration. Prefer `connections`. */
  setConfig(params: UpsertSsoConfigParams, options?: RequestOptions): ApiPromise<DeepReadonly<UpsertSsoConfigResponse>> {
    return this.#transport.call('upsertSsoConfig', 'post', (o) => upsertSsoConfig({ ...o, body: params }), options, { secret: params.clientSecret });
  }

  getConfig(options?: RequestOptions): ApiPromise<DeepReadonly<GetSsoConfigResponse>> {
    return this.#transport.call('getSsoConfig', 'get', (o) => getSsoConfig(o), options);
  }

  deleteConfig(options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteSsoConfig', 'delete', (o) => discardBody(deleteSsoConfig(o)), options);
  }
}
