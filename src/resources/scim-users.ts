import { createScimUser, deleteScimUser, getScimUser, listScimUsers, patchScimUser, replaceScimUser } from '../../generated/sdk.gen.js';
import type {
  CreateScimUserData,
  GetScimUserResponse,
  ListScimUsersData,
  ListScimUsersResponse,
  PatchScimUserData,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import { byStartIndex, paginate } from '../core/pagination.js';
import type { DeepReadonly } from '../core/types.js';
import { parseJsonArrayField } from '../internal/json-field.js';
import { discardBody, mapData } from '../internal/results.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

/**
 * The body of `users.create` and `users.replace`: `userName` and optional SCIM attributes.
 *
 * @example
 * ```ts
 * const params: ScimUserParams = { userName: 'ada@acme.example', displayName: 'Ada', emails: [{ value: 'ada@acme.example', primary: true }] };
 * ```
 */
export type ScimUserParams = CreateScimUserData['body'];
/**
 * The body of `users.patch`: SCIM `Operations` (`add`/`replace` of `active`, `userName`, `displayName`).
 *
 * @example
 * ```ts
 * const params: ScimPatchParams = { Operations: [{ op: 'replace', path: 'active', value: false }] };
 * ```
 */
export type ScimPatchParams = PatchScimUserData['body'];
/**
 * Paging of `users.list`: 1-based `startIndex` and `count`. `filter` is accepted but ignored by the server.
 *
 * @example
 * ```ts
 * const params: ListScimUsersParams = { startIndex: 101, count: 100 };
 * ```
 */
export type ListScimUsersParams = NonNullable<ListScimUsersData['query']>;
/**
 * One email address of a SCIM user.
 *
 * @example
 * ```ts
 * const email: ScimEmail = { value: 'ada@acme.example', primary: true };
 * ```
 */
export type ScimEmail = { readonly value: string; readonly primary?: boolean };
/**
 * A provisioned user, with `emails` decoded from the wire's JSON string.
 *
 * @example
 * ```ts
 * const user: ScimUser = await users.get(userId);
 * console.log(user.userName, user.active, user.emails[0]?.value);
 * ```
 */
export type ScimUser = DeepReadonly<Omit<GetScimUserResponse, 'emails'> & { emails: ScimEmail[] }>;
/**
 * One page of SCIM users (`Resources`) with `totalResults`, `startIndex` and `itemsPerPage`.
 *
 * @example
 * ```ts
 * const { totalResults, Resources }: ScimUserList = await users.list({ count: 50 });
 * ```
 */
export type ScimUserList = DeepReadonly<Omit<ListScimUsersResponse, 'Resources'> & { Resources: ScimUser[] }>;

/**
 * SCIM users, authenticated with a SCIM token. Obtain with `client.scim.withToken(token).users`.
 * An unknown or deleted token throws `AuthenticationError`.
 *
 * @example
 * ```ts
 * const { users } = client.scim.withToken(scimToken);
 * const user = await users.create({ userName: 'ada@acme.example' });
 * await users.patch(user.id, { Operations: [{ op: 'replace', path: 'active', value: false }] });
 * ```
 */
export class ScimUsers {
  readonly #transport: Transport;
  readonly #token: string;

  /** Created by `client.scim.withToken(scimToken)`. */
  constructor(transport: Transport, scimToken: string) {
    this.#transport = transport;
    this.#token = scimToken;
  }

  /**
   * One page of users, oldest first (`startIndex` is 1-based; `count` up to 200).
   *
   * @example
   * ```ts
   * const { Resources, totalResults } = await users.list({ startIndex: 1, count: 100 });
   * ```
   */
  list(params?: ListScimUsersParams, options?: RequestOptions): ApiPromise<ScimUserList> {
    const operation = 'listScimUsers';
    return this.#transport.call(
      operation,
      'get',
      (o) =>
        mapData(listScimUsers({ ...o, ...(params ? { query: params } : {}) }), (data) => ({
          ...data,
          Resources: data.Resources.map((user) => decodeEmails(user, operation)),
        })),
      options,
      { bearer: this.#token },
    );
  }

  /**
   * Every user across pages.
   *
   * @example
   * ```ts
   * for await (const user of client.scim.withToken(scimToken).users.listAll()) console.log(user.userName);
   * ```
   */
  listAll(params: ListScimUsersParams = {}, options?: RequestOptions): AsyncGenerator<ScimUser, void, undefined> {
    return paginate((p) => this.list(p, options), params, byStartIndex<ListScimUsersParams, ScimUser>());
  }

  /**
   * Provisions a user (`active` defaults to true). A `userName` that already exists throws
   * `InternalServerError` (the server's answer), not a SCIM conflict.
   *
   * @example
   * ```ts
   * const user = await users.create({ userName: 'ada@acme.example', externalId: 'okta-123' });
   * ```
   */
  create(params: ScimUserParams, options?: RequestOptions): ApiPromise<ScimUser> {
    return this.#userCall('createScimUser', 'post', (o) => createScimUser({ ...o, body: params }), options);
  }

  /**
   * Fetches one user. Throws `NotFoundError` for an unknown id.
   *
   * @example
   * ```ts
   * const user = await users.get(userId);
   * ```
   */
  get(userId: string, options?: RequestOptions): ApiPromise<ScimUser> {
    return this.#userCall('getScimUser', 'get', (o) => getScimUser({ ...o, path: { id: pathParam('userId', userId) } }), options);
  }

  /**
   * Replaces a user entirely: omitted optional fields are cleared (`active` back to true, `emails` empty).
   *
   * @example
   * ```ts
   * await users.replace(userId, { userName: 'ada@acme.example', displayName: 'Ada L.', active: true });
   * ```
   */
  replace(userId: string, params: ScimUserParams, options?: RequestOptions): ApiPromise<ScimUser> {
    return this.#userCall('replaceScimUser', 'put', (o) => replaceScimUser({ ...o, path: { id: pathParam('userId', userId) }, body: params }), options);
  }

  /**
   * Applies SCIM PATCH operations (`replace`/`add` of `active`, `userName`, `displayName`). Other
   * operations and paths are ignored without an error; use `replace` for `emails` and `externalId`.
   *
   * @example
   * ```ts
   * await users.patch(userId, { Operations: [{ op: 'replace', value: { displayName: 'Ada L.' } }] });
   * ```
   */
  patch(userId: string, params: ScimPatchParams, options?: RequestOptions): ApiPromise<ScimUser> {
    return this.#userCall('patchScimUser', 'patch', (o) => patchScimUser({ ...o, path: { id: pathParam('userId', userId) }, body: params }), options);
  }

  /**
   * Deprovisions a user for good.
   *
   * @example
   * ```ts
   * await users.delete(userId);
   * ```
   */
  delete(userId: string, options?: RequestOptions): ApiPromise<undefined> {
    return this.#transport.call('deleteScimUser', 'delete', (o) => discardBody(deleteScimUser({ ...o, path: { id: pathParam('userId', userId) } })), options, {
      bearer: this.#token,
    });
  }

  #userCall(
    operation: string,
    method: 'get' | 'post' | 'put' | 'patch',
    run: Parameters<Transport['call']>[2],
    options: RequestOptions | undefined,
  ): ApiPromise<ScimUser> {
    return this.#transport.call(
      operation,
      method,
      (o) => mapData(run(o) as Promise<{ data: GetScimUserResponse; response: Response; request: Request }>, (user) => decodeEmails(user, operation)),
      options,
      { bearer: this.#token },
    );
  }
}

function decodeEmails<T extends { emails?: unknown }>(user: T, operation: string): Omit<T, 'emails'> & { emails: ScimEmail[] } {
  return { ...user, emails: parseJsonArrayField<ScimEmail>(user.emails, 'emails', operation) };
}
