/**
 * Results are plain JSON data typed as deeply readonly: the SDK never hands out objects it expects
 * callers to mutate, and the compiler says so without the cost of freezing at run time.
 */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/**
 * `T` with the field at the dotted path `P` (arrays are walked) replaced by `V`: the type of a
 * response whose JSON-encoded field the SDK returns decoded.
 *
 * @example
 * ```ts
 * type Decoded = JsonDecoded<{ items: { metadata: string }[] }, 'items.metadata', Record<string, unknown>>;
 * ```
 */
export type JsonDecoded<T, P extends string, V> = T extends readonly (infer U)[]
  ? JsonDecoded<U, P, V>[]
  : T extends object
    ? P extends `${infer K}.${infer Rest}`
      ? { [Q in keyof T]: Q extends K ? JsonDecoded<T[Q], Rest, V> : T[Q] }
      : { [Q in keyof T]: Q extends P ? (undefined extends T[Q] ? V | undefined : null extends T[Q] ? V | null : V) : T[Q] }
    : T;

/**
 * `T` with wire field names replaced by the SDK's names (`Map` is SDK name -> wire name), for the
 * few parameters whose wire name is not camelCase.
 *
 * @example
 * ```ts
 * type Params = Renamed<{ redirect_uri?: string }, { redirectUri: 'redirect_uri' }>; // { redirectUri?: string }
 * ```
 */
export type Renamed<T, Map extends Record<string, string>> = Omit<T, Map[keyof Map]> & {
  [K in keyof Map as Map[K] extends keyof T ? (undefined extends T[Map[K]] ? never : K) : never]: T[Map[K] & keyof T];
} & {
  [K in keyof Map as Map[K] extends keyof T ? (undefined extends T[Map[K]] ? K : never) : never]?: T[Map[K] & keyof T];
};
