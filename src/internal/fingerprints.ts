/**
 * Bounded memory of what a walk has seen: short fingerprints of texts of any size, kept in a set
 * that forgets its oldest entry when full. Pagination uses it to notice a server repeating itself
 * without keeping the cursors or pages themselves.
 */

/** A set of at most `limit` fingerprints; when full, the oldest is forgotten first. */
export class Fingerprints {
  readonly #seen = new Set<string>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Adds `key`; false when it was already there. */
  add(key: string): boolean {
    if (this.#seen.has(key)) return false;
    if (this.#seen.size >= this.#limit) this.#seen.delete(this.#seen.values().next().value as string);
    this.#seen.add(key);
    return true;
  }
}

/**
 * A short fingerprint of a text: its length and two independent 32-bit hashes (FNV-1a and a
 * multiply-xorshift), about 30 bytes whatever the text's size. Not cryptographic, and it need not
 * be: a collision can only end a walk early, which a hostile server can do anyway by sending no
 * further cursor. Synchronous and dependency-free, so it runs where WebCrypto's digest does not
 * (pages served over plain HTTP).
 */
export function fingerprint(text: string): string {
  let fnv = 0x811c9dc5;
  let mix = 0x9e3779b9 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    fnv = Math.imul(fnv ^ code, 0x01000193);
    mix = Math.imul(mix ^ code, 0x5bd1e995);
    mix ^= mix >>> 15;
  }
  return `${text.length.toString(36)}.${(fnv >>> 0).toString(36)}.${(mix >>> 0).toString(36)}`;
}
