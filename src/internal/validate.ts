/**
 * Response validation, loaded with the first request; the schemas themselves load per namespace
 * (generated/validators/). Named imports keep the rest of valibot out of the bundle.
 */
import { getDotPath, safeParse, type GenericSchema } from 'valibot';

import type { ValidationIssue } from '../errors.js';

export { validatorGroups } from '../../generated/validators/index.gen.js';

/** Shared by every conforming answer, so success allocates no list. */
const NO_ISSUES: readonly ValidationIssue[] = Object.freeze([]);

/** The issues of `data` against `schema`; empty when it conforms. */
export function check(schema: unknown, data: unknown): readonly ValidationIssue[] {
  const result = safeParse(schema as GenericSchema, data);
  if (result.success) return NO_ISSUES;
  return result.issues.map((issue) => ({ path: getDotPath(issue) ?? '', message: issue.message }));
}
