/**
 * What a header name or value may not contain: a line break or NUL would end the header early
 * and let the rest be read as another header (header injection). Checked on every value the SDK
 * puts into a header: configured headers, per-call headers, tokens, idempotency keys.
 */
export const HEADER_BREAK = /[\r\n\0]/;
