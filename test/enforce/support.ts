// Shared set-up of the enforcement tests: one signing key, two manifests, tokens with given scopes.
import { inspect } from 'node:util';
import { expect } from 'vitest';
import { rootClaims, sign, type SigningKey } from '../support/tokens.js';

export const ISSUER = 'https://grantex.test';
export const DEV = 'dev_01TESTDEV';

export const GITHUB = { connector: 'github', tools: { create_issue: 'write', list_repos: 'read', delete_repo: 'delete', manage_org: 'admin' } };
export const STRIPE = { connector: 'stripe', tools: { create_payment: 'write', list_payments: 'read', refund: 'write' }, version: '2.1.0' };

/** A grant token carrying `scopes`, otherwise like the ones Grantex issues. */
export function tokenWith(key: SigningKey, scopes: string[], overrides: Record<string, unknown> = {}): Promise<string> {
  return sign(key, rootClaims(ISSUER, { scp: scopes, ...overrides }));
}

/** Asserts that no part of `token` long enough to matter appears in any of `values`, in any form. */
export function expectNoToken(token: string, ...values: unknown[]): void {
  const parts = token.split('.').filter((part) => part.length >= 16);
  expect(parts.length).toBeGreaterThan(0);
  for (const value of values) {
    const forms = [typeof value === 'string' ? value : JSON.stringify(value), inspect(value, { depth: 8, showHidden: true })];
    if (value instanceof Error) forms.push(String(value.stack), String(value.message));
    for (const form of forms) for (const part of parts) expect(form).not.toContain(part);
  }
}
