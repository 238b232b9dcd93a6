// Webhook deliveries: an event is signed for each subscribed webhook of its developer, recorded,
// and attempted at once; a failed attempt is retried on the real schedule (5 attempts, 30 s·2^n
// apart), counted on the server clock.
import { signWebhookPayload } from '../webhooks/sign.js';
import type { ServerClock } from './clock.js';
import { iso, ulid } from './encoding.js';
import type { ServerCore } from './http.js';
import { WEBHOOK_EVENTS } from './routes/webhooks.js';
import type { TestServerOptions, TestWebhookDelivery, TestWebhookEvent } from './server-types.js';
import type { DeliveryRecord, Store } from './store.js';

const MAX_DELIVERY_ATTEMPTS = 5;
const DELIVERY_TIMEOUT_MS = 10_000;

/** The deliveries of one server. */
export interface Deliveries {
  /** Delivers `event` to the developer's webhooks subscribed to its type, oldest subscription first. */
  dispatch(developerId: string, event: TestWebhookEvent, now: number): Promise<void>;
  /** Runs the retries that have come due on the server clock, oldest first. */
  deliverDue(): Promise<void>;
}

/** What a test sees of a delivery: a frozen copy. */
export const deliveryView = (d: DeliveryRecord): TestWebhookDelivery =>
  Object.freeze({
    id: d.id,
    webhookId: d.webhookId,
    url: d.url,
    method: 'POST' as const,
    headers: Object.freeze({ ...d.headers }),
    body: d.body,
    event: Object.freeze(JSON.parse(d.body) as TestWebhookEvent),
    status: d.status,
    attempts: d.attempts,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt === null ? null : iso(d.nextAttemptAt),
    createdAt: iso(d.createdAt),
  });

function isResponseLike(value: unknown): value is { ok: boolean; status: number } {
  return typeof value === 'object' && value !== null && typeof (value as Response).status === 'number' && typeof (value as Response).ok === 'boolean';
}

export function createDeliveries(
  store: () => Store,
  clock: ServerClock,
  outbound: ServerCore['outbound'],
  onWebhookDelivery: TestServerOptions['onWebhookDelivery'],
): Deliveries {
  /**
   * One delivery attempt: to `onWebhookDelivery` when given, else a POST to the webhook's URL through
   * the outbound fetch (10 s timeout).
   */
  async function deliver(record: DeliveryRecord): Promise<void> {
    record.attempts++;
    record.nextAttemptAt = null;
    try {
      if (onWebhookDelivery) {
        const outcome = await onWebhookDelivery(deliveryView(record));
        if (isResponseLike(outcome) && !outcome.ok) throw new Error(`HTTP ${outcome.status}`);
      } else {
        const response = await outbound(record.url, { method: 'POST', headers: record.headers, body: record.body, redirect: 'manual', signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
        await response.body?.cancel();
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
      }
      record.status = 'delivered';
      record.deliveredAt = clock.ms();
      record.lastError = null;
    } catch (error) {
      record.lastError = error instanceof Error ? error.message : String(error);
      const retry = record.attempts < MAX_DELIVERY_ATTEMPTS;
      record.status = retry ? 'pending' : 'failed';
      if (retry) record.nextAttemptAt = clock.ms() + 30_000 * 2 ** (record.attempts - 1);
    }
  }

  return {
    async dispatch(developerId, event, now) {
      if (!WEBHOOK_EVENTS.includes(event.type)) return;
      const subscribed = [...store().webhooks.values()]
        .filter((w) => w.developerId === developerId && w.events.includes(event.type))
        .sort((a, b) => a.seq - b.seq);
      for (const webhook of subscribed) {
        const body = JSON.stringify(event);
        const signature = await signWebhookPayload({ payload: body, secret: webhook.secret, timestamp: Math.floor(now / 1000) });
        const record: DeliveryRecord = {
          id: `whd_${ulid(now)}`,
          webhookId: webhook.id,
          developerId,
          eventId: event.id,
          eventType: event.type,
          url: webhook.url,
          body,
          headers: { 'Content-Type': 'application/json', 'User-Agent': 'Grantex-Webhooks/0.1', ...signature },
          status: 'pending',
          attempts: 0,
          lastError: null,
          createdAt: now,
          deliveredAt: null,
          nextAttemptAt: null,
          seq: store().nextSeq(),
        };
        store().deliveries.push(record);
        await deliver(record);
      }
    },
    async deliverDue() {
      const now = clock.ms();
      for (const record of store().deliveries) {
        if (record.status === 'pending' && record.nextAttemptAt !== null && record.nextAttemptAt <= now) await deliver(record);
      }
    },
  };
}
