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

/**
 * Login URL options; `redirectUri` is sent as the wire's `redirect_uri`.
 *
 * @example
 * ```ts
 * const params: SsoLoginParams = { org: developerId, domain: 'acme.com', redirectUri: 'https://app.example/sso/callback' };
 * ```
 */
export interface SsoLoginParams {
  /** The developer id whose identity provider to use. */
  readonly org: string;
  /** Picks the connection that lists this email domain. */
  readonly domain?: string;
  /** Where the identity provider should send the user back. */
  readonly redirectUri?: string;
}
/**
 * The body of `client.sso.setConfig` (legacy OIDC): issuer, client id and secret, redirect URI.
 *
 * @example
 * ```ts
 * const params: UpsertSsoConfigParams = { issuerUrl, clientId, clientSecret, redirectUri };
 * ```
 */
export type UpsertSsoConfigParams = UpsertSsoConfigData['body'];
/**
 * The body of `client.sso.handleOidcCallback`: `code`, `state` and the `redirect_uri` used.
 *
 * @example
 * ```ts
 * const params: OidcCallbackParams = { code, state, redirect_uri: redirectUri };
 * ```
 */
export type OidcCallbackParams = HandleOidcCallbackData['body'];
/**
 * The body of `client.sso.handleSamlCallback`: the IdP's posted `SAMLResponse` and `RelayState`.
 *
 * @example
 * ```ts
 * const params: SamlCallbackParams = { SAMLResponse: form.SAMLResponse, RelayState: form.RelayState };
 * ```
 */
export type SamlCallbackParams = HandleSamlCallbackData['body'];
/**
 * The body of `client.sso.handleLdapCallback`: the user's directory credentials, connection and org.
 *
 * @example
 * ```ts
 * const params: LdapCallbackParams = { username, password, connectionId, org: developerId };
 * ```
 */
