/**
 * The few steps the spec cannot declare, named by `x-grantex-sdk.bespoke` on their operation. Each
 * one adapts an input, an answer or an error of one operation; everything else is table-driven.
 * Their names are registered once, in scripts/codegen/bespoke.mjs: the generated `BespokeStepName`
 * lists them, and the compiler holds this map to exactly those keys.
 */
import type { BespokeStepName } from '../../generated/operations.gen.js';
import type { VerifyGrantResponse } from '../../generated/types.gen.js';
import {
  AuthenticationError,
  BadRequestError,
  GrantexInvalidArgumentError,
  GrantTokenError,
  PermissionDeniedError,
  type GrantTokenErrorCode,
} from '../errors.js';
import { toGrant } from '../jwt/claims.js';

/** One bespoke step: any of an input adapter, an answer adapter and an error adapter. */
export interface BespokeStep {
  readonly input?: ((params: Record<string, unknown>) => Record<string, unknown>) | undefined;
  readonly output?: ((data: unknown) => unknown) | undefined;
  readonly error?: ((error: unknown) => unknown) | undefined;
}

const INACTIVE_REASON_CODES: Record<string, GrantTokenErrorCode> = {
  revoked: 'TOKEN_REVOKED',
  expired: 'TOKEN_EXPIRED',
  not_found: 'TOKEN_UNKNOWN',
  wrong_developer: 'TOKEN_WRONG_DEVELOPER',
};

const steps = {
  /** `userId` is the SDK's friendlier name for the wire's `principalId`. */
  authorizeAlias: {
    input(params) {
      const { userId, ...rest } = params;
      if (userId === undefined) return params;
      if (rest['principalId'] !== undefined) {
        throw new GrantexInvalidArgumentError('Pass either userId or principalId, not both');
      }
      return { ...rest, principalId: userId };
    },
  },

  /** An inactive token is an answer on the wire but a failure to the caller, with a reason code. */
  grantVerdict: {
    output(data) {
      const result = data as VerifyGrantResponse;
      if (result.active) return toGrant(result.claims as Record<string, unknown>, true);
      const code = INACTIVE_REASON_CODES[result.reason] ?? 'TOKEN_INVALID';
      throw new GrantTokenError(code, `The grant token is not active (${result.reason})`);
    },
    error(error) {
      // The server answers 400 "Invalid token" for a malformed, badly signed or expired JWT.
      if (error instanceof BadRequestError && error.message.startsWith('Invalid token')) {
        return new GrantTokenError('TOKEN_INVALID', 'The API rejected the grant token (malformed, badly signed or expired)', { cause: error });
      }
      return error;
    },
  },

  /** The vault exchange authenticates with the grant token, so its 401 and 403 are verdicts on it. */
  grantTokenAuth: {
    error(error) {
      if (error instanceof AuthenticationError) {
        return new GrantTokenError('TOKEN_INVALID', 'The grant token was refused: it is revoked, expired or unknown', { cause: error });
      }
      if (error instanceof PermissionDeniedError) {
        return new GrantTokenError('TOKEN_SCOPES_MISSING', `The grant token does not cover this service: ${error.serverMessage}`, { cause: error });
      }
      return error;
    },
  },
} satisfies Record<BespokeStepName, BespokeStep>;

/** The steps by name; the transport looks up the name an operation row gives. */
export const bespokeSteps: Readonly<Record<string, BespokeStep>> = steps;
