/**
 * Turning the caller's arguments into parts of a request: path parameters, bearer tokens, the
 * displayed URL and idempotency keys. Each check throws a typed error naming the SDK method.
 */
import { GrantexInvalidArgumentError } from '../errors.js';
import { redactText } from './api-errors.js';
import { HEADER_BREAK } from './header-text.js';
import type { OperationSpec } from './operation.js';

export function checkToken(op: OperationSpec, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || HEADER_BREAK.test(value)) {
    throw new GrantexInvalidArgumentError(`${op.call} needs a non-empty token without line breaks`);
  }
  return value.trim();
}

/**
 * Encodes a path parameter. Encoding handles `/` and `?`, but the dot segments `.` and `..` survive
 * encoding and would be resolved away by URL parsing, and a lone surrogate cannot be encoded.
 */
export function encodePathParam(op: OperationSpec, name: string, value: unknown): string {
  const label = argName(name);
  if (typeof value !== 'string' || value.length === 0) {
    throw new GrantexInvalidArgumentError(`${op.call}: ${label} must be a non-empty string`);
  }
  if (value === '.' || value === '..') throw new GrantexInvalidArgumentError(`${op.call}: ${label} cannot be "." or ".."`);
  // encodeURIComponent refuses a lone surrogate with a URIError: no scan of its own on every call.
  try {
    return encodeURIComponent(value);
  } catch {
    throw new GrantexInvalidArgumentError(`${op.call}: ${label} is not well-formed Unicode`);
  }
}

function argName(name: string): string {
  return name === 'id' ? 'the id' : name;
}

export function pathValue(op: OperationSpec, args: readonly unknown[], name: string | undefined): unknown {
  const index = (op.args ?? []).findIndex(([where, field]) => where === 'path' && field === name);
  return index >= 0 ? args[index] : undefined;
}

export function redactUrl(url: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return url;
  return redactText(url, secrets.flatMap((secret) => [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]));
}

/** A random UUID v4 for idempotency keys; `randomUUID` exists only in secure browser contexts. */
export function randomKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
