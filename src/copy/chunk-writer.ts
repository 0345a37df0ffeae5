/**
 * Output side of the codec: gathers bytes and escaped fields into large chunks, so that a
 * stream pushes one buffer per 64 KiB rather than one per row.
 */
import { escapeField, needsEscape } from './escape.js';

/** Node's direct UTF-8 writer, which skips `Buffer#write`'s argument parsing. */
interface FastBuffer extends Buffer {
  utf8Write(value: string, offset: number, length?: number): number;
}

/** Strings up to this many characters are encoded by a loop; longer ones natively (and then escaped in place). */
const SHORT_FIELD = 40;
const BACKSLASH = 0x5c;
/** The letter after the backslash for each character COPY text escapes (as `escapeField`). */
const ESCAPE_LETTER = new Uint8Array(0x100);
for (const [c, letter] of [
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [BACKSLASH, '\\'],
] as const)
  ESCAPE_LETTER[c] = letter.charCodeAt(0);

/** No ASCII character escaped: COPY's binary format writes text as it is. */
const NO_ESCAPES = new Uint8Array(0x80);

/** The chunk size the codec's streams use by default. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

/**
 * Collects output bytes into chunks of `chunkSize` and hands each full chunk to `onChunk`.
 * A copied range at least half a chunk long is handed on as it is (a subarray, no copy): the
 * source buffer must not be modified afterwards, as with any buffer written to a stream.
 *
 * @example
 * ```ts
 * const chunks: Buffer[] = [];
 * const writer = new ChunkWriter((chunk) => chunks.push(chunk));
 * writer.writeField('a\tb');
 * writer.flush(); // chunks: [Buffer 'a\\tb']
 * ```
 */
export class ChunkWriter {
  private readonly onChunk: (chunk: Buffer) => void;
  private readonly chunkSize: number;
  private buf: Buffer;
  private pos = 0;
  /** Bytes handed on so far. */
  private handed = 0;

  constructor(onChunk: (chunk: Buffer) => void, chunkSize: number = DEFAULT_CHUNK_SIZE) {
    this.onChunk = onChunk;
    this.chunkSize = chunkSize;
    this.buf = Buffer.allocUnsafe(chunkSize);
  }

  /** Appends bytes `[start, end)` of `source`. */
  copy(source: Buffer, start: number, end: number): void {
    const length = end - start;
    if (length <= 0) return;
    if (length <= this.buf.length - this.pos) {
      if (length <= 32) {
        // Short runs between replaced fields: a loop beats Buffer#copy's argument checks.
        const buf = this.buf;
        let p = this.pos;
        for (let i = start; i < end; i++) buf[p++] = source[i]!;
        this.pos = p;
        return;
      }
      source.copy(this.buf, this.pos, start, end);
      this.pos += length;
    } else if (length >= this.chunkSize >>> 1) {
      this.flush();
      this.handed += length;
      this.onChunk(source.subarray(start, end));
    } else {
      this.flush();
      source.copy(this.buf, 0, start, end);
      this.pos = length;
    }
  }

  /** Appends a string as UTF-8 bytes, unescaped. */
  writeRaw(text: string): void {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
    if (text.length * 3 > this.buf.length - this.pos) {
      this.flush();
      if (text.length * 3 > this.buf.length) {
        const bytes = Buffer.from(text, 'utf8');
        this.handed += bytes.length;
        this.onChunk(bytes);
        return;
      }
    }
    this.pos += (this.buf as FastBuffer).utf8Write(text, this.pos);
  }

  /** Appends one value escaped as a COPY text field (NULL as `\N`), without a delimiter. */
  writeField(value: string | null): void {
    if (value === null) {
      this.writeRaw('\\N');
      return;
    }
    if (value.length * 3 > this.buf.length - this.pos) {
      this.flush();
      if (value.length * 3 > this.buf.length) {
        this.writeRaw(escapeField(value));
        return;
      }
    }
    if (value.length <= SHORT_FIELD) {
      // Short strings: encoded and escaped by a loop in one pass.
      const end = this.encodeShort(value, this.pos, ESCAPE_LETTER);
      if (end >= 0) {
        this.pos = end;
        return;
      }
    }
    // Longer strings (or a surrogate): encoded natively; a native scan tells whether they need escapes at all.
    const length = (this.buf as FastBuffer).utf8Write(value, this.pos);
    this.pos = needsEscape(value) ? this.escapeInPlace(this.pos, length) : this.pos + length;
  }

