import {
  createSsoConnection,
  deleteSsoConnection,
  getSsoConnection,
  listSsoConnections,
  testSsoConnection,
  updateSsoConnection,
} from '../../generated/sdk.gen.js';
import type {
  CreateSsoConnectionData,
  GetSsoConnectionResponse,
  TestSsoConnectionResponse,
  UpdateSsoConnectionData,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { paginate, singlePage } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { UnprocessableEntityError } from '../errors.js';
import { decodeEach, decodeObjectFields, type WithDecodedObjects } from '../internal/json-field.js';
import { discardBody, mapData, resultFromError } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

/**
 * The body of `client.sso.connections.create`: `name`, `protocol` and that protocol's fields.
 *
 * @example
 * ```ts
 * const params: CreateSsoConnectionParams = { name: 'Okta', protocol: 'oidc', issuerUrl, clientId, clientSecret };
 * ```
 */
export type CreateSsoConnectionParams = CreateSsoConnectionData['body'];
/**
 * The body of `client.sso.connections.update`; the protocol cannot change, `status` can.
 *
 * @example
 * ```ts
 * const params: UpdateSsoConnectionParams = { status: 'inactive' };
 * ```
 */
export type UpdateSsoConnectionParams = UpdateSsoConnectionData['body'];
/**
 * An identity-provider connection, with `groupMappings` decoded. Secrets are never returned.
 *
 * @example
 * ```ts
 * const connection: SsoConnection = await client.sso.connections.get(connectionId);
 * console.log(connection.protocol, connection.status);
 * ```
 */
export type SsoConnection = DeepReadonly<WithDecodedObjects<GetSsoConnectionResponse, 'groupMappings'>>;
/**
 * The outcome of a connection test: `success: false` carries the reason instead of throwing.
 *
 * @example
 * ```ts
 * const outcome: SsoTestOutcome = await client.sso.connections.test(connectionId);
 * if (!outcome.success) console.error(outcome.error);
 * ```
 */
export type SsoTestOutcome =
  | DeepReadonly<TestSsoConnectionResponse>
  | { readonly success: false; readonly protocol: string; readonly error: string };

/**
 * OIDC, SAML and LDAP connections. `client.sso.connections`.
 *
 * @example
 * ```ts
 * const connection = await client.sso.connections.create({ name: 'Okta', protocol: 'oidc', issuerUrl, clientId, clientSecret });
 * const outcome = await client.sso.connections.test(connection.id);
 * ```
 */
export class SsoConnections {
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.sso.connections`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Adds a connection; it starts `active`. Each protocol needs its own fields (OIDC: `issuerUrl`,
   * `clientId`, `clientSecret`); a missing field or refused URL throws `BadRequestError`.
   *
   * @example
   * ```ts
   * const { id } = await client.sso.connections.create({ name: 'Corp LDAP', protocol: 'ldap', ldapUrl, ldapBindDn, ldapBindPassword, ldapSearchBase });
   * ```
   */
  create(params: CreateSsoConnectionParams, options?: RequestOptions): ApiPromise<SsoConnection> {
    const operation = 'createSsoConnection';
    return this.#transport.call(operation, 'post', (o) => mapData(createSsoConnection({ ...o, body: params }), (data) => decode(data, operation)), options);
  }

  /**
   * Every connection, oldest first, without secrets.
   *
   * @example
   * ```ts
   * const { connections } = await client.sso.connections.list();
   * ```
   */
  list(options?: RequestOptions): ApiPromise<{ readonly connections: readonly SsoConnection[] }> {
    const operation = 'listSsoConnections';
    return this.#transport.call(
      operation,
      'get',
      (o) => mapData(listSsoConnections(o), (data) => ({ connections: decodeEach(data.connections, ['groupMappings'], operation) as SsoConnection[] })),
      options,
    );
  }

  /**
   * Every connection (the API returns them in one page).
   *
   * @example
   * ```ts
   * for await (const connection of client.sso.connections.listAll()) console.log(connection.name, connection.status);
   * ```
   */
  listAll(options?: RequestOptions): AsyncGenerator<SsoConnection, void, undefined> {
    return paginate(() => this.list(options), undefined, singlePage<{ readonly connections: readonly SsoConnection[] }, 'connections'>('connections'));
  }

  /**
   * Fetches one connection, without secrets. Throws `NotFoundError` for an unknown id.
   *
   * @example
   * ```ts
   * const connection = await client.sso.connections.get(connectionId);
   * ```
   */
  get(connectionId: string, options?: RequestOptions): ApiPromise<SsoConnection> {
    const operation = 'getSsoConnection';
    return this.#transport.call(
      operation,
      'get',
      (o) => mapData(getSsoConnection({ ...o, path: { id: pathParam('connectionId', connectionId) } }), (data) => decode(data, operation)),
      options,
    );
  }

  /**
   * Changes a connection; secrets are replaced only when sent. `inactive` and `testing` connections
   * are not used for sign-in.
   *
   * @example
   * ```ts
   * await client.sso.connections.update(connectionId, { status: 'testing' });
   * ```
   */
  update(connectionId: string, params: UpdateSsoConnectionParams, options?: RequestOptions): ApiPromise<SsoConnection> {
    const operation = 'updateSsoConnection';
    return this.#transport.call(
      operation,
      'patch',
      (o) => mapData(updateSsoConnection({ ...o, path: { id: pathParam('connectionId', connectionId) }, body: params }), (data) => decode(data, operation)),
      options,
    );
  }

  /**
   * Deletes a connection for good (emits `sso.connection.deleted`).
   *
   * @example
   * ```ts
   * await client.sso.connections.delete(connectionId);
   * ```
   */
  delete(connectionId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteSsoConnection', 'delete', (o) => discardBody(deleteSsoConnection({ ...o, path: { id: pathParam('connectionId', connectionId) } })), options);
  }

  /**
   * Checks that the identity provider answers (the server calls it), whatever the connection's
   * status. A failed check resolves with `success: false` and the reason; it does not throw.
   *
   * @example
   * ```ts
   * const outcome = await client.sso.connections.test(connectionId);
   * console.log(outcome.success ? 'ok' : outcome.error);
   * ```
   */
  test(connectionId: string, options?: RequestOptions): ApiPromise<SsoTestOutcome> {
    return this.#transport.call<SsoTestOutcome>(
      'testSsoConnection',
      'post',
      (o): Promise<{ data: SsoTestOutcome; response: Response; request: Request }> =>
        testSsoConnection({ ...o, path: { id: pathParam('connectionId', connectionId) } }).catch((error: unknown) => {
          if (error instanceof UnprocessableEntityError && isFailedTest(error.body)) {
            return resultFromError(error, error.body);
          }
          throw error;
        }),
      options,
    );
  }
}

function decode<T extends object>(connection: T, operation: string) {
  return decodeObjectFields(connection as T & { groupMappings: unknown }, ['groupMappings'], operation) as unknown as SsoConnection;
}

function isFailedTest(body: unknown): body is { success: false; protocol: string; error: string } {
  const record = body as Record<string, unknown> | null;
  return typeof record === 'object' && record !== null && record['success'] === false && typeof record['error'] === 'string';
}
