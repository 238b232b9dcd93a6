/**
 * `client.vault`: the generated vault operations plus `authorizedFetch`. Its code is loaded on the
 * first request, like the HTTP stack, so that a client that never uses it does not carry it.
 */
import { Vault } from '../../generated/sdk/vault.gen.js';
import { GrantexConfigurationError } from '../errors.js';
import type { Transport } from '../internal/transport.js';
import type { AuthorizedFetch, AuthorizedFetchOptions } from './types.js';

/**
 * The vault operations of a client (`client.vault`), with {@link VaultNamespace.authorizedFetch}.
 *
 * @example
 * ```ts
 * const github = client.vault.authorizedFetch({ grantToken, service: 'github', allowedOrigins: ['https://api.github.com'] });
 * ```
 */
export class VaultNamespace extends Vault {
  readonly #transport: Transport;

  /** Created by the client; reach it as `client.vault`. */
  constructor(transport: Transport) {
    super(transport);
    this.#transport = transport;
  }

  /**
   * A `fetch` that adds the user's vault credential for `service` to requests for
   * `allowedOrigins`, exchanging the grant token through this client (its base URL, retries,
   * hooks and logger); see `createAuthorizedFetch` in `@grantex/sdk/vault` for the rules. The
   * options are checked on the first call, which loads the code: a bad option rejects that call
   * with `GrantexConfigurationError`, before anything is sent.
   *
   * @example
   * ```ts
   * const github = client.vault.authorizedFetch({ grantToken, service: 'github', allowedOrigins: ['https://api.github.com'] });
   * const response = await github('https://api.github.com/user/repos');
   * ```
   */
  authorizedFetch(options: AuthorizedFetchOptions): AuthorizedFetch {
    if (typeof options !== 'object' || options === null) throw new GrantexConfigurationError('authorizedFetch options must be an object');
    // A copy, so that changes to the caller's object before the first call cannot widen it.
    const pinned = {
      ...options,
      ...(Array.isArray(options.allowedOrigins) && { allowedOrigins: [...options.allowedOrigins] }),
      ...(typeof options.inject === 'object' && options.inject !== null && { inject: { ...options.inject } }),
    };
    const exchange = (grantToken: string, service: string) => this.exchange(grantToken, { service });
    const clientFetch = this.#transport.config.fetch;
    let loading: Promise<AuthorizedFetch> | undefined;
    return async (input, init) => {
      loading ??= import('./client-fetch.js').then((module) => module.clientAuthorizedFetch(pinned, exchange, clientFetch));
      return (await loading)(input, init);
    };
  }
}
