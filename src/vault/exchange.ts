/**
 * The vault exchange over plain `fetch`: `POST /v1/vault/credentials/exchange` with the grant token
 * as the bearer. The answer's credential is checked and handed to the cache only; a refusal
 * becomes a `VaultExchangeError` with the server's code, scrubbed of the grant token.
 */
import { GrantexConnectionError, GrantexInvalidResponseError } from '../errors.js';
import { defaultCode, redactDeep, redactHeaders, redactText, sanitizeCause } from '../internal/api-errors.js';
import { VaultExchangeError } from './errors.js';
import { isToken } from './options.js';
import { readCappedBody } from '../internal/capped-body.js';

/** What an exchange yields: the credential and when it stops being valid (an ISO instant, or none). */
export interface Exchanged {
  readonly accessToken: string;
  readonly tokenExpiresAt: string | null | undefined;
}

/** Exchanges a grant token for a service's credential. */
export type Exchange = (grantToken: string) => Promise<Exchanged>;

/** Far above any real answer (a credential and its metadata), far below what hurts a process. */
const MAX_ANSWER_BYTES = 1024 * 1024;
const OPERATION = 'vault.authorizedFetch';

/** The exchange against `baseUrl` with `fetchImpl` (no retries: a refused grant is final). */
export function plainExchange(baseUrl: string, service: string, fetchImpl: typeof fetch): Exchange {
  const url = `${baseUrl}/v1/vault/credentials/exchange`;
  return async (grantToken) => {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${grantToken}` },
        body: JSON.stringify({ service }),
        redirect: 'manual',
      });
    } catch (error) {
      const cause = sanitizeCause(error, [grantToken]);
      const code = (cause as { code?: unknown }).code;
      throw new GrantexConnectionError(`The vault exchange could not reach ${new URL(url).host}${typeof code === 'string' ? `: ${code}` : ''}`, { cause });
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      void response.body?.cancel().catch(() => undefined);
      throw new GrantexInvalidResponseError(`The vault exchange was answered with a redirect (${response.status}); the API never redirects, so it was not followed`, {
        status: response.status,
        operation: OPERATION,
        code: 'UNEXPECTED_REDIRECT',
      });
    }
    let text: string;
    try {
      text = await readCapped(response);
    } catch (error) {
      if (error instanceof GrantexInvalidResponseError) throw error;
      throw new GrantexConnectionError('The vault exchange answer was cut off', { cause: sanitizeCause(error, [grantToken]) });
    }
    if (!response.ok) {
      throw refusal(response, parseLoose(text), grantToken, service);
    }
    return readAnswer(text, response.status);
  };
}

/** The same error for either exchange path: the server's status and code, tagged with the service. */
export function toExchangeError(error: { status: number; code: string; serverMessage: string; requestId: string | undefined; headers: Headers; body: unknown }, service: string): VaultExchangeError {
  return new VaultExchangeError(
    { status: error.status, code: error.code, serverMessage: error.serverMessage, requestId: error.requestId, headers: error.headers, body: error.body, operation: OPERATION },
    service,
  );
}

/** The server's refusal, with the grant token scrubbed from every part of it. */
function refusal(response: Response, body: unknown, grantToken: string, service: string): VaultExchangeError {
  const secrets = [grantToken];
  const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const { message, code, requestId } = record;
  return toExchangeError(
    {
      status: response.status,
      code: typeof code === 'string' ? code : defaultCode(response.status),
      serverMessage: redactText(typeof message === 'string' ? message : `HTTP ${response.status}`, secrets),
      requestId: typeof requestId === 'string' ? requestId : undefined,
      headers: redactHeaders(response.headers, secrets),
      body: redactDeep(body, secrets),
    },
    service,
  );
}

/** Checks an exchange answer; the messages name fields, never values. */
export function readAnswer(text: string | unknown, status: number): Exchanged {
  let data: unknown = text;
  if (typeof text === 'string') {
    try {
      data = JSON.parse(text);
    } catch {
      throw new GrantexInvalidResponseError('The vault exchange answer is not valid JSON', { status, operation: OPERATION });
    }
  }
  const record = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const { accessToken, tokenExpiresAt } = record;
  // A credential with a space or line break could not be sent in a header without the runtime
  // quoting it in its own error message.
  if (!isToken(accessToken)) {
    throw new GrantexInvalidResponseError('The vault exchange answer has no usable accessToken (a non-empty string of visible ASCII characters)', { status, operation: OPERATION });
  }
  if (tokenExpiresAt !== undefined && tokenExpiresAt !== null && (typeof tokenExpiresAt !== 'string' || Number.isNaN(Date.parse(tokenExpiresAt)))) {
    throw new GrantexInvalidResponseError('The vault exchange answer has a tokenExpiresAt that is not a date-time', { status, operation: OPERATION });
  }
  return { accessToken, tokenExpiresAt: tokenExpiresAt as string | null | undefined };
}

async function readCapped(response: Response): Promise<string> {
  const bytes = await readCappedBody(response, MAX_ANSWER_BYTES);
  if (bytes === undefined) {
    throw new GrantexInvalidResponseError(`The vault exchange answer is larger than ${MAX_ANSWER_BYTES} bytes`, { status: response.status, operation: OPERATION, code: 'RESPONSE_TOO_LARGE' });
  }
  return new TextDecoder().decode(bytes);
}

function parseLoose(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
