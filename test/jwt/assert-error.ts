import { expect } from 'vitest';
import { GrantexError, GrantTokenError } from '../../src/errors.js';

/** Awaits `promise`, expects a GrantTokenError with `code`, and checks that it leaks nothing. */
export async function expectTokenError(promise: Promise<unknown>, code: string, secrets: readonly string[] = []): Promise<GrantTokenError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a ${code} rejection`).toBeInstanceOf(GrantTokenError);
  const error = caught as GrantTokenError;
  expect(error).toBeInstanceOf(GrantexError);
  expect(error.code).toBe(code);
  expect(error.cause).toBeUndefined();
  const json = JSON.stringify(error);
  expect(JSON.parse(json)).toMatchObject({ name: 'GrantTokenError', code });
  for (const secret of secrets) {
    for (const part of secret.split('.').filter((p) => p.length >= 16)) {
      expect(error.message).not.toContain(part);
      expect(json).not.toContain(part);
      expect(String(error.stack)).not.toContain(part);
    }
  }
  return error;
}
