import { getHealth, getJwks } from '../../generated/sdk.gen.js';
import type { GetHealthResponse, GetJwksResponse } from '../../generated/types.gen.js';
import type { ApiPromise } from '../core/api-promise.js';
import type { DeepReadonly } from '../core/types.js';
import type { RequestOptions, Transport } from '../internal/transport.js';

/** Public service endpoints: health and the token-signing keys. Exposed as `health()` and `jwks()`. */
export class System {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  health(options?: RequestOptions): ApiPromise<DeepReadonly<GetHealthResponse>> {
    return this.#transport.call('getHealth', 'get', (o) => getHealth(o), options);
  }

  jwks(options?: RequestOptions): ApiPromise<DeepReadonly<GetJwksResponse>> {
    return this.#transport.call('getJwks', 'get', (o) => getJwks(o), options);
  }
}
