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

export type CreateSsoConnectionParams = CreateSsoConnectionData['body'];
export type UpdateSsoConnectionParams = UpdateSsoConnectionData['body'];
/** An identity-provider connection, with `groupMappings` decoded. Secrets are never returned. */
export type SsoConnection = DeepReadonly<WithDecodedObjects<GetSsoConnectionResponse, 'groupMappings'>>;
/** The outcome of a connection test: `success: false` carries the reason instead of throwing. */
export type SsoTestOutcome =
  | DeepReadonly<TestSsoConnectionResponse>
  | { readonly success: false; readonly protocol: string; readonly error: string };

/** OIDC, SAML and LDAP connections. `client.sso.connections`. */
export class SsoConnections {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  create(params: CreateSsoConnectionParams, options?: RequestOptions): ApiPromise<SsoConnection> {
    const operation = 'createSsoConnection';
    return this.#transport.call(operation, 'post', (o) => mapData(createSsoConnection({ ...o, body: params }), (data) => decode(data, operation)), options);
  }

  /** Every connection, oldest first. */
  list(options?: RequestOptions): ApiPromise<{ readonly connections: readonly SsoConnection[] }> {
    const operation = 'listSsoConnections';
    return this.#transport.call(
      operation,
      'get',
      (o) => mapData(listSsoConnections(o), (data) => ({ connections: decodeEach(data.connections, ['groupMappings'], operation) as SsoConnection[] })),
      options,
    );
  }

  /** Every connection. */
  listAll(options?: RequestOptions): AsyncGenerator<SsoConnection, void, undefined> {
    return paginate(() => this.list(options), undefined, singlePage<{ readonly connections: readonly SsoConnection[] }, 'connections'>('connections'));
  }

  get(connectionId: string, options?: RequestOptions): ApiPromise<SsoConnection> {
    const operation = 'getSsoConnection';
    return this.#transport.call(
      operation,
      'get',
      (o) => mapData(getSsoConnection({ ...o, path: { id: pathParam('connectionId', connectionId) } }), (data) => decode(data, operation)),
      options,
    );
  }

  /** Changes a connection; secrets are replaced only when sent. */
  update(connectionId: string, params: UpdateSsoConnectionParams, options?: RequestOptions): ApiPromise<SsoConnection> {
    const operation = 'updateSsoConnection';
    return this.#transport.call(
      operation,
      'patch',
      (o) => mapData(updateSsoConnection({ ...o, path: { id: pathParam('connectionId', connectionId) }, body: params }), (data) => decode(data, operation)),
      options,
    );
  }

  delete(connectionId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteSsoConnection', 'delete', (o) => discardBody(deleteSsoConnection({ ...o, path: { id: pathParam('connectionId', connectionId) } })), options);
  }

  /** Checks that the identity provider answers (the server calls it). A failed check resolves with `success: false`. */
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
