// Events of operations that answer their spec example instead of keeping state: the request
// succeeded, so the event the real server publishes for it is published too. `data` names the
// item the path points at; the reference documents no other field for these events.
import type { Ctx } from './http.js';

const PUBLISHED: Readonly<Record<string, (params: Readonly<Record<string, string>>) => [type: string, data: Record<string, unknown>]>> = {
  'POST /v1/consent-bundles/{bundleId}/revoke': (p) => ['consent_bundle.revoked', { bundleId: p['bundleId'] }],
  'POST /v1/dpdp/consent-records/{recordId}/withdraw': (p) => ['dpdp.consent.withdrawn', { recordId: p['recordId'] }],
};

/** Publishes the event of `routeKey` (`"<METHOD> <path template>"`), if it has one. */
export async function publishFallbackEvent(ctx: Ctx, routeKey: string): Promise<void> {
  const build = PUBLISHED[routeKey];
  if (!build) return;
  const [type, data] = build(ctx.params);
  await ctx.core.emit(ctx.developer.developerId, type, data);
}
