/**
 * The revocation check as the enforcer and the verifier hold it: the online check, the feed and
 * their state are imported on the first check, so that `@grantex/sdk/enforce` and
 * `@grantex/sdk/jwt` load none of it unless `revocation` asks for a live mode.
 */
import type { VerifiedGrant } from '../jwt/types.js';
import type { Authority } from './authority.js';
import type { RevocationSettings } from './options.js';
import type { RevocationVerdict } from './types.js';

/** An {@link Authority} whose implementation loads on the first `check`. */
export function lazyAuthority(settings: RevocationSettings): Authority {
  let loading: Promise<Authority> | undefined;
  // Once loaded, checks go straight to it: no promise on the hot path.
  let loaded: Authority | undefined;
  let closed = false;
  const load = (): Promise<Authority> =>
    (loading ??= import('./authority.js').then(({ createAuthority }) => {
      const authority = createAuthority(settings);
      // Closed before it loaded: it never opens the feed.
      if (closed) void authority.close();
      loaded = authority;
      return authority;
    }));
  return {
    check(token: string, grant: VerifiedGrant, now?: number): RevocationVerdict | Promise<RevocationVerdict> {
      if (loaded) return loaded.check(token, grant, now);
      // Loading took time: the reading taken before it is stale, so the clock is read afresh.
      return load().then((authority) => authority.check(token, grant));
    },
    async close(): Promise<void> {
      closed = true;
      if (loading) await (await loading).close();
    },
  };
}
