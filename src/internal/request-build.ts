/**
 * Building one request from a row of the operation table and the caller's arguments: the URL, the
 * headers, the JSON body, the credential to send and every value to keep out of errors and logs.
 * Everything wrong with the arguments is refused here, before anything is sent.
 */
import { GrantexConfigurationError, GrantexInvalidArgumentError } from '../errors.js';
import type { RequestOptions } from '../core/options.js';
import { redactText } from './api-errors.js';
import { bespokeSteps } from './bespoke.js';
import { MAX_IDEMPOTENCY_KEY_LENGTH, callerKindOf, checkAmounts, checkCaller } from './commerce.js';
import { HEADER_BREAK } from './header-text.js';
import type { OperationSpec } from './operation.js';
import { checkToken, encodePathParam, pathValue, randomKey } from './request-args.js';
import type { TransportConfig } from './transport-config.js';

const NONE: readonly never[] = Object.freeze([]);

/** Who a request is made as: the client's configuration and, for views, their credential. */
export interface RequestIdentity {
  readonly config: TransportConfig;
  /** A credential view's token (`withToken`, or a commerce caller's credential). */
  readonly bearer: string | undefined;
  /** Set on commerce credential views: the bearer is that kind of caller's credential. */
  readonly view: 'merchant' | 'agent' | undefined;
}

/** A request ready to send. */
export interface PreparedRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  /** The JSON text of the body, when the operation sends one. */
  readonly body: string | undefined;
  /** Every credential this request carries or could echo back, for redaction. */
  readonly secrets: readonly string[];
  readonly idempotencyKey: string | undefined;
}

/** Turns the operation row and the caller's arguments into a URL, headers and body. */
export function prepareRequest(who: RequestIdentity, op: OperationSpec, args: readonly unknown[], params: unknown, options: RequestOptions): PreparedRequest {
  const config = who.config;
  const secrets: string[] = [];
  let bearer = who.bearer;
  let path = op.path;
  let query: Record<string, unknown> | undefined;
  let body: Record<string, unknown> | undefined;

  let input = params === undefined || params === null ? {} : params;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new GrantexInvalidArgumentError(`${op.call} takes its parameters as an object`);
  }
  if (op.bespoke) input = bespokeSteps[op.bespoke]?.input?.(input as Record<string, unknown>) ?? input;
  const rename = op.rename;
  for (const key in input) {
    if (!Object.hasOwn(input, key)) continue;
    const value = (input as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const wire = rename?.[key] ?? key;
    if (op.query?.includes(wire)) (query ??= {})[wire] = value;
    else if (op.body) (body ??= {})[wire] = value;
    else throw new GrantexInvalidArgumentError(`${op.call} has no parameter named ${key}`);
  }
  const specArgs = op.args ?? NONE;
  for (let i = 0; i < specArgs.length; i++) {
    const [where, name] = specArgs[i]!;
    const value = args[i];
    if (where === 'bearer') {
      bearer = checkToken(op, value);
    } else if (where === 'path') {
      path = path.replace(`{${name}}`, encodePathParam(op, name!, value));
    } else if (where === 'query') {
      if (value !== undefined) (query ??= {})[name!] = value;
    } else {
      (body ??= {})[name!] = value;
    }
  }
  if (body === undefined && op.requiredBody) body = {};
  if (op.callers !== undefined && op.auth !== 'none') {
    // Commerce: a view's credential, else the client's key, and only of a kind the operation accepts.
    bearer = who.view ? who.bearer : config.apiKey;
    if (bearer === undefined) {
      throw new GrantexConfigurationError(`${op.call} needs a credential: pass \`new Grantex({ apiKey })\` or use client.commerce.asMerchant(key) / asAgent(credential)`);
    }
    checkCaller(op, who.view ?? callerKindOf(bearer));
  } else if (op.auth === undefined) {
    if (config.apiKey === undefined) {
      throw new GrantexConfigurationError(
        config.envDenied
          ? `${op.call} needs an API key: pass \`new Grantex({ apiKey })\`, or let this program read GRANTEX_API_KEY (Deno: run with --allow-env=GRANTEX_API_KEY)`
          : `${op.call} needs an API key: pass \`new Grantex({ apiKey })\` or set the GRANTEX_API_KEY environment variable`,
      );
    }
    bearer = config.apiKey;
  } else if (op.auth === 'bearer' && bearer === undefined) {
    throw new GrantexInvalidArgumentError(`${op.call} needs a token`);
  } else if (op.auth === 'none') {
    bearer = undefined;
  }
  if (bearer !== undefined) secrets.push(bearer);
  if (config.apiKey !== undefined && config.apiKey !== bearer) secrets.push(config.apiKey);
  for (const secret of op.secrets ?? NONE) {
    const [where, name] = secret.split('.') as [string, string | undefined];
    const value = where === 'path' ? pathValue(op, args, name) : where === 'query' ? query?.[name!] : where === 'body' ? body?.[name!] : undefined;
    if (typeof value === 'string' && value !== '') secrets.push(value);
  }

  let url = config.baseUrl + path;
  if (query) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (Array.isArray(value)) for (const item of value) search.append(key, String(item));
      else search.append(key, String(value));
    }
    const text = search.toString();
    if (text) url += `?${text}`;
  }

  const headers: Record<string, string> = { ...config.headers };
  if (bearer !== undefined) headers['Authorization'] = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.headers) {
    for (const [name, value] of Object.entries(options.headers)) {
      if (typeof value !== 'string' || HEADER_BREAK.test(name) || HEADER_BREAK.test(value)) {
        throw new GrantexInvalidArgumentError(`Header ${JSON.stringify(redactText(name, secrets))} of ${op.call} holds a line break or is not a string`);
      }
      headers[name] = value;
    }
  }
  checkAmounts(op, body);
  let idempotencyKey = options.idempotencyKey;
  // Operations that require a key get one generated, so a retry can never repeat the effect.
  if (idempotencyKey === undefined && (op.idempotency === 'required' || (config.idempotencyKeys === 'auto' && (op.method === 'POST' || op.method === 'PATCH')))) {
    idempotencyKey = randomKey();
  }
  if (idempotencyKey !== undefined) {
    if (typeof idempotencyKey !== 'string' || idempotencyKey === '' || HEADER_BREAK.test(idempotencyKey)) {
      throw new GrantexInvalidArgumentError('idempotencyKey must be a non-empty string without line breaks');
    }
    if (op.idempotency === 'required' && idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw new GrantexInvalidArgumentError(`idempotencyKey of ${op.call} must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    }
    headers['Idempotency-Key'] = idempotencyKey;
  }
  return { url, headers, body: body === undefined ? undefined : JSON.stringify(body), secrets, idempotencyKey };
}
