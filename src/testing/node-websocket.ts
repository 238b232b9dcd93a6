// The server side of a WebSocket (RFC 6455) over a Node socket, for `listen()`: the handshake, text
// and control frames out, masked frames in. Only what the live feed needs: no extensions, no
// subprotocols, text messages up to 64 KiB from the client. Loaded only by node-listen.ts.
import type { SocketSession, SocketSink } from './event-socket.js';

/** The little of `net.Socket` used here, typed locally: src/ compiles without Node's types. */
export interface NodeSocket {
  write(data: Uint8Array | string): boolean;
  end(): void;
  destroy(): void;
  setNoDelay?(noDelay: boolean): void;
  on(event: 'data', listener: (chunk: Uint8Array) => void): void;
  on(event: 'close' | 'end', listener: () => void): void;
  on(event: 'error', listener: (error: unknown) => void): void;
}

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const KEY_SHAPE = /^[A-Za-z0-9+/]{22}==$/;
const MAX_MESSAGE = 65_536;
const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** True when `headers` ask for a WebSocket with a well-formed key (version 13). */
export function isWebSocketRequest(headers: Headers): boolean {
  return (
    (headers.get('upgrade') ?? '').toLowerCase() === 'websocket' &&
    headers.get('sec-websocket-version') === '13' &&
    KEY_SHAPE.test(headers.get('sec-websocket-key') ?? '')
  );
}

async function acceptValue(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(key + HANDSHAKE_GUID)));
  return btoa(String.fromCharCode(...digest));
}

/** One unfragmented, unmasked frame, as a server sends it. */
function frame(opcode: number, payload: Uint8Array): Uint8Array {
  const length = payload.byteLength;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const out = new Uint8Array(headerLength + length);
  out[0] = 0x80 | opcode;
  if (length < 126) {
    out[1] = length;
  } else if (length < 65_536) {
    out[1] = 126;
    new DataView(out.buffer).setUint16(2, length);
  } else {
    out[1] = 127;
    new DataView(out.buffer).setBigUint64(2, BigInt(length));
  }
  out.set(payload, headerLength);
  return out;
}

/** A close frame's body; code 1005 ("no status") is sent as an empty body, as RFC 6455 reserves it. */
function closePayload(code: number, reason: string): Uint8Array {
  if (code === 1005) return new Uint8Array(0);
  const text = new TextEncoder().encode(reason);
  const payload = new Uint8Array(2 + text.byteLength);
  new DataView(payload.buffer).setUint16(0, code);
  payload.set(text, 2);
  return payload;
}

/** Reads client frames from a byte stream and reports complete messages and control frames. */
class FrameReader {
  private buffer = new Uint8Array(0);
  private fragments: Uint8Array[] = [];
  private fragmentBytes = 0;
  /** Inside a fragmented message (a frame without FIN came last). */
  private inMessage = false;
  private binary = false;

  constructor(
    private readonly on: {
      text(text: string): void;
      close(code: number): void;
      ping(payload: Uint8Array): void;
      /** A protocol violation: close with this code. */
      fail(code: number): void;
    },
  ) {}

