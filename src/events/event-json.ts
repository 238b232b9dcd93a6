/**
 * What an event is: reading one from the JSON text of a frame or message, and telling the types
 * this SDK knows. Shared by the SSE and the WebSocket streams.
 */
import { GrantexInvalidResponseError } from '../errors.js';
import type { GrantexEvent, GrantexEventType, KnownGrantexEvent } from './types.js';

const KNOWN_TYPES: readonly string[] = [
  'grant.created', 'grant.revoked', 'token.issued', 'budget.threshold', 'budget.exhausted',
  'fido.registered', 'fido.assertion', 'vc.issued', 'sd-jwt.issued', 'sd-jwt.presented',
  'passport.issued', 'passport.revoked', 'passport.token-exchange', 'sso.login',
  'sso.connection.created', 'sso.connection.updated', 'sso.connection.deleted',
  'vault.credential.stored', 'vault.credential.deleted', 'vault.credential.exchanged',
  'consent_bundle.created', 'consent_bundle.synced', 'consent_bundle.revoked',
  'dpdp.consent.created', 'dpdp.consent.withdrawn', 'dpdp.grievance.filed', 'dpdp.erasure.completed',
  'anomaly.auto_revoked',
] satisfies readonly GrantexEventType[];

/**
 * True for the event types listed in {@link GrantexEventType}; narrows the event so that a
 * `switch (event.type)` types each `data`.
 *
 * @example
 * ```ts
 * for await (const event of client.events.stream()) {
 *   if (!isKnownGrantexEvent(event)) continue; // a type newer than this SDK
 *   if (event.type === 'budget.exhausted') console.log(`grant ${event.data.grantId} is out of budget`);
 * }
 * ```
 */
export function isKnownGrantexEvent(event: GrantexEvent): event is KnownGrantexEvent {
  return KNOWN_TYPES.includes(event.type);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads one event from the JSON text of a frame or message. Only the envelope is checked; the
 * connection is authenticated and `data` is trusted as documented. Unknown types pass through.
 */
export function parseEvent(text: string, operation: string): GrantexEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Reported below with the other shape problems; the text itself stays out of the message.
  }
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.type !== 'string' || typeof value.createdAt !== 'string' || !isRecord(value.data)) {
    throw new GrantexInvalidResponseError('The live event feed sent a message that is not a Grantex event', { status: 200, operation });
  }
  return value as unknown as GrantexEvent;
}
