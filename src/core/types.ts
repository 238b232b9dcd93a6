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
