// `server.mintGrantToken`: a grant token signed with the server's key that the server itself
// never issued, for testing a resource server's offline verification.
import { GrantexInvalidArgumentError } from '../errors.js';
import { parseDuration, ulid } from './encoding.js';
import type { ServerCore } from './http.js';
import type { MintGrantTokenClaims } from './server-types.js';

/** Signs `claims` over the defaults (one hour from `iat`, the live developer, the server's issuer). */
export async function mintGrantToken(core: ServerCore, liveDeveloperId: string, claims: MintGrantTokenClaims = {}): Promise<string> {
  const { expiresIn, ...rest } = claims;
  const now = core.clock.ms();
  const iat = rest.iat ?? Math.floor(now / 1000);
  let lifetime = 3600;
  if (expiresIn !== undefined) {
    const ms = typeof expiresIn === 'number' ? expiresIn * 1000 : parseDuration(expiresIn);
    if (ms === undefined || !Number.isFinite(ms)) throw new GrantexInvalidArgumentError('expiresIn must be seconds or a duration such as "15m"');
    lifetime = Math.floor(ms / 1000);
  }
  const payload = {
    agt: `did:grantex:ag_${ulid(now)}`,
    dev: liveDeveloperId,
    scp: [] as readonly string[],
    grnt: `grnt_${ulid(now)}`,
    iss: core.issuer(),
    sub: 'user_test',
    jti: `tok_${ulid(now)}`,
    ...rest,
    iat,
    exp: rest.exp ?? iat + lifetime,
  };
  if (typeof payload.iss === 'string') core.issuers.add(payload.iss);
  return core.signer.sign(payload);
}
