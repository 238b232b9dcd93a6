import { hex, iso, randomBytes, ulid } from '../encoding.js';
import { badRequest, HttpError, isString, json, noContent, notFound, objectBody, type Ctx, type Route } from '../http.js';
import { newestFirst, type DeliveryRecord, type Plan, type WebhookRecord } from '../store.js';

/** The only event types a webhook can subscribe to. */
export const WEBHOOK_EVENTS = ['grant.created', 'grant.revoked', 'token.issued'];
const WEBHOOK_LIMIT: Record<Plan, number> = { free: 30, pro: 200, enterprise: Infinity };

const webhookView = (w: WebhookRecord) => ({ id: w.id, url: w.url, events: [...w.events], createdAt: iso(w.createdAt) });

export const deliveryView = (d: DeliveryRecord) => ({
  id: d.id,
  webhookId: d.webhookId,
  eventId: d.eventId,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  maxAttempts: 5,
  url: d.url,
  lastError: d.lastError,
  createdAt: iso(d.createdAt),
  deliveredAt: d.deliveredAt === null ? null : iso(d.deliveredAt),
});

function ownWebhook(ctx: Ctx): WebhookRecord {
  const webhook = ctx.core.store.webhooks.get(ctx.params['id']!);
  if (!webhook || webhook.developerId !== ctx.developer.developerId) throw notFound('Webhook not found');
  return webhook;
}

/** A positive integer query parameter, or `fallback` when absent; 400 otherwise. */
function intParam(ctx: Ctx, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = ctx.query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > max) throw badRequest(`${name} must be an integer between 1 and ${max}`);
  return value;
}

export const webhookRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/webhooks',
    auth: 'apiKey',
    ipLimit: 30,
    handler: (ctx) => {
      const body = objectBody(ctx);
      const { url, events } = body;
      if (!isString(url) || url.length === 0 || !Array.isArray(events) || events.length === 0) throw badRequest('url and events are required');
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        parsed = undefined;
      }
      if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.username || parsed.password) {
        throw badRequest('Invalid webhook URL: must be an absolute http(s) URL');
      }
      const unknown = events.filter((e) => !WEBHOOK_EVENTS.includes(e as string));
      if (unknown.length > 0) throw badRequest(`Invalid event types: ${unknown.map(String).join(', ')}`);
      const { store } = ctx.core;
      const limit = WEBHOOK_LIMIT[ctx.developer.plan];
      if (newestFirst(store.webhooks.values(), ctx.developer.developerId).length >= limit) {
        throw new HttpError(402, 'PLAN_LIMIT_EXCEEDED', `Plan limit reached: ${ctx.developer.plan} plan allows ${limit} webhook(s). Upgrade at /v1/billing/checkout`);
      }
      const webhook: WebhookRecord = {
        id: `wh_${ulid(ctx.now)}`,
        developerId: ctx.developer.developerId,
        url,
        events: [...new Set(events as string[])],
        secret: hex(randomBytes(24)),
        createdAt: ctx.now,
        seq: store.nextSeq(),
      };
      store.webhooks.set(webhook.id, webhook);
      return json(201, { ...webhookView(webhook), secret: webhook.secret });
    },
  },
  {
    method: 'GET',
    path: '/v1/webhooks',
    auth: 'apiKey',
    handler: ({ core, developer }) => json(200, { webhooks: newestFirst(core.store.webhooks.values(), developer.developerId).map(webhookView) }),
  },
  {
    method: 'DELETE',
    path: '/v1/webhooks/{id}',
    auth: 'apiKey',
    ipLimit: 30,
    handler: (ctx) => {
      ctx.core.store.webhooks.delete(ownWebhook(ctx).id);
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/v1/webhooks/{id}/deliveries',
    auth: 'apiKey',
    handler: (ctx) => {
      const status = ctx.query.get('status');
      if (status !== null && !['pending', 'delivered', 'failed'].includes(status)) throw badRequest('status must be pending, delivered or failed');
      const page = intParam(ctx, 'page', 1, 1_000_000);
      const pageSize = Math.min(intParam(ctx, 'pageSize', 20), 100);
      const webhook = ownWebhook(ctx);
      const matching = ctx.core.store.deliveries
        .filter((d) => d.webhookId === webhook.id && (status === null || d.status === status))
        .sort((a, b) => b.seq - a.seq);
      const deliveries = matching.slice((page - 1) * pageSize, page * pageSize).map(deliveryView);
      return json(200, { deliveries, total: matching.length, page, pageSize });
    },
  },
];
