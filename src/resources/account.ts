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

export type SignupParams = SignupData['body'];
export type UpdateMeParams = UpdateMeData['body'];

/**
 * The developer account behind the API key. Exposed on the client as `me()`, `updateMe()`,
 * `rotateKey()`, `requestEmailVerification()`, and statically as `Grantex.signup()`.
 */
export class Account {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  signup(params: SignupParams, options?: RequestOptions): ApiPromise<DeepReadonly<SignupResponse>> {
    return this.#transport.call('signup', 'post', (o) => signup({ ...o, body: params }), options);
  }

  get(options?: RequestOptions): ApiPromise<DeepReadonly<Developer>> {
    return this.#transport.call('getMe', 'get', (o) => getMe(o), options);
  }

  update(params: UpdateMeParams, options?: RequestOptions): ApiPromise<DeepReadonly<UpdateMeResponse>> {
    return this.#transport.call('updateMe', 'patch', (o) => updateMe({ ...o, body: params }), options);
  }

  rotateKey(options?: RequestOptions): ApiPromise<DeepReadonly<RotateApiKeyResponse>> {
    return this.#transport.call('rotateApiKey', 'post', (o) => rotateApiKey(o), options);
  }

  requestEmailVerification(email: string, options?: RequestOptions): ApiPromise<DeepReadonly<RequestEmailVerificationResponse>> {
    return this.#transport.call('requestEmailVerification', 'post', (o) => requestEmailVerification({ ...o, body: { email } }), options);
  }

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
