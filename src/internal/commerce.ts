/**
 * The request rules of the agentic-commerce operations, which the rest of the API does not have:
 * which kind of caller a credential is, the commerce error body, the body's say on retries, and
 * integer amounts. The transport calls these; each takes the generated operation row.
 */
import { GrantexCredentialKindError, GrantexInvalidAmountError, type CommerceCallerKind, type CommerceErrorFields } from '../errors.js';
import type { OperationSpec } from './operation.js';

const MERCHANT_KEY = /^grtx_sk_(?:sandbox|live)_\S+$/;
const AGENT_KEY = /^grtx_agent_\S+$/;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** The longest `Idempotency-Key` the commerce routes accept. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 256;
/** An error body larger than this is not read for its retry verdict (a commerce envelope is far smaller). */
const MAX_VERDICT_BYTES = 64 * 1024;

const KIND_LABEL: Record<CommerceCallerKind, string> = {
  operator: 'an operator API key',
  merchant: 'a merchant key',
  agent: 'an agent credential',
};

/**
 * The kind of commerce caller a credential is, by its shape, as the server tells them apart:
 * merchant keys start `grtx_sk_sandbox_`/`grtx_sk_live_`, agent keys `grtx_agent_` and agent
 * assertions are JWTs; anything else is a developer (operator or platform administrator) key.
 */
export function callerKindOf(token: string | undefined): CommerceCallerKind {
  if (token === undefined) return 'operator';
  if (MERCHANT_KEY.test(token)) return 'merchant';
  if (AGENT_KEY.test(token) || JWT_SHAPE.test(token)) return 'agent';
  return 'operator';
}

/** Checks that a credential given to `asMerchant`/`asAgent` is of that kind; the message never shows it. */
export function checkViewCredential(view: 'merchant' | 'agent', token: unknown): string {
  if (typeof token !== 'string' || token.trim() === '' || /[\r\n\0]/.test(token)) {
    throw new GrantexCredentialKindError(`as${view === 'merchant' ? 'Merchant' : 'Agent'} needs ${KIND_LABEL[view]} without line breaks`, 'operator', [view]);
  }
  const trimmed = token.trim();
  const kind = callerKindOf(trimmed);
  if (kind !== view) {
    const expected = view === 'merchant' ? 'a merchant key (grtx_sk_sandbox_… or grtx_sk_live_…)' : 'an agent credential (grtx_agent_… or a signed agent assertion)';
    throw new GrantexCredentialKindError(`as${view === 'merchant' ? 'Merchant' : 'Agent'} needs ${expected}, but was given ${KIND_LABEL[kind]}`, kind, [view]);
  }
  return trimmed;
}

/**
 * Refuses a commerce call made with a kind of credential the operation does not accept, before
 * anything is sent. Operator keys cover the platform administrator's operations too: the two
 * cannot be told apart by shape, and the server answers 403 `admin_required` to an operator.
 */
export function checkCaller(op: OperationSpec, kind: CommerceCallerKind): void {
  const callers = op.callers;
  if (callers === undefined || callers.includes('anyone')) return;
  const allowed = callers.includes(kind) || (kind === 'operator' && callers.includes('admin'));
  if (allowed) return;
  const views = callers
    .map((caller) => (caller === 'merchant' ? 'client.commerce.asMerchant(merchantKey)' : caller === 'agent' ? 'client.commerce.asAgent(agentCredential)' : 'a client made with an operator API key'))
    .filter((text, index, all) => all.indexOf(text) === index);
  throw new GrantexCredentialKindError(
    `${op.call} accepts ${callers.map((caller) => (caller === 'admin' ? 'a platform administrator key' : KIND_LABEL[caller as CommerceCallerKind] ?? caller)).join(' or ')}, but this call was made with ${KIND_LABEL[kind]}; call it through ${views.join(' or ')}`,
    kind,
    callers,
  );
}

/**
 * Checks every amount the operation sends (its `amounts` paths, arrays walked) is a whole number
 * of minor units: a non-negative safe integer. A fraction or a string would be refused or, worse,
 * rounded by the server; a number past 2^53 has already lost its last digits.
 */
export function checkAmounts(op: OperationSpec, body: Record<string, unknown> | undefined): void {
  if (!op.amounts || body === undefined) return;
  for (const path of op.amounts) {
    const [where, ...segments] = path.split('.');
    if (where !== 'body') continue;
    walk(body, segments, '', (value, field) => {
      if (value === undefined || value === null) return;
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new GrantexInvalidAmountError(op.call, field);
    });
  }
}

function walk(value: unknown, segments: readonly string[], at: string, visit: (value: unknown, field: string) => void): void {
  if (segments.length === 0) {
    visit(value, at);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, segments, `${at}[${index}]`, visit));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const [head, ...rest] = segments as [string, ...string[]];
  if (!(head in value)) return;
  walk((value as Record<string, unknown>)[head], rest, at === '' ? head : `${at}.${head}`, visit);
}

/** The commerce error body's `error` object, when `body` is one (`{error: {code, message, …}}`). */
function envelopeOf(body: unknown): Record<string, unknown> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const error = (body as Record<string, unknown>)['error'];
  if (typeof error !== 'object' || error === null || Array.isArray(error)) return undefined;
  const record = error as Record<string, unknown>;
  return typeof record['code'] === 'string' && typeof record['message'] === 'string' ? record : undefined;
}

/** The code, message and extra fields of a commerce error body; `undefined` for any other body. */
export function commerceError(body: unknown): { code: string; message: string; fields: CommerceErrorFields } | undefined {
  const error = envelopeOf(body);
  if (!error) return undefined;
  const text = (key: string) => (typeof error[key] === 'string' ? (error[key] as string) : undefined);
  const details = error['details'];
  return {
    code: error['code'] as string,
    message: error['message'] as string,
    fields: {
      decisionId: text('decision_id'),
      auditEventId: text('audit_event_id'),
      remediation: text('remediation'),
      retryable: typeof error['retryable'] === 'boolean' ? error['retryable'] : undefined,
      details: typeof details === 'object' && details !== null && !Array.isArray(details) ? (details as Record<string, unknown>) : undefined,
    },
  };
}

/** Statuses a commerce error marked `retryable: true` is retried on: the usual ones, plus 409 (a state that changed under the call). */
const RETRYABLE_WHEN_MARKED = [408, 409, 429, 500, 502, 503, 504];

/**
 * The body's say on retrying an error answer: `false` when it is a commerce error marked
 * `retryable: false` (a 503 `commerce_disabled` is not worth a second try), `true` when marked
 * `retryable: true` on a status where a repeat can help, `undefined` when the body has no verdict
 * (the status rules then apply). The response itself is left unread for the caller.
 */
export async function commerceRetryVerdict(response: Response): Promise<boolean | undefined> {
  const declared = response.headers.get('content-length');
  if (declared !== null && Number(declared) > MAX_VERDICT_BYTES) return undefined;
  let body: unknown;
  try {
    const text = await readCapped(response.clone(), MAX_VERDICT_BYTES);
    if (text === undefined) return undefined;
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const error = envelopeOf(body);
  if (!error || typeof error['retryable'] !== 'boolean') return undefined;
  return error['retryable'] && RETRYABLE_WHEN_MARKED.includes(response.status);
}

/** The body as text, or `undefined` (and the read cancelled) once it passes `limit` bytes. */
async function readCapped(response: Response, limit: number): Promise<string | undefined> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > limit) {
      void reader.cancel().catch(() => undefined);
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}
