/**
 * Cuts COPY's binary format into rows without decoding it: a header (signature, flags,
 * extension), then per row a 16-bit field count and per field a 32-bit length (-1: NULL) and
 * that many bytes, then a trailer (field count -1). Chunks may be cut anywhere.
 */
import { CopyFormatError } from '../errors.js';
import { BinaryRow, type FieldForm } from './binary-row.js';

/** `PGCOPY\n\377\r\n\0`, then the flags and the header extension's length (both 0 as written here). */
export const BINARY_HEADER = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** The field count -1 that ends the data. */
export const BINARY_TRAILER = Buffer.from([0xff, 0xff]);
const SIGNATURE_LENGTH = 11;
/** Flag bit 16: each row starts with its OID (WITH OIDS, before PostgreSQL 12). */
const OIDS_FLAG = 1 << 16;
/** Offsets are kept in Int32Arrays: a row must fit in one below 2 GiB. */
const MAX_ROW_BYTES = 0x7fffffff;

/** Options of a binary row splitter. */
export interface BinaryRowSplitterOptions {
  /** `schema.table`, named in errors. */
  readonly table?: string | undefined;
  /** Each column's binary form, in COPY order: every row must have this many fields. */
  readonly forms: readonly (FieldForm | undefined)[];
  /** Column names in COPY order, named in errors. */
  readonly columns?: readonly string[] | undefined;
}

/**
 * The binary row splitter without streams: feed it chunks, it calls back once per whole row.
 * Like the text splitter, it copies only what a chunk boundary cuts (the header, a row), into a
 * buffer of its own; a delivered row's bytes are never overwritten afterwards.
 *
 * @example
 * ```ts
 * const splitter = new BinaryRowSplitter({ table: 'public.users', forms: ['opaque', 'text'] });
 * for await (const chunk of source) splitter.push(chunk, (row) => console.log(row.get(1)));
 * splitter.end();
 * ```
 */
export class BinaryRowSplitter {
  readonly table: string | undefined;
  readonly columns: number;
  private readonly row: BinaryRow;
  /** Bytes cut off at the end of a chunk (the header, or the start of a row): `carry[0, carryLength)`. */
  private carry: Buffer | undefined;
  private carryLength = 0;
  /** Stream offset of the current chunk's first byte. */
  private chunkOffset = 0;
  private nextLine = 1;
  private headerDone = false;
  private trailerSeen = false;

  constructor(options: BinaryRowSplitterOptions) {
    this.table = options.table;
    this.columns = options.forms.length;
    this.row = new BinaryRow(options.forms, options.table, options.columns);
  }

  /** Rows delivered so far. */
  get rows(): number {
    return this.nextLine - 1;
  }

  /** Bytes taken in so far. */
  get bytes(): number {
    return this.chunkOffset;
  }

  /** Takes the next chunk and calls `onRow` for each row it completes. Throws `CopyFormatError` on malformed data. */
  push(chunk: Buffer, onRow: (row: BinaryRow) => void): void {
    let pos = 0;
    // Complete what the last chunk cut off, a piece at a time: as many bytes as the next step needs.
    while (this.carryLength > 0 && pos < chunk.length) {
      const carryOffset = this.chunkOffset + pos - this.carryLength;
      const needed = this.measure(this.carry!, 0, this.carryLength, carryOffset);
      if (needed > 0) {
        const take = Math.min(needed - this.carryLength, chunk.length - pos);
        this.append(chunk, pos, take, carryOffset);
        pos += take;
        continue;
      }
      const carry = this.carry!;
      const carryLength = this.carryLength;
      this.carry = undefined; // delivered rows are never overwritten: what is left goes into a new buffer
      this.carryLength = 0;
      const rest = this.scan(carry, 0, carryLength, carryOffset, onRow);
      if (rest < carryLength) this.append(carry, rest, carryLength - rest, carryOffset + rest);
    }
    if (this.carryLength === 0 && pos < chunk.length) {
      const rest = this.scan(chunk, pos, chunk.length, this.chunkOffset, onRow);
      if (rest < chunk.length) this.append(chunk, rest, chunk.length - rest, this.chunkOffset + rest);
    }
    this.chunkOffset += chunk.length;
  }

  /** Ends the data: throws `CopyFormatError` if it stopped before its trailer. */
  end(): void {
    if (!this.trailerSeen) throw new CopyFormatError('the binary data ends before its trailer: it looks truncated', this.position(this.chunkOffset - this.carryLength));
  }

  private position(offset: number): { table: string | undefined; line: number; offset: number } {
    return { table: this.table, line: this.nextLine, offset };
  }

