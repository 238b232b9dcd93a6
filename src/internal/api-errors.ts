/**
 * Builds API errors from answers and keeps credentials out of everything an error carries: its
 * message, body, headers and cause. A server that echoes a key or token back (in a message, a
 * nested body field or a header such as `WWW-Authenticate`) never gets it into a log.
 */
import {
  BadRequestError,
  AuthenticationError,
  ConflictError,
  GoneError,
  GrantexApiError,
  InternalServerError,
  NotFoundError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  type ApiErrorInit,
  type ValidationIssue,
} from '../errors.js';
import { commerceError } from './commerce.js';

const REDACTED = '[redacted]';
/** Secrets shorter than this are not scrubbed: they would match ordinary words. */
const MIN_SECRET_LENGTH = 8;

/** Replaces every occurrence of each secret in `text`. */
export function redactText(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= MIN_SECRET_LENGTH && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** A copy of a JSON value with every string redacted; iterative, so deep nesting cannot overflow. */
export function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (typeof value !== 'object' || value === null || secrets.length === 0) return value;
  const root: { v: unknown } = { v: undefined };
  const stack: [unknown, Record<string, unknown> | unknown[], string | number][] = [[value, root as unknown as Record<string, unknown>, 'v']];
  while (stack.length > 0) {
    const [current, parent, key] = stack.pop()!;
    let copy: unknown;
    if (typeof current === 'string') copy = redactText(current, secrets);
    else if (Array.isArray(current)) {
      const out: unknown[] = new Array(current.length);
      current.forEach((item, index) => stack.push([item, out, index]));
      copy = out;
    } else if (typeof current === 'object' && current !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(current)) stack.push([item, out, redactText(k, secrets)]);
      copy = out;
    } else copy = current;
    (parent as Record<string | number, unknown>)[key] = copy;
  }
  return root.v;
}

/**
 * Validation issues with every credential scrubbed from their paths and messages. A validator
 * quotes the value it refused, so a server that puts a key into a field would otherwise get it into
 * the error's message, its JSON, its stack and the warn-mode log line. Quoted values appear both raw
 * and JSON-escaped, so both spellings of each secret are replaced.
 */
export function redactIssues(issues: readonly ValidationIssue[], secrets: readonly string[]): ValidationIssue[] {
  if (secrets.length === 0) return [...issues];
  const spellings = secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
  return issues.map((issue) => ({ path: redactText(issue.path, spellings), message: redactText(issue.message, spellings) }));
}

/** The headers as they are, or a copy with redacted values when any value carries a secret. */
export function redactHeaders(headers: Headers, secrets: readonly string[]): Headers {
  let dirty = false;
  headers.forEach((value) => {
    if (!dirty && redactText(value, secrets) !== value) dirty = true;
  });
  if (!dirty) return headers;
  const copy = new Headers();
  headers.forEach((value, name) => copy.append(name, redactText(value, secrets)));
  return copy;
}

/**
 * A stand-in for an error caught from fetch or elsewhere: its name, its redacted message and its
 * system `code` (ECONNREFUSED, ENOTFOUND, …), walking its own causes the same way. The original
 * error is dropped: its message or a property may hold a credential (a header value in a TypeError).
 */
export function sanitizeCause(error: unknown, secrets: readonly string[], depth = 0): Error {
  const source = error instanceof Error ? error : undefined;
  const copy = new Error(redactText(source ? source.message : String(error), secrets));
  copy.name = source?.name ?? 'Error';
  const nested = (source as { cause?: unknown } | undefined)?.cause;
  const code = (source as { code?: unknown } | undefined)?.code ?? (nested as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' || typeof code === 'number') Object.defineProperty(copy, 'code', { value: code, enumerable: true });
  if (nested !== undefined && depth < 4) Object.defineProperty(copy, 'cause', { value: sanitizeCause(nested, secrets, depth + 1), enumerable: false });
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}

/** The code a status gets when the body names none (as the API's framework does). */
export function defaultCode(status: number): string {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 422) return 'VALIDATION_ERROR';
  if (status === 429) return 'RATE_LIMIT_EXCEEDED';
  if (status >= 500) return 'INTERNAL_ERROR';
  return 'BAD_REQUEST';
}

/** The typed error for a non-2xx answer, with every credential scrubbed from it. */
export function createApiError(response: Response, body: unknown, call: string, secrets: readonly string[]): GrantexApiError {
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const serverMessage = typeof record?.['message'] === 'string' ? record['message'] : typeof record?.['detail'] === 'string' ? record['detail'] : undefined;
  const status = response.status;
  const commerce = commerceError(body);
  if (commerce) {
    return errorForStatus({
      status,
      serverMessage: redactText(commerce.message, secrets),
      code: commerce.code,
      requestId: undefined,
      headers: redactHeaders(response.headers, secrets),
      body: redactDeep(body, secrets),
      operation: call,
      commerce: {
        ...commerce.fields,
        remediation: commerce.fields.remediation === undefined ? undefined : redactText(commerce.fields.remediation, secrets),
        details: commerce.fields.details === undefined ? undefined : (redactDeep(commerce.fields.details, secrets) as Record<string, unknown>),
      },
    });
  }
  const init: ApiErrorInit = {
    status,
    serverMessage: redactText(serverMessage ?? `HTTP ${status}`, secrets),
    code: typeof record?.['code'] === 'string' ? record['code'] : defaultCode(status),
    requestId: typeof record?.['requestId'] === 'string' ? record['requestId'] : undefined,
    headers: redactHeaders(response.headers, secrets),
    body: redactDeep(body, secrets),
    operation: call,
  };
  return errorForStatus(init);
}

function errorForStatus(init: ApiErrorInit): GrantexApiError {
  switch (init.status) {
    case 400: return new BadRequestError(init);
    case 401: return new AuthenticationError(init);
    case 402: return new PaymentRequiredError(init);
    case 403: return new PermissionDeniedError(init);
    case 404: return new NotFoundError(init);
    case 409: return new ConflictError(init);
    case 410: return new GoneError(init);
    case 422: return new UnprocessableEntityError(init);
    case 429: return new RateLimitError(init);
    default: return init.status >= 500 ? new InternalServerError(init) : new GrantexApiError(init);
  }
}
