/**
 * The shape of one row of the generated operation table (generated/operations.gen.ts): everything
 * the transport needs to send an operation and read its answer. Rows are written by
 * scripts/generate-sdk.mjs from openapi.yaml and its `x-grantex-sdk` extension.
 */
export interface OperationSpec {
  /** The spec's operationId. */
  readonly id: string;
  /** The SDK method that performs it, e.g. `agents.get` (used in errors, hooks and logs). */
  readonly call: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path template, e.g. `/v1/agents/{id}`. */
  readonly path: string;
  /** Where each positional argument goes: a path parameter, a body field, a query parameter or the bearer. */
  readonly args?: readonly (readonly ['path' | 'body' | 'query', string] | readonly ['bearer'])[];
  /** The wire names of the query parameters. */
  readonly query?: readonly string[];
  /** True when the operation takes a JSON body. */
  readonly body?: boolean;
  /**
   * The spec marks the JSON body required: the transport sends `{}` when the caller gives no field,
   * because the server answers a request without a body 500 and `{}` 200.
   */
  readonly requiredBody?: boolean;
  /** `none` for public operations, `bearer` for those authenticated with another token. Default: the API key. */
  readonly auth?: 'none' | 'bearer';
  /** The export name of the response validator in generated/valibot.gen.ts; absent when there is no body. */
  readonly validator?: string;
  /** The namespace whose validator module holds `validator` (generated/validators/). */
  readonly group?: string;
  /** The answer is a `text/event-stream`. */
  readonly stream?: boolean;
  /** Dotted response paths of fields that arrive JSON-encoded and are returned decoded. */
  readonly decode?: readonly string[];
  /** Inputs that are credentials: `path.x`, `query.x`, `body.x` or `bearer`. */
  readonly secrets?: readonly string[];
  /** Non-2xx statuses whose body is the answer. */
  readonly results?: readonly number[];
  /** Default retries for this operation when the caller sets none. */
  readonly retries?: number;
  /** SDK field name -> wire name. */
  readonly rename?: Readonly<Record<string, string>>;
  readonly paginate?: { readonly style: 'single' | 'page' | 'scim' | 'cursor'; readonly items?: string; readonly cursor?: string };
  /**
   * Commerce operations: the kinds of caller that may call it (`operator`, `admin`, `merchant`,
   * `agent`, or `anyone` for public ones); a call made with another kind is refused before sending.
   */
  readonly callers?: readonly string[];
  /** `required`: the operation needs an `Idempotency-Key`; one is generated when the caller gives none. */
  readonly idempotency?: 'required';
  /** Body paths (`body.a.b`, arrays walked) of amounts in minor units, checked to be integers before sending. */
  readonly amounts?: readonly string[];
  /** A hand-written step in src/internal/bespoke.ts. */
  readonly bespoke?: string;
}
