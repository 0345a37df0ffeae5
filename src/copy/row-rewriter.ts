/**
 * COPY data in, COPY data out (text, or binary): rows are split, checked, optionally rewritten
 * field by field, and written out in large chunks. Bytes nobody touched go out as they came in.
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { BinaryRow, FieldForm } from './binary-row.js';
import { BINARY_HEADER, BINARY_TRAILER, BinaryRowSplitter } from './binary-row-splitter.js';
import { ChunkWriter, DEFAULT_CHUNK_SIZE } from './chunk-writer.js';
import type { CopyRow } from './copy-row.js';
import type { LazyRow } from './lazy-row.js';
import { RowRuns } from './row-runs.js';
import { RowSplitter } from './row-splitter.js';

/** What a rewriter needs of a splitter. */
interface Splitter<R> {
  readonly rows: number;
  readonly bytes: number;
  push(chunk: Buffer, onRow: (row: R) => void): unknown;
  end(): void;
}

/** Options of `createRowRewriter`. */
export interface RowRewriterOptions {
  /** `schema.table`, named in errors. */
  readonly table?: string | undefined;
  /** Number of fields every row must have. */
  readonly columns: number;
  /**
   * Called once per row; may `set()` fields. The row object is reused: do not keep it.
   * An error it throws ends the stream with that error.
   */
  readonly rewrite?: ((row: LazyRow) => void) | undefined;
  /** Size of the output chunks; 64 KiB by default. */
  readonly chunkSize?: number | undefined;
}

/** Options of `createBinaryRowRewriter`. */
export interface BinaryRowRewriterOptions {
  /** `schema.table`, named in errors. */
  readonly table?: string | undefined;
  /** Each column's binary form, in COPY order; `opaque` fields cannot be read or set. */
  readonly forms: readonly (FieldForm | undefined)[];
  /** Column names in COPY order, named in errors. */
  readonly columns?: readonly string[] | undefined;
  /** Called once per row, as for `createRowRewriter`. */
  readonly rewrite?: ((row: BinaryRow) => void) | undefined;
  /** Size of the output chunks; 64 KiB by default. */
  readonly chunkSize?: number | undefined;
}

/** The stream `createRowRewriter` and `createBinaryRowRewriter` return. */
export class RowRewriter<R extends CopyRow = LazyRow> extends Transform {
  private readonly splitter: Splitter<R>;
  private readonly writer: ChunkWriter;
  private readonly rewrite: ((row: R) => void) | undefined;
  private readonly onRow: (row: R) => void;
  /** Written after the last row (binary COPY's trailer). */
  private readonly trailer: Buffer | undefined;
  private readonly runs: RowRuns;

  constructor(splitter: Splitter<R>, rewrite: ((row: R) => void) | undefined, chunkSize: number | undefined, frame?: { header: Buffer; trailer: Buffer }) {
    super();
    this.splitter = splitter;
    this.writer = new ChunkWriter((chunk) => this.push(chunk), chunkSize ?? DEFAULT_CHUNK_SIZE);
    this.runs = new RowRuns(this.writer);
    this.rewrite = rewrite;
    this.onRow = (row) => this.handleRow(row);
    this.trailer = frame?.trailer;
    if (frame) this.writer.copy(frame.header, 0, frame.header.length);
  }

  /** Rows passed through so far. */
  get rows(): number {
    return this.splitter.rows;
  }

  /** Bytes taken in so far. */
  get bytesIn(): number {
    return this.splitter.bytes;
  }

  private handleRow(row: R): void {
    if (this.rewrite !== undefined) this.rewrite(row);
    this.runs.write(row);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.runs.begin(chunk);
    try {
      this.splitter.push(chunk, this.onRow);
      this.runs.finish();
    } catch (error) {
      this.runs.abandon();
      callback(error as Error);
      return;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.splitter.end();
      if (this.trailer) this.writer.copy(this.trailer, 0, this.trailer.length);
      this.writer.flush();
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }
}

/**
 * A Transform stream over COPY text data: splits rows, checks that each has `columns` fields,
 * calls `rewrite(row)` for each, and writes the rows out (fields nobody `set()` as their
 * original bytes) in chunks of about 64 KiB. With no `rewrite` the bytes come out unchanged.
 * Malformed data ends the stream with a `CopyFormatError` naming table, line and byte offset.
 *
 * @example
 * ```ts
 * const rewriter = createRowRewriter({
 *   table: 'public.users',
 *   columns: 3,
 *   rewrite: (row) => { if (!row.isNull(1)) row.set(1, 'someone@example.com'); },
 * });
 * await pipeline(session.copyOut('COPY public.users TO STDOUT'), rewriter, target.copyIn('COPY public.users FROM STDIN'));
 * console.log(rewriter.rows);
 * ```
 */
export function createRowRewriter(options: RowRewriterOptions): RowRewriter {
  return new RowRewriter(new RowSplitter({ table: options.table, columns: options.columns }), options.rewrite, options.chunkSize);
}

/**
 * `createRowRewriter` for COPY's binary format (`COPY ... (FORMAT binary)`): the rows come out
 * under a header of their own (no extension) and the trailer. Fields whose binary form is
 * `text` or `jsonb` can be read and replaced; the others pass through as they came.
 *
 * @example
 * ```ts
 * const rewriter = createBinaryRowRewriter({ forms: ['opaque', 'text'], rewrite: (row) => row.set(1, 'someone@example.com') });
 * await pipeline(session.copyOut('COPY public.users (id, email) TO STDOUT (FORMAT binary)'), rewriter, target.copyIn('COPY public.users (id, email) FROM STDIN (FORMAT binary)'));
 * ```
 */
export function createBinaryRowRewriter(options: BinaryRowRewriterOptions): RowRewriter<BinaryRow> {
  return new RowRewriter(new BinaryRowSplitter({ table: options.table, forms: options.forms, columns: options.columns }), options.rewrite, options.chunkSize, {
    header: BINARY_HEADER,
    trailer: BINARY_TRAILER,
  });
}
