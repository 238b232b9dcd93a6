// Billing and custom domains: the two places where the real server depends on the outside world
// (Stripe, public DNS). Nothing succeeds by default: a checkout changes the plan only once the test
// completes it (`server.billing.complete`), and a DNS check passes only for TXT records the test
// published (`server.dns.publish`).
import { hex, iso, randomBytes, ulid, uuidV4 } from '../encoding.js';
import { badRequest, HttpError, isHttpUrl, isString, json, noContent, notFound, objectBody, type Ctx, type Route } from '../http.js';
import type { DomainRecord, Store } from '../store.js';

const PLANS = ['pro', 'enterprise'];
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** The TXT values published at `name` (lower-cased, without a trailing dot). */
export const txtRecords = (store: Store, name: string): readonly string[] => store.dnsTxt.get(name.toLowerCase().replace(/\.$/, '')) ?? [];

const subscriptionOf = (ctx: Ctx) => ctx.core.store.subscriptions.get(ctx.developer.developerId);

const domainView = (d: DomainRecord) => ({ id: d.id, domain: d.domain, verified: d.verified, verifiedAt: d.verifiedAt === null ? null : iso(d.verifiedAt), createdAt: iso(d.createdAt) });

function ownDomain(ctx: Ctx): DomainRecord {
  const domain = ctx.core.store.domains.get(ctx.params['id']!);
  if (!domain || domain.developerId !== ctx.developer.developerId) throw notFound('Domain not found');
  return domain;
}

export const billingRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/billing/subscription',
    auth: 'apiKey',
    handler: (ctx) => {
      const subscription = subscriptionOf(ctx);
      if (!subscription) return json(200, { plan: ctx.developer.plan, status: 'active', currentPeriodEnd: null });
      return json(200, { plan: subscription.plan, status: subscription.status, currentPeriodEnd: subscription.currentPeriodEnd === null ? null : iso(subscription.currentPeriodEnd) });
    },
  },
  {
    method: 'POST',
    path: '/v1/billing/checkout',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = objectBody(ctx);
      if (!PLANS.includes(body['plan'] as string)) throw badRequest('plan must be pro or enterprise');
      if (!isHttpUrl(body['successUrl']) || !isHttpUrl(body['cancelUrl'])) throw badRequest('successUrl and cancelUrl must be absolute http(s) URLs');
      const id = `cs_test_${ulid(ctx.now)}`;
      ctx.core.store.checkouts.set(id, { id, developerId: ctx.developer.developerId, plan: body['plan'] as 'pro' | 'enterprise', createdAt: ctx.now });
      return json(201, { checkoutUrl: `https://checkout.stripe.com/c/pay/${id}` });
    },
  },
  {
    method: 'POST',
    path: '/v1/billing/portal',
    auth: 'apiKey',
    handler: (ctx) => {
      const body = objectBody(ctx);
      if (!isHttpUrl(body['returnUrl'])) throw badRequest('returnUrl must be an absolute http(s) URL');
      if (!subscriptionOf(ctx)) throw badRequest('No active subscription found. Complete a checkout first.');
      return json(201, { portalUrl: `https://billing.stripe.com/p/session/test_${ulid(ctx.now)}` });
    },
  },
  {
    method: 'POST',
    path: '/v1/billing/webhook',
    auth: 'none',
    handler: (ctx) => {
      if (!ctx.request.headers.get('stripe-signature')) throw badRequest('Missing stripe-signature header');
      // No Stripe account signs for a test server: its checkouts complete through server.billing.complete.
      throw new HttpError(503, 'SERVICE_UNAVAILABLE', 'Stripe webhooks are not configured');
    },
  },
  {
    method: 'GET',
    path: '/v1/domains',
    auth: 'apiKey',
    handler: (ctx) => {
      const domains = [...ctx.core.store.domains.values()].filter((d) => d.developerId === ctx.developer.developerId).sort((a, b) => b.seq - a.seq);
      return json(200, { domains: domains.map(domainView) });
    },
  },
  {
    method: 'POST',
    path: '/v1/domains',
    auth: 'apiKey',
    ipLimit: 30,
    handler: (ctx) => {
      const body = objectBody(ctx);
      const domain = isString(body['domain']) ? body['domain'].trim().toLowerCase().replace(/\.$/, '') : '';
      if (!HOSTNAME.test(domain) || IPV4.test(domain)) throw badRequest('domain must be a hostname such as auth.example.com');
      if (ctx.developer.plan !== 'enterprise') {
        throw new HttpError(402, 'PLAN_LIMIT_EXCEEDED', 'Custom domains require the enterprise plan. Upgrade at /v1/billing/checkout');
      }
      if ([...ctx.core.store.domains.values()].some((d) => d.domain === domain)) throw new HttpError(409, 'CONFLICT', 'Domain is already registered');
      const record: DomainRecord = {
        id: `dom_${hex(randomBytes(10))}`,
        developerId: ctx.developer.developerId,
        domain,
        verificationToken: `grantex-verify-${uuidV4()}`,
        verified: false,
        verifiedAt: null,
        createdAt: ctx.now,
        seq: ctx.core.store.nextSeq(),
      };
      ctx.core.store.domains.set(record.id, record);
      return json(201, {
        id: record.id,
        domain,
        verified: false,
        verificationToken: record.verificationToken,
        instructions: `Add a DNS TXT record at _grantex.${domain} with the value ${record.verificationToken}, then call POST /v1/domains/${record.id}/verify`,
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/domains/{id}/verify',
    auth: 'apiKey',
    ipLimit: 10,
    handler: (ctx) => {
      const domain = ownDomain(ctx);
      if (domain.verified) return json(200, { verified: true, message: 'Domain already verified' });
      if (!txtRecords(ctx.core.store, `_grantex.${domain.domain}`).includes(domain.verificationToken)) {
        throw new HttpError(400, 'VERIFICATION_FAILED', `No TXT record at _grantex.${domain.domain} matches the verification token`);
      }
      domain.verified = true;
      domain.verifiedAt = ctx.now;
      return json(200, { verified: true, message: 'Domain verified successfully' });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/domains/{id}',
    auth: 'apiKey',
    ipLimit: 30,
    handler: (ctx) => {
      ctx.core.store.domains.delete(ownDomain(ctx).id);
      return noContent();
    },
  },
];
