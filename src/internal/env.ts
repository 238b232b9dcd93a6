/**
 * Reads an environment variable where the runtime has one, and returns `undefined` everywhere else.
 * Browsers and workers have no environment; Deno throws without `--allow-env`, so every access is
 * guarded and a failure reads as "not set".
 */
export function readEnv(name: string): string | undefined {
  return lookupEnv(name).value;
}

/**
 * Like {@link readEnv}, and also says whether the runtime refused to tell (Deno without
 * `--allow-env`), so that an error can say how to grant access instead of claiming the variable
 * is unset.
 */
export function lookupEnv(name: string): { value: string | undefined; denied: boolean } {
  const g = globalThis as { Deno?: { env?: { get(key: string): string | undefined } } };
  if (g.Deno?.env) {
    try {
      const value = g.Deno.env.get(name);
      return { value: typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined, denied: false };
    } catch {
      return { value: undefined, denied: true };
    }
  }
  return { value: readProcessEnv(name), denied: false };
}

function readProcessEnv(name: string): string | undefined {
  const g = globalThis as {
    process?: { env?: Record<string, string | undefined> };
    Deno?: { env?: { get(key: string): string | undefined } };
  };
  try {
    const fromProcess = g.process?.env?.[name];
    if (typeof fromProcess === 'string' && fromProcess.trim() !== '') return fromProcess.trim();
  } catch {
    // An environment that forbids access is an environment without the variable.
  }
  return undefined;
}

/**
 * True in a browser page. Browsers reject custom request headers that the server's CORS policy
 * does not list, so the client identifies itself only outside browsers.
 */
export function isBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window !== 'undefined' && typeof g.document !== 'undefined';
}