  private append(source: Buffer, from: number, length: number, carryOffset: number): void {
    const needed = this.carryLength + length;
    if (needed > MAX_ROW_BYTES) throw new CopyFormatError('a row is 2 GiB or longer, which pgmask cannot hold', this.position(carryOffset));
    let carry = this.carry;
    if (carry === undefined || carry.length < needed) {
      const grown = Buffer.allocUnsafe(Math.min(MAX_ROW_BYTES, Math.max(needed, 256, carry === undefined ? 0 : carry.length * 2)));
      if (carry !== undefined) carry.copy(grown, 0, 0, this.carryLength);
      this.carry = carry = grown;
    }
    source.copy(carry, this.carryLength, from, from + length);
    this.carryLength = needed;
  }

  /**
   * Whether `buf[pos, end)` holds the next item (the header, a row or the trailer) whole: 0 when
   * it does, else how many bytes from `pos` must be there to learn more. `base` is the stream
   * offset of `buf[0]`.
   */
  private measure(buf: Buffer, pos: number, end: number, base: number): number {
    if (!this.headerDone) {
      if (end - pos >= SIGNATURE_LENGTH && buf.compare(BINARY_HEADER, 0, SIGNATURE_LENGTH, pos, pos + SIGNATURE_LENGTH) !== 0) {
        throw new CopyFormatError('the data does not start with the binary COPY signature', this.position(base + pos));
      }
      if (end - pos < SIGNATURE_LENGTH + 8) return SIGNATURE_LENGTH + 8;
      const extension = buf.readInt32BE(pos + SIGNATURE_LENGTH + 4);
      if (extension < 0) throw new CopyFormatError('the binary header has a negative extension length', this.position(base + pos + SIGNATURE_LENGTH + 4));
      const whole = SIGNATURE_LENGTH + 8 + extension;
      return end - pos < whole ? whole : 0;
    }
    if (end - pos < 2) return 2;
    const fields = buf.readInt16BE(pos);
    if (fields === -1) return 0;
    let p = pos + 2;
    for (let i = 0; i < fields && i < this.columns; i++) {
      if (end - p < 4) return p + 4 - pos;
      const length = buf.readInt32BE(p);
      p += 4 + Math.max(0, length);
      if (p - pos > MAX_ROW_BYTES) return MAX_ROW_BYTES + 1;
      if (p > end) return p - pos;
    }
    return 0;
  }

  /**
   * Delivers every whole item in `buf[pos, end)`; returns where the incomplete tail starts
   * (`end` when there is none). `base` is the stream offset of `buf[0]`.
   */
  private scan(buf: Buffer, pos: number, end: number, base: number, onRow: (row: BinaryRow) => void): number {
    if (!this.headerDone) {
      if (this.measure(buf, pos, end, base) !== 0) return pos;
      pos = this.header(buf, pos, base);
    }
    const row = this.row;
    const { starts, lengths } = row;
    const columns = this.columns;
    while (pos < end) {
      if (this.trailerSeen) throw new CopyFormatError('data after the binary trailer', this.position(base + pos));
      if (end - pos < 2) return pos;
      const fields = (buf[pos]! << 8) | buf[pos + 1]!;
      if (fields === 0xffff) {
        this.trailerSeen = true;
        pos += 2;
        continue;
      }
      if (fields !== columns) {
        throw new CopyFormatError(`a row has ${fields} of the ${columns} fields the table has`, this.position(base + pos));
      }
      let p = pos + 2;
      let i = 0;
      for (; i < columns; i++) {
        if (end - p < 4) break;
        const length = buf.readInt32BE(p);
        p += 4;
        if (length < -1) throw new CopyFormatError(`a field has the length ${length}`, this.position(base + p - 4));
        starts[i] = p;
        lengths[i] = length;
        if (length > 0) {
          p += length;
          if (p > end) break;
        }
      }
      if (i < columns) {
        if (p - pos > MAX_ROW_BYTES) throw new CopyFormatError('a row is 2 GiB or longer, which pgmask cannot hold', this.position(base + pos));
        return pos;
      }
      row.reset(buf, pos, p, this.nextLine, base + pos);
      this.nextLine++;
      onRow(row);
      pos = p;
    }
    return pos;
  }

  /** Checks the flags of the header at `pos` (whole in `buf`, its signature checked); returns where the rows start. */
  private header(buf: Buffer, pos: number, base: number): number {
    const flags = buf.readInt32BE(pos + SIGNATURE_LENGTH);
    if ((flags & OIDS_FLAG) !== 0) throw new CopyFormatError('the binary data has row OIDs, which pgmask does not read', this.position(base + pos + SIGNATURE_LENGTH));
    this.headerDone = true;
    return pos + SIGNATURE_LENGTH + 8 + buf.readInt32BE(pos + SIGNATURE_LENGTH + 4);
  }
}