  push(chunk: Uint8Array): void {
    const joined = new Uint8Array(this.buffer.byteLength + chunk.byteLength);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.byteLength);
    this.buffer = joined;
    while (this.readFrame()) {
      // Each call consumes one complete frame.
    }
  }

  /** Consumes one frame if the buffer holds a whole one; false when more bytes are needed or the connection failed. */
  private readFrame(): boolean {
    const bytes = this.buffer;
    if (bytes.byteLength < 2) return false;
    const fin = (bytes[0]! & 0x80) !== 0;
    const opcode = bytes[0]! & 0x0f;
    const masked = (bytes[1]! & 0x80) !== 0;
    let length = bytes[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (bytes.byteLength < 4) return false;
      length = new DataView(bytes.buffer, bytes.byteOffset).getUint16(2);
      offset = 4;
    } else if (length === 127) {
      if (bytes.byteLength < 10) return false;
      const big = new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(2);
      if (big > BigInt(MAX_MESSAGE)) return this.fail(1009);
      length = Number(big);
      offset = 10;
    }
    // Clients must mask every frame (RFC 6455, 5.1).
    if (!masked) return this.fail(1002);
    if (length > MAX_MESSAGE) return this.fail(1009);
    if (bytes.byteLength < offset + 4 + length) return false;
    const mask = bytes.subarray(offset, offset + 4);
    const payload = bytes.slice(offset + 4, offset + 4 + length);
    for (let i = 0; i < payload.byteLength; i++) payload[i]! ^= mask[i % 4]!;
    this.buffer = bytes.slice(offset + 4 + length);
    return this.handle(fin, opcode, payload);
  }

  private handle(fin: boolean, opcode: number, payload: Uint8Array): boolean {
    switch (opcode) {
      case OPCODE.close:
        this.on.close(payload.byteLength >= 2 ? new DataView(payload.buffer).getUint16(0) : 1005);
        return false;
      case OPCODE.ping:
        this.on.ping(payload);
        return true;
      case OPCODE.pong:
        return true;
      case OPCODE.text:
      case OPCODE.binary:
      case OPCODE.continuation: {
        // A continuation belongs to a started message; a new message may not start inside one.
        if ((opcode === OPCODE.continuation) !== this.inMessage) return this.fail(1002);
        if (opcode !== OPCODE.continuation) this.binary = opcode === OPCODE.binary;
        this.inMessage = !fin;
        this.fragmentBytes += payload.byteLength;
        if (this.fragmentBytes > MAX_MESSAGE) return this.fail(1009);
        this.fragments.push(payload);
        if (!fin) return true;
        const message = new Uint8Array(this.fragmentBytes);
        let at = 0;
        for (const part of this.fragments) {
          message.set(part, at);
          at += part.byteLength;
        }
        this.fragments = [];
        this.fragmentBytes = 0;
        // Binary messages mean nothing to the feed; the real server ignores them too.
        if (!this.binary) this.on.text(new TextDecoder().decode(message));
        return true;
      }
      default:
        return this.fail(1002);
    }
  }

  private fail(code: number): false {
    this.buffer = new Uint8Array(0);
    this.on.fail(code);
    return false;
  }
}

/**
 * Answers the handshake on `socket` (the upgrade request's `key` and any bytes that came after
 * its head), then runs the socket: messages go to the session that `open` returns.
 */
export async function acceptWebSocket(key: string, socket: NodeSocket, head: Uint8Array, open: (sink: SocketSink) => SocketSession): Promise<void> {
  const accept = await acceptValue(key);
  socket.setNoDelay?.(true);
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  let closing = false;
  let finished = false;
  let session: SocketSession | undefined;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    session?.onClose();
  };
  const sink: SocketSink = {
    sendText: (text) => {
      if (!closing) socket.write(frame(OPCODE.text, new TextEncoder().encode(text)));
    },
    ping: () => {
      if (!closing) socket.write(frame(OPCODE.ping, new Uint8Array(0)));
    },
    close: (code, reason) => {
      if (closing) return;
      closing = true;
      socket.write(frame(OPCODE.close, closePayload(code, reason)));
      // The client answers with its own close frame; the TCP connection ends after it.
      socket.end();
      finish();
    },
  };
  const reader = new FrameReader({
    text: (text) => session?.onText(text),
    ping: (payload) => {
      if (!closing) socket.write(frame(OPCODE.pong, payload));
    },
    close: (code) => {
      // Echo the client's code (none when it sent none), then end.
      sink.close(code, '');
    },
    fail: (code) => sink.close(code, ''),
  });
  socket.on('data', (chunk) => reader.push(chunk));
  socket.on('error', () => socket.destroy());
  socket.on('close', finish);
  session = open(sink);
  if (head.byteLength > 0) reader.push(head);
}
