/**
 * COPY text in, COPY text out: rows are split, checked, optionally rewritten field by field,
 * and written out in large chunks. Bytes nobody touched go out as they came in.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { ChunkWriter, DEFAULT_CHUNK_SIZE } from './chunk-writer.js';
import type { LazyRow } from './lazy-row.js';
import { RowSplitter } from './row-splitter.js';

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

/** The stream `createRowRewriter` returns. */
export class RowRewriter extends Transform {
  private readonly splitter: RowSplitter;
  private readonly writer: ChunkWriter;
  private readonly rewrite: ((row: LazyRow) => void) | undefined;
  private readonly onRow: (row: LazyRow) => void;
  /** The input chunk being split. */
  private chunk: Buffer | undefined;
  /** Bytes `chunk[pendingStart, pendingEnd)` are taken but not yet written; -1 when none. */
  private pendingStart = -1;
  private pendingEnd = -1;

  constructor(options: RowRewriterOptions) {
    super();
    this.splitter = new RowSplitter({ table: options.table, columns: options.columns });
    this.writer = new ChunkWriter((chunk) => this.push(chunk), options.chunkSize ?? DEFAULT_CHUNK_SIZE);
    this.rewrite = options.rewrite;
    this.onRow = (row) => this.handleRow(row);
  }

  /** Rows passed through so far. */
  get rows(): number {
    return this.splitter.rows;
  }

  /** Bytes taken in so far. */
  get bytesIn(): number {
    return this.splitter.bytes;
  }

  private handleRow(row: LazyRow): void {
    if (this.rewrite !== undefined) this.rewrite(row);
    if (row.buffer !== this.chunk) {
      // A row carried over from earlier chunks: write it at once.
      row.writeTo(this.writer);
      return;
    }
    // Rows of the current chunk are contiguous: leave untouched bytes pending and copy them in
    // one go, up to the next replaced field or the end of the chunk.
    if (this.pendingStart < 0) this.pendingStart = row.start;
    if (row.modified) this.pendingStart = row.writeChangesTo(this.writer, this.pendingStart);
    this.pendingEnd = row.end;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.chunk = chunk;
    this.pendingStart = -1;
    try {
      this.splitter.push(chunk, this.onRow);
      if (this.pendingStart >= 0) this.writer.copy(chunk, this.pendingStart, this.pendingEnd);
    } catch (error) {
      callback(error as Error);
      return;
    } finally {
      this.chunk = undefined;
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.splitter.end();
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
  return new RowRewriter(options);
}
