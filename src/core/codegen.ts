/**
 * The handle the hand-written core exposes to generated code: everything generated/ imports from
 * src/ comes through this one module, and nothing else in generated/ names a file of src/. The
 * core can move its internals (the transport, option checks) without touching the generator, and
 * the generator's imports are one fixed list (scripts/codegen/emit-sdk.mjs, `HANDLE_TYPES`).
 *
 * Not part of the public API: `src/index.ts` does not re-export it.
 */
export type { ApiPromise } from './api-promise.js';
export type { ListPage, PagePromise } from './pagination.js';
export type { DeepReadonly, JsonDecoded, Renamed } from './types.js';
export type { AuthorizeParams, PublicClientOptions, RequestOptions } from './options.js';
export type { EventStream, EventStreamOptions } from '../events/types.js';
export type { VerifiedGrant } from '../jwt/types.js';
/** The row type of the generated operation table. */
export type { OperationSpec } from '../internal/operation.js';
/** Reads the compact operation table the generator writes into `OperationSpec` rows. */
export { decodeOperations } from '../internal/operation-table.js';
/** What each namespace class holds and hands its operation rows to. */
export type { Transport } from '../internal/transport.js';
/** The transport of a static method (`Grantex.signup`), built from the options of that one call. */
export { publicTransport } from '../internal/config.js';