export type LdapCallbackParams = HandleLdapCallbackData['body'];
/**
 * The query of `client.sso.handleLegacyCallback`: the `code` and `state` the issuer sent back.
 *
 * @example
 * ```ts
 * const params: LegacySsoCallbackParams = { code, state };
 * ```
 */
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

  /** Created by the client; reach it as `client.sso`. */
  constructor(transport: Transport) {
    this.#transport = transport;
    this.connections = new SsoConnections(transport);
  }

  /**
   * Turns "SSO required" on or off for every active connection (inactive and testing ones keep their
   * value).
   *
   * @example
   * ```ts
   * const { enforce } = await client.sso.enforce(true);
   * ```
   */
  enforce(enforce: boolean, options?: RequestOptions): ApiPromise<DeepReadonly<SetSsoEnforcementResponse>> {
    return this.#transport.call('setSsoEnforcement', 'post', (o) => setSsoEnforcement({ ...o, body: { enforce } }), options);
  }

  /**
   * Unexpired SSO sessions (8 hours from sign-in), newest first.
   *
   * @example
   * ```ts
   * const { sessions } = await client.sso.sessions();
   * ```
   */
  sessions(options?: RequestOptions): ApiPromise<DeepReadonly<ListSsoSessionsResponse>> {
    return this.#transport.call('listSsoSessions', 'get', (o) => listSsoSessions(o), options);
  }

  /**
   * Ends an SSO session, expired or not. Throws `NotFoundError` for an unknown id.
   *
   * @example
   * ```ts
   * await client.sso.revokeSession(sessionId);
   * ```
   */
  revokeSession(sessionId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('revokeSsoSession', 'delete', (o) => discardBody(revokeSsoSession({ ...o, path: { id: pathParam('sessionId', sessionId) } })), options);
  }

  /**
   * Builds the identity-provider login URL (public; the state in it is signed and single-use). For
   * LDAP there is no URL: collect credentials and call `handleLdapCallback`. No matching active
   * connection throws `NotFoundError`.
   *
   * @example
   * ```ts
   * const login = await client.sso.loginUrl({ org: developerId, domain: 'acme.com' });
   * if (login.protocol !== 'ldap') redirect(login.authorizeUrl);
   * ```
   */
  loginUrl(params: SsoLoginParams, options?: RequestOptions): ApiPromise<DeepReadonly<GetSsoLoginUrlResponse>> {
    const query: GetSsoLoginUrlData['query'] = {
      org: params.org,
      ...(params.domain !== undefined ? { domain: params.domain } : {}),
      ...(params.redirectUri !== undefined ? { redirect_uri: params.redirectUri } : {}),
    };
    return this.#transport.call('getSsoLoginUrl', 'get', (o) => getSsoLoginUrl({ ...o, query }), options);
  }

  /**
   * Completes an OIDC login with the code and state the identity provider sent back, and opens an
   * 8-hour session (public). A bad or reused state throws `BadRequestError`; a failure on the
   * identity provider's side throws `InternalServerError` (502, `SSO_ERROR`).
   *
   * @example
   * ```ts
   * const { sessionId, email, mappedScopes } = await client.sso.handleOidcCallback({ code, state });
   * ```
   */
  handleOidcCallback(params: OidcCallbackParams, options?: RequestOptions): ApiPromise<DeepReadonly<HandleOidcCallbackResponse>> {
    return this.#transport.call('handleOidcCallback', 'post', (o) => handleOidcCallback({ ...o, body: params }), options, { secret: params.code });
  }

  /**
   * Completes a SAML login with the posted `SAMLResponse` and `RelayState`, and opens an 8-hour session (public).
   *
   * @example
   * ```ts
   * const session = await client.sso.handleSamlCallback({ SAMLResponse, RelayState });
   * ```
   */
  handleSamlCallback(params: SamlCallbackParams, options?: RequestOptions): ApiPromise<DeepReadonly<HandleSamlCallbackResponse>> {
    return this.#transport.call('handleSamlCallback', 'post', (o) => handleSamlCallback({ ...o, body: params }), options);
  }

  /**
   * Signs a user in against an LDAP connection (public; the password is redacted from errors).
   * Wrong credentials throw `AuthenticationError` with code `SSO_AUTH_FAILED`.
   *
   * @example
   * ```ts
   * const { sessionId, sub } = await client.sso.handleLdapCallback({ username, password, connectionId, org: developerId });
   * ```
   */
  handleLdapCallback(params: LdapCallbackParams, options?: RequestOptions): ApiPromise<DeepReadonly<HandleLdapCallbackResponse>> {
    return this.#transport.call('handleLdapCallback', 'post', (o) => handleLdapCallback({ ...o, body: params }), options, { secret: params.password });
  }

  /**
   * The older single-connection OIDC callback (public; no session is created).
   *
   * @example
   * ```ts
   * const { email, developerId } = await client.sso.handleLegacyCallback({ code, state });
   * ```
   */
  handleLegacyCallback(params: LegacySsoCallbackParams, options?: RequestOptions): ApiPromise<DeepReadonly<HandleSsoCallbackResponse>> {
    return this.#transport.call('handleSsoCallback', 'get', (o) => handleSsoCallback({ ...o, query: params }), options, { secret: params.code });
  }

  /**
   * Creates or replaces the older single-connection OIDC configuration; the secret is stored
   * encrypted and never returned. Prefer `connections`.
   *
   * @example
   * ```ts
   * await client.sso.setConfig({ issuerUrl, clientId, clientSecret, redirectUri });
   * ```
   */
  setConfig(params: UpsertSsoConfigParams, options?: RequestOptions): ApiPromise<DeepReadonly<UpsertSsoConfigResponse>> {
    return this.#transport.call('upsertSsoConfig', 'post', (o) => upsertSsoConfig({ ...o, body: params }), options, { secret: params.clientSecret });
  }

  /**
   * The older OIDC configuration, without its secret; `NotFoundError` when none is set.
   *
   * @example
   * ```ts
   * const { issuerUrl, clientId } = await client.sso.getConfig();
   * ```
   */
  getConfig(options?: RequestOptions): ApiPromise<DeepReadonly<GetSsoConfigResponse>> {
    return this.#transport.call('getSsoConfig', 'get', (o) => getSsoConfig(o), options);
  }

  /**
   * Removes the older OIDC configuration; `handleLegacyCallback` then throws `NotFoundError`.
   *
   * @example
   * ```ts
   * await client.sso.deleteConfig();
   * ```
   */
  deleteConfig(options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteSsoConfig', 'delete', (o) => discardBody(deleteSsoConfig(o)), options);
  }
}
