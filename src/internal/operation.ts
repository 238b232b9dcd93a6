/**
 * The shape of one row of the generated operation table (generated/operations.gen.ts): everything
 * the transport needs to send an operation and read its answer. Rows are written by
 * scripts/generate-sdk.mjs from openapi.yaml and its `x-grantex-sdk` extension, in a compact form
 * that operation-table.ts decodes into this shape.
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
  readonly args?: readonly (readonly ['path' | 'body' | 'query', string] | readonly ['bearer'])[] | undefined;
  /** The wire names of the query parameters. */
  readonly query?: readonly string[] | undefined;
  /** True when the operation takes a JSON body. */
  readonly body?: boolean | undefined;
  /**
   * The spec marks the JSON body required: the transport sends `{}` when the caller gives no field,
   * because the server answers a request without a body 500 and `{}` 200.
   */
  readonly requiredBody?: boolean | undefined;
  /** `none` for public operations, `bearer` for those authenticated with another token. Default: the API key. */
  readonly auth?: 'none' | 'bearer' | undefined;
  /**
   * The key of the response validator in the `schemas` of its namespace's validator module (the
   * method name within the namespace, e.g. `get`); absent when there is no body.
   */
  readonly validator?: string | undefined;
  /** The namespace whose validator module holds `validator` (generated/validators/). */
  readonly group?: string | undefined;
  /** The answer is a `text/event-stream`. */
  readonly stream?: boolean | undefined;
  /** Dotted response paths of fields that arrive JSON-encoded and are returned decoded. */
  readonly decode?: readonly string[] | undefined;
  /** Inputs that are credentials: `path.x`, `query.x`, `body.x` or `bearer`. */
  readonly secrets?: readonly string[] | undefined;
  /** Non-2xx statuses whose body is the answer. */
  readonly results?: readonly number[] | undefined;
  /** Default retries for this operation when the caller sets none. */
  readonly retries?: number | undefined;
  /** SDK field name -> wire name. */
  readonly rename?: Readonly<Record<string, string>> | undefined;
  readonly paginate?: { readonly style: 'single' | 'page' | 'scim' | 'cursor'; readonly items?: string | undefined; readonly cursor?: string | undefined } | undefined;
  /**
   * Commerce operations: the kinds of caller that may call it (`operator`, `admin`, `merchant`,
   * `agent`, or `anyone` for public ones); a call made with another kind is refused before sending.
   */
  readonly callers?: readonly string[] | undefined;
  /** `required`: the operation needs an `Idempotency-Key`; one is generated when the caller gives none. */
  readonly idempotency?: 'required' | undefined;
  /** Body paths (`body.a.b`, arrays walked) of amounts in minor units, checked to be integers before sending. */
  readonly amounts?: readonly string[] | undefined;
  /** A hand-written step in src/internal/bespoke.ts. */
  readonly bespoke?: string | undefined;
}
