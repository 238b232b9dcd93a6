/**
 * The shape of a client's configuration once config.ts has checked and normalised it: what every
 * part of the request path reads, and nothing it could still get wrong.
 */
import type { GrantexResponseValidationError } from '../errors.js';
import type { Logger, LogLevel, RequestEvent, ResponseEvent, ValidationMode } from '../core/options.js';

/** The validated, normalised client configuration a transport runs with (see config.ts). */
export interface TransportConfig {
  /** Set for a static call's transport: client option names its calls' options may also hold. */
  readonly clientOptionsInCalls?: ReadonlySet<string>;
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  /** True when the runtime refused to read GRANTEX_API_KEY (Deno without --allow-env). */
  readonly envDenied: boolean;
  readonly timeout: number;
  readonly maxRetries: number;
  readonly maxRetryAfter: number;
  readonly maxResponseBytes: number;
  readonly validation: ValidationMode;
  readonly fetch: typeof fetch | undefined;
  readonly fetchOptions: Readonly<Record<string, unknown>> | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly idempotencyKeys: 'auto' | 'manual';
  readonly onRequest: ((event: RequestEvent) => void) | undefined;
  readonly onResponse: ((event: ResponseEvent) => void) | undefined;
  readonly onValidationWarning: ((error: GrantexResponseValidationError) => void) | undefined;
  readonly logger: Logger;
  readonly logLevel: LogLevel;
}
