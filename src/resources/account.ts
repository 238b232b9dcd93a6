import {
  confirmEmailVerification,
  getMe,
  requestEmailVerification,
  rotateApiKey,
  signup,
  updateMe,
} from '../../generated/sdk.gen.js';
import type {
  ConfirmEmailVerificationResponse,
  Developer,
  RequestEmailVerificationResponse,
  RotateApiKeyResponse,
  SignupData,
  SignupResponse,
  UpdateMeData,
  UpdateMeResponse,
} from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import type { DeepReadonly } from '../core/types.js';
import { pathParam, type RequestOptions, type Transport } from '../internal/transport.js';

/**
 * The body of `Grantex.signup`: `name`, optional `email` and `mode` (`live` or `sandbox`).
 *
 * @example
 * ```ts
 * const params: SignupParams = { name: 'Acme', email: 'ops@acme.example', mode: 'sandbox' };
 * ```
 */
export type SignupParams = SignupData['body'];
/**
 * The body of `client.updateMe`: `fidoRequired` and/or `fidoRpName`.
 *
 * @example
 * ```ts
 * const params: UpdateMeParams = { fidoRequired: true };
 * ```
 */
export type UpdateMeParams = UpdateMeData['body'];

/**
 * The developer account behind the API key. Exposed on the client as `me()`, `updateMe()`,
 * `rotateKey()`, `requestEmailVerification()`, and statically as `Grantex.signup()` and
 * `Grantex.confirmEmailVerification()`; not reachable as a namespace.
 *
 * @example
 * ```ts
 * const { developerId, plan } = await client.me();
 * await client.updateMe({ fidoRequired: false });
 * ```
 */
export class Account {
  readonly #transport: Transport;

  /** Created by the client and `Grantex.signup`. */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Creates a developer account (no API key; limited to 30 calls a minute per IP). The returned
   * `apiKey` is shown only here. An email already in use throws `ConflictError`.
   *
   * @example
   * ```ts
   * const { apiKey, developerId } = await Grantex.signup({ name: 'Acme' });
   * ```
   */
  signup(params: SignupParams, options?: RequestOptions): ApiPromise<DeepReadonly<SignupResponse>> {
    return this.#transport.call('signup', 'post', (o) => signup({ ...o, body: params }), options);
  }

  /**
   * The developer that owns the API key.
   *
   * @example
   * ```ts
   * const { developerId, mode, fidoRequired } = await client.me();
   * ```
   */
  get(options?: RequestOptions): ApiPromise<DeepReadonly<Developer>> {
    return this.#transport.call('getMe', 'get', (o) => getMe(o), options);
  }

  /**
   * Changes the FIDO settings; send at least one field.
   *
   * @example
   * ```ts
   * const { updated } = await client.updateMe({ fidoRpName: 'Acme' });
   * ```
   */
  update(params: UpdateMeParams, options?: RequestOptions): ApiPromise<DeepReadonly<UpdateMeResponse>> {
    return this.#transport.call('updateMe', 'patch', (o) => updateMe({ ...o, body: params }), options);
  }

  /**
   * Issues a new API key and disables the calling one at once (limited to 5 calls a minute per IP).
   * The client that made the call keeps the old key.
   *
   * @example
   * ```ts
   * const { apiKey, rotatedAt } = await client.rotateKey();
   * ```
   */
  rotateKey(options?: RequestOptions): ApiPromise<DeepReadonly<RotateApiKeyResponse>> {
    return this.#transport.call('rotateApiKey', 'post', (o) => rotateApiKey(o), options);
  }

  /**
   * Mails a link, valid 24 hours, that confirms `email` for the account; mail failures are not reported.
   *
   * @example
   * ```ts
   * await client.requestEmailVerification('ops@acme.example');
   * ```
   */
  requestEmailVerification(email: string, options?: RequestOptions): ApiPromise<DeepReadonly<RequestEmailVerificationResponse>> {
    return this.#transport.call('requestEmailVerification', 'post', (o) => requestEmailVerification({ ...o, body: { email } }), options);
  }

  /**
   * Redeems the token of a verification link (public; the token is redacted from errors). An
   * expired token throws `BadRequestError` with code `TOKEN_EXPIRED`; an unknown one `NotFoundError`.
   *
   * @example
   * ```ts
   * const { message, email } = await Grantex.confirmEmailVerification(tokenFromLink);
   * ```
   */
  confirmEmailVerification(token: string, options?: RequestOptions): ApiPromise<DeepReadonly<ConfirmEmailVerificationResponse>> {
    return this.#transport.call(
      'confirmEmailVerification',
      'get',
      (o) => confirmEmailVerification({ ...o, path: { token: pathParam('token', token) } }),
      options,
      { secret: token },
    );
  }
}