  /**
   * Escapes the `length` UTF-8 bytes just written at `start`, moving them up as needed; returns
   * the end of the escaped field. A byte COPY text escapes is ASCII, and no byte of a multi-byte
   * UTF-8 sequence is, so the bytes can be escaped one by one. The caller leaves room: a
   * string's UTF-8 with escapes never takes more than 3 bytes per UTF-16 unit.
   */
  private escapeInPlace(start: number, length: number): number {
    const buf = this.buf;
    const end = start + length;
    let escapes = 0;
    for (let i = start; i < end; i++) if (ESCAPE_LETTER[buf[i]!]! !== 0) escapes++;
    if (escapes === 0) return end;
    let to = end + escapes;
    // biome-ignore lint/correctness/useValidForDirection: walks down until `to` meets `from`, the last byte to move
    for (let from = end - 1; from < to - 1; from--) {
      const c = buf[from]!;
      const letter = ESCAPE_LETTER[c]!;
      if (letter === 0) {
        buf[--to] = c;
      } else {
        buf[--to] = letter;
        buf[--to] = BACKSLASH;
      }
    }
    return end + escapes;
  }

  /**
   * Appends one value as a field of COPY's binary format: its length (-1 for NULL), then
   * `version` as a byte when it is not -1 (jsonb's), then the value as UTF-8.
   */
  writeBinaryField(value: string | null, version = -1): void {
    if (value === null) {
      this.writeInt32(-1);
      return;
    }
    const extra = version === -1 ? 0 : 1;
    if (4 + extra + value.length * 3 > this.buf.length - this.pos) {
      this.flush();
      if (4 + extra + value.length * 3 > this.buf.length) {
        const bytes = Buffer.from(value, 'utf8');
        this.writeInt32(bytes.length + extra);
        if (extra) this.writeByte(version);
        this.copy(bytes, 0, bytes.length);
        return;
      }
    }
    const buf = this.buf;
    const at = this.pos;
    let p = at + 4;
    if (extra) buf[p++] = version;
    const short = value.length <= SHORT_FIELD ? this.encodeShort(value, p, NO_ESCAPES) : -1;
    p = short >= 0 ? short : p + (buf as FastBuffer).utf8Write(value, p);
    this.setInt32(at, p - at - 4);
    this.pos = p;
  }

  /**
   * Writes a string as UTF-8 at `p` with a loop, which for short strings beats the native
   * encoder's call overhead: an ASCII character `escapes` has a letter for goes out as a
   * backslash and that letter. Returns the position after it, or -1 (having written nothing
   * that counts) when the string holds a surrogate. The caller makes sure it fits.
   */
  private encodeShort(value: string, p: number, escapes: Uint8Array): number {
    const buf = this.buf;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c < 0x80) {
        const letter = escapes[c]!;
        if (letter !== 0) {
          buf[p++] = BACKSLASH;
          buf[p++] = letter;
        } else {
          buf[p++] = c;
        }
      } else if (c < 0x800) {
        buf[p++] = 0xc0 | (c >> 6);
        buf[p++] = 0x80 | (c & 0x3f);
      } else if (c < 0xd800 || c > 0xdfff) {
        buf[p++] = 0xe0 | (c >> 12);
        buf[p++] = 0x80 | ((c >> 6) & 0x3f);
        buf[p++] = 0x80 | (c & 0x3f);
      } else {
        return -1;
      }
    }
    return p;
  }

  /** Writes a 32-bit big-endian integer at `at`; the caller makes sure it fits. */
  private setInt32(at: number, value: number): void {
    const buf = this.buf;
    buf[at] = value >>> 24;
    buf[at + 1] = (value >>> 16) & 0xff;
    buf[at + 2] = (value >>> 8) & 0xff;
    buf[at + 3] = value & 0xff;
  }

  /** Appends a 32-bit big-endian integer (a length in COPY's binary format). */
  writeInt32(value: number): void {
    if (this.buf.length - this.pos < 4) this.flush();
    this.setInt32(this.pos, value);
    this.pos += 4;
  }

  /** Appends one byte (a delimiter or a newline). */
  writeByte(byte: number): void {
    if (this.pos === this.buf.length) this.flush();
    this.buf[this.pos++] = byte;
  }

  /** Bytes waiting in the current chunk. */
  get pending(): number {
    return this.pos;
  }

  /** Bytes written so far: handed on or waiting. */
  get written(): number {
    return this.handed + this.pos;
  }

  /** Hands on what the current chunk holds, if anything, and starts a new one. */
  flush(): void {
    if (this.pos === 0) return;
    let chunk: Buffer;
    if (this.pos < this.chunkSize >>> 2) {
      // A small remainder: hand on a copy and keep the large buffer for what follows.
      chunk = Buffer.allocUnsafe(this.pos);
      this.buf.copy(chunk, 0, 0, this.pos);
    } else {
      chunk = this.buf.subarray(0, this.pos);
      this.buf = Buffer.allocUnsafe(this.chunkSize);
    }
    this.handed += this.pos;
    this.pos = 0;
    this.onChunk(chunk);
  }
}
