// Values from a token or a caller that go into an error message. Claims are not secrets (the token
// is), but they are attacker-chosen text: quote them, escape anything that could forge a log line,
// and cut them short.

const MAX = 80;

/** `"value"` with control and non-ASCII characters escaped, at most 80 characters; a kind word for non-strings. */
export function quote(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > MAX;
    const json = JSON.stringify(cut ? value.slice(0, MAX) : value);
    return json.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + (cut ? '...' : '');
  }
  if (value === undefined) return 'none';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  const kind = typeof value;
  return `${kind === 'object' ? 'an' : 'a'} ${kind}`;
}

/** An instant given in seconds since the epoch, as ISO 8601 when it is one. */
export function instant(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isFinite(date.getTime()) ? date.toISOString() : `${seconds} s`;
}
