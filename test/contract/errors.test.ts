import { describe, expect, it } from 'vitest';

import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  GoneError,
  GrantexApiError,
  GrantTokenError,
  InternalServerError,
  isApiError,
  NotFoundError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '../../src/index.js';
import { callOperation, sdkOperations } from './calls.js';
import { specOperations } from './spec.js';
import { mockClient, TEST_API_KEY } from './support.js';

const expectedClass: Record<number, new (...args: never[]) => GrantexApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: PaymentRequiredError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  410: GoneError,
  422: UnprocessableEntityError,
  429: RateLimitError,
  500: InternalServerError,
  503: InternalServerError,
};

const REWRITTEN = ['verifyGrant', 'getHealth', 'testSsoConnection', 'exchangeVaultCredential'];
const operations = specOperations();
const cases = Object.keys(expectedClass)
  .map(Number)
  .map((status) => ({
    status,
    // An operation whose error surfaces as an API error; these four turn a documented status into
    // something more useful (a GrantTokenError, a degraded health report, a failed-test result).
    operation: operations.find((op) => op.statuses.includes(String(status)) && !REWRITTEN.includes(op.operationId)),
  }))
  .filter((entry) => entry.operation !== undefined);

describe('error mapping (Prism answers with the documented error example)', () => {
  it('the spec documents every status class the SDK maps', () => {
    expect(cases.map((entry) => entry.status)).toEqual(expect.arrayContaining([400, 401, 403, 404, 409, 429, 500]));
  });

  it.each(cases)('$status → typed error via $operation.operationId', async ({ status, operation }) => {
    const { client, publicOptions } = mockClient({ headers: { Prefer: `code=${status}` } });
    const op = sdkOperations.find((candidate) => candidate.id === operation!.operationId)!;
    const error = await Promise.resolve(callOperation(client, { ...publicOptions, headers: { Prefer: `code=${status}` } }, op, 'required')).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(expectedClass[status]);
    expect(isApiError(error)).toBe(true);
    const apiError = error as GrantexApiError;
    expect(apiError.status).toBe(status);
    expect(apiError.code).toMatch(/^[A-Z_]+$/);
    expect(apiError.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(apiError.message.length).toBeGreaterThan(0);
    expect(apiError.operation).toBe(op.call);
    expect(apiError.message).toContain(`(${status} ${apiError.code} from ${op.call})`);
    for (const text of [String(apiError), JSON.stringify(apiError), apiError.stack ?? '']) {
      expect(text).not.toContain(TEST_API_KEY);
    }
  });
});

describe('statuses the SDK turns into results or specific errors', () => {
  it('a failed SSO connection test (422) resolves with success: false and the reason', async () => {
    const { client } = mockClient({ headers: { Prefer: 'code=422' } });
    const outcome = await client.sso.connections.test('sso_01M81NX60SEDC3ZH8G159P9J6W');
    expect(outcome.success).toBe(false);
    expect('error' in outcome && typeof outcome.error).toBe('string');
  });

  it.each([
    [401, 'TOKEN_INVALID'],
    [403, 'TOKEN_SCOPES_MISSING'],
  ])('the vault exchange answered %i is a GrantTokenError %s', async (status, code) => {
    const { client } = mockClient({ headers: { Prefer: `code=${status}` } });
    const error = await client.vault.exchange('eyJ.a.b', { service: 'github' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GrantTokenError);
    expect((error as GrantTokenError).code).toBe(code);
  });

  it('a revoked grant token on grants.verify is a GrantTokenError with code TOKEN_REVOKED', async () => {
    const { client } = mockClient({ headers: { Prefer: 'example=revoked' } });
    const error = await client.grants.verify('eyJ.a.b').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GrantTokenError);
    expect((error as GrantTokenError).code).toBe('TOKEN_REVOKED');
  });
});

describe('health', () => {
  it('a degraded service (503) is reported, not thrown, and not retried', async () => {
    const { client, sent } = mockClient({ headers: { Prefer: 'code=503' }, maxRetries: 2 });
    const report = await client.health();
    expect(report.status).toBe('degraded');
    // An explicit `maxRetries: undefined` must not bring the client's retries back.
    await client.health({ maxRetries: undefined });
    expect(sent.map((request) => new URL(request.url).pathname)).toEqual(['/health', '/health']);
  });
});
