// The part of CBOR (RFC 8949) that WebAuthn uses: unsigned and negative integers, byte and text
// strings, arrays, maps and the simple values false, true and null. Enough to read and write
// attestation objects and COSE keys; floats, tags and indefinite lengths are refused.

/** A CBOR value as read or written here. Maps keep their keys (numbers or strings) in a `Map`. */
export type CborValue = number | string | boolean | null | Uint8Array | CborValue[] | Map<number | string, CborValue>;

function head(major: number, length: number): number[] {
  const m = major << 5;
  if (length < 24) return [m | length];
  if (length < 0x100) return [m | 24, length];
  if (length < 0x10000) return [m | 25, length >> 8, length & 0xff];
  return [m | 26, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff];
}

/** Encodes a value (integers must be safe integers within 32 bits). */
export function encodeCbor(value: CborValue): Uint8Array<ArrayBuffer> {
  const out: number[] = [];
  const write = (v: CborValue): void => {
    if (v === false) out.push(0xf4);
    else if (v === true) out.push(0xf5);
    else if (v === null) out.push(0xf6);
    else if (typeof v === 'number') out.push(...(v >= 0 ? head(0, v) : head(1, -1 - v)));
    else if (typeof v === 'string') {
      const bytes = new TextEncoder().encode(v);
      out.push(...head(3, bytes.length), ...bytes);
    } else if (v instanceof Uint8Array) out.push(...head(2, v.length), ...v);
    else if (Array.isArray(v)) {
      out.push(...head(4, v.length));
      v.forEach(write);
    } else {
      out.push(...head(5, v.size));
      for (const [key, item] of v) {
        write(key);
        write(item);
      }
    }
  };
  write(value);
  return new Uint8Array(out);
}

/** Decodes one value from the start of `bytes`; returns it with the number of bytes it took. Throws on anything else. */
export function decodeCbor(bytes: Uint8Array): { value: CborValue; length: number } {
  let at = 0;
  const byte = () => {
    if (at >= bytes.length) throw new Error('CBOR: unexpected end');
    return bytes[at++]!;
  };
  const argument = (info: number): number => {
    if (info < 24) return info;
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : 0;
    if (size === 0) throw new Error('CBOR: unsupported length');
    let n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + byte();
    return n;
  };
  const read = (depth: number): CborValue => {
    if (depth > 16) throw new Error('CBOR: too deep');
    const initial = byte();
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (major === 7) {
      if (info === 20) return false;
      if (info === 21) return true;
      if (info === 22) return null;
      throw new Error('CBOR: unsupported simple value');
    }
    const n = argument(info);
    switch (major) {
      case 0:
        return n;
      case 1:
        return -1 - n;
      case 2:
      case 3: {
        if (at + n > bytes.length) throw new Error('CBOR: unexpected end');
        const slice = bytes.slice(at, at + n);
        at += n;
        return major === 2 ? slice : new TextDecoder().decode(slice);
      }
      case 4:
        return Array.from({ length: n }, () => read(depth + 1));
      case 5: {
        const map = new Map<number | string, CborValue>();
        for (let i = 0; i < n; i++) {
          const key = read(depth + 1);
          if (typeof key !== 'number' && typeof key !== 'string') throw new Error('CBOR: unsupported map key');
          map.set(key, read(depth + 1));
        }
        return map;
      }
      default:
        throw new Error('CBOR: unsupported type');
    }
  };
  const value = read(0);
  return { value, length: at };
}
