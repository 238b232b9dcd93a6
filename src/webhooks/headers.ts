/** Request headers: a `Headers` instance, or a plain object such as Node's `IncomingHttpHeaders`. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Reads a header by its lower-case name, whatever the case of the object's keys. A header sent
 * twice is joined with ", " (as `Headers.get` does), which then fails the format checks.
 */
export function readHeader(headers: WebhookHeaders, name: string): string | undefined {
  let value: unknown;
  if (typeof (headers as Headers).get === 'function') {
    value = (headers as Headers).get(name);
  } else {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === name) value = (headers as Record<string, unknown>)[key];
  }
  if (Array.isArray(value)) value = value.join(', ');
  return typeof value === 'string' ? value : undefined;
}
