import { toBytes } from './bytes.js';
import { WebhookVerificationError } from './errors.js';
import { importHmacKey, type KeySource } from './hmac.js';
import { verifyWith, type VerifyWebhookInput } from './verify.js';

/** The envelope every delivery shares. */
interface EventEnvelope<Type extends string, Data> {
  /** `evt_…`; the same event can be delivered more than once, so deduplicate on it. */
  readonly id: string;
  readonly type: Type;
  /** ISO 8601 time the event happened. */
  readonly createdAt: string;
  readonly data: Data;
}

/** A grant was approved (or delegated: then `delegationDepth` and `parentGrantId` are set). */
export type GrantCreatedEvent = EventEnvelope<'grant.created', {
  readonly grantId: string;
  readonly agentId: string;
  readonly principalId: string;
  readonly scopes: readonly string[];
  /** ISO 8601. */
  readonly expiresAt: string;
  readonly delegationDepth?: number | undefined;
  readonly parentGrantId?: string | undefined;
}>;

/** A grant was revoked; `cascade` tells whether grants delegated from it were revoked too. */
export type GrantRevokedEvent = EventEnvelope<'grant.revoked', {
  readonly grantId: string;
  readonly cascade: boolean;
}>;

/** A grant token was issued (code exchange, refresh or delegation). */
export type TokenIssuedEvent = EventEnvelope<'token.issued', {
  readonly tokenId: string;
  readonly grantId: string;
  readonly agentId: string;
  readonly principalId: string;
  readonly scopes: readonly string[];
  /** ISO 8601. */
  readonly expiresAt: string;
}>;

/** The event types this version of the SDK knows. */
export type KnownWebhookEvent = GrantCreatedEvent | GrantRevokedEvent | TokenIssuedEvent;

/** An event of a type this version of the SDK does not know yet; passed through untouched. */
export type UnknownWebhookEvent = EventEnvelope<string, Record<string, unknown>>;

/** What {@link constructWebhookEvent} returns. Narrow it with {@link isKnownWebhookEvent} first. */
export type WebhookEvent = KnownWebhookEvent | UnknownWebhookEvent;

const KNOWN = ['grant.created', 'grant.revoked', 'token.issued'];

/**
 * True for the event types listed in {@link KnownWebhookEvent}. TypeScript cannot narrow on `type`
 * while the union also holds "any other string", so check this before switching on `event.type`.
 *
 * @example
 * ```ts
 * if (!isKnownWebhookEvent(event)) return new Response(null, { status: 204 }); // newer event type
 * switch (event.type) {
 *   case 'grant.revoked': await dropSessions(event.data.grantId); break;
 *   // ...
 * }
 * ```
 */
export function isKnownWebhookEvent(event: WebhookEvent): event is KnownWebhookEvent {
  return KNOWN.includes(event.type);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Verifies a delivery exactly like {@link verifyWebhook}, then parses its body. Only the envelope is
 * checked (`id`, `type`, `createdAt` strings and a `data` object): the body is authentic, so the
 * per-type `data` is trusted as documented. Unknown event types are returned, not rejected, so that
 * a new server event does not break an old receiver.
 *
 * @example
 * ```ts
 * const event = await constructWebhookEvent({ payload: await request.arrayBuffer(), headers: request.headers, secret });
 * if (isKnownWebhookEvent(event) && event.type === 'grant.created') {
 *   console.log(event.data.grantId, event.data.scopes);
 * }
 * ```
 */
export function constructWebhookEvent(input: VerifyWebhookInput): Promise<WebhookEvent> {
  return constructEventWith(importHmacKey, input);
}

/** {@link constructWebhookEvent} with the keys from `keyOf` (a verifier's cache, or a fresh import). */
export async function constructEventWith(keyOf: KeySource, input: VerifyWebhookInput): Promise<WebhookEvent> {
  // A bad secret is a programming error: reported before the payload. The key is imported once.
  const key = keyOf(input?.secret);
  // One private copy of the body is verified and then parsed, so the event is exactly the bytes
  // that verified even if the caller's buffer changes meanwhile. Strings go the same way, which is
  // what makes a string and its bytes agree (a leading byte-order mark included).
  const body = toBytes(input.payload);
  await verifyWith(() => key, { ...input, payload: body });
  let event: unknown;
  try {
    // `fatal`: JSON is UTF-8; a body that is not is not an event. The decoder drops a leading BOM.
    event = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    // Reported below, with every other shape problem.
  }
  if (!isObject(event) || typeof event.id !== 'string' || typeof event.type !== 'string' || typeof event.createdAt !== 'string' || !isObject(event.data)) {
    throw new WebhookVerificationError('WEBHOOK_PAYLOAD_INVALID', 'Webhook payload is not a Grantex event');
  }
  return event as unknown as WebhookEvent;
}
