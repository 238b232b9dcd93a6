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

export type ScimUserParams = CreateScimUserData['body'];
export type ScimPatchParams = PatchScimUserData['body'];
export type ListScimUsersParams = NonNullable<ListScimUsersData['query']>;
export type ScimEmail = { readonly value: string; readonly primary?: boolean };
/** A provisioned user, with `emails` decoded from the wire's JSON string. */
export type ScimUser = DeepReadonly<Omit<GetScimUserResponse, 'emails'> & { emails: ScimEmail[] }>;
export type ScimUserList = DeepReadonly<Omit<ListScimUsersResponse, 'Resources'> & { Resources: ScimUser[] }>;

/** SCIM users, authenticated with a SCIM token. Obtain with `client.scim.withToken(token).users`. */
export class ScimUsers {
  readonly #transport: Transport;
  readonly #token: string;

  constructor(transport: Transport, scimToken: string) {
    this.#transport = transport;
    this.#token = scimToken;
  }

  /** One page of users, oldest first (`startIndex` is 1-based; `count` up to 200). */
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

  /** Every user across pages. */
  listAll(params: ListScimUsersParams = {}, options?: RequestOptions): AsyncGenerator<ScimUser, void, undefined> {
    return paginate((p) => this.list(p, options), params, byStartIndex<ListScimUsersParams, ScimUser>());
  }

  create(params: ScimUserParams, options?: RequestOptions): ApiPromise<ScimUser> {
    return this.#userCall('createScimUser', 'post', (o) => createScimUser({ ...o, body: params }), options);
  }

  get(userId: string, options?: RequestOptions): ApiPromise<ScimUser> {
    return this.#userCall('getScimUser', 'get', (o) => getScimUser({ ...o, path: { id: pathParam('userId', userId) } }), options);
  }

  /** Replaces a user entirely: omitted optional fields are cleared. */
  replace(userId: string, params: ScimUserParams, options?: RequestOptions): ApiPromise<ScimUser> {
    return this.#userCall('replaceScimUser', 'put', (o) => replaceScimUser({ ...o, path: { id: pathParam('userId', userId) }, body: params }), options);
  }

  /** Applies SCIM PATCH operations (`replace`/`add` of `active`, `userName`, `displayName`). */
  patch(userId: string, params: ScimPatchParams, options?: RequestOptions): ApiPromise<ScimUser> {
    return this.#userCall('patchScimUser', 'patch', (o) => patchScimUser({ ...o, path: { id: pathParam('userId', userId) }, body: params }), options);
  }

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
