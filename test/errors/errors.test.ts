import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

import { createApiError as buildApiError, redactText } from '../../src/internal/api-errors.js';
import {
  BadRequestError,
  GrantexError,
  GrantTokenError,
  InternalServerError,
  isApiError,
  isGrantexError,
  NotFoundError,
  parseRetryAfter,
  RateLimitError,
} from '../../src/errors.js';

const init = (status: number, headers: Record<string, string> = {}) => ({
  status,
  serverMessage: 'm',
  code: 'C',
  requestId: 'r',
  headers: new Headers(headers),
  body: { message: 'm' },
});
const createApiError = (i: ReturnType<typeof init>) =>
  buildApiError(new Response(JSON.stringify({ message: i.serverMessage, code: i.code, requestId: i.requestId }), { status: i.status, headers: i.headers }), { message: i.serverMessage, code: i.code, requestId: i.requestId }, 'agents.get', []);

describe('error tree', () => {
  it('maps each status to its class', () => {
    expect(createApiError(init(400))).toBeInstanceOf(BadRequestError);
    expect(createApiError(init(404))).toBeInstanceOf(NotFoundError);
    expect(createApiError(init(429))).toBeInstanceOf(RateLimitError);
    expect(createApiError(init(502))).toBeInstanceOf(InternalServerError);
    expect(createApiError(init(418)).constructor.name).toBe('GrantexApiError');
  });

  it('keeps readable class names even after minification', async () => {
    const result = await build({ entryPoints: ['src/errors.ts'], bundle: true, minify: true, format: 'esm', write: false });
    const errors = await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0]!.text).toString('base64')}`);
    expect(new errors.BadRequestError(init(400)).name).toBe('BadRequestError');
    expect(new errors.GrantTokenError('TOKEN_EXPIRED', 'x').name).toBe('GrantTokenError');
    expect(String(new errors.GrantexError('boom', 'X'))).toBe('GrantexError: boom');
    // A second copy of the SDK (another realm, a duplicate install) is recognised by the brand.
    expect(isGrantexError(new errors.NotFoundError(init(404)))).toBe(true);
    expect(new errors.NotFoundError(init(404))).not.toBeInstanceOf(NotFoundError);
  });

  it('guards recognise SDK errors and nothing else', () => {
    expect(isGrantexError(new GrantexError('x', 'X'))).toBe(true);
    expect(isGrantexError(new Error('x'))).toBe(false);
    expect(isGrantexError({ code: 'X' })).toBe(false);
    expect(isApiError(createApiError(init(500)))).toBe(true);
    expect(isApiError(new GrantTokenError('TOKEN_EXPIRED', 'x'))).toBe(false);
  });

  it('serialises to a secret-free summary', () => {
    const error = createApiError(init(429, { 'retry-after': '7', 'x-ratelimit-limit': '100' }));
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'RateLimitError',
      code: 'C',
      message: 'm (429 C from agents.get)',
      status: 429,
      requestId: 'r',
      operation: 'agents.get',
      rateLimit: { limit: 100 },
      retryAfter: 7,
    });
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-22T13:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3);
    expect(parseRetryAfter('Sun, 22 Nov 2026 13:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('redacts every known secret, and ignores secrets too short to be real', () => {
    expect(redactText('key gx_live_abcdefgh and tok', ['gx_live_abcdefgh', 'tok', undefined])).toBe('key [redacted] and tok');
    // Seven characters is one short of the shortest secret scrubbed; eight is exactly it.
    expect(redactText('a 1234567 b', ['1234567'])).toBe('a 1234567 b');
    expect(redactText('a 12345678 b', ['12345678'])).toBe('a [redacted] b');
  });
});
