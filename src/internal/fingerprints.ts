/**
 * Short fingerprints of texts of any size. Pagination keeps them, a bounded number per walk, to
 * notice a server repeating itself without keeping the cursors or pages themselves.
 */

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
