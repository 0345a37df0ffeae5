import { ChunkWriter } from '../../copy/chunk-writer.js';
import type { LazyRow } from '../../copy/lazy-row.js';
import { createRowRewriter, type RowRewriter } from '../../copy/row-rewriter.js';
import { RowSplitter } from '../../copy/row-splitter.js';
import type { MaskingSession } from '../masking-session.js';
import type { RowMasker } from '../row-masker.js';
import type { MaskedRule } from '../table-masker.js';
import { LANE_MIN_BYTES, LanedRows } from './laned-rows.js';
import { type LanedStage, LanedTransform } from './laned-transform.js';
import type { OrderedOutput } from './ordered-output.js';

/** Options of `LanedRowRewriter`. */
export interface LanedRowRewriterOptions {
  readonly masker: RowMasker<MaskedRule>;
  readonly session: MaskingSession;
  /** Bytes of rows before a masking thread is started; default `LANE_MIN_BYTES`. */
  readonly minBytes?: number | undefined;
}

/**
 * The stage that masks a table's COPY text: a `LanedRowRewriter` when `threaded` and the table
 * (`bytes`, an estimate) is big enough to start a thread for, else a `RowRewriter`.
 */
export function maskingRewriter(options: LanedRowRewriterOptions & { readonly threaded: boolean; readonly bytes: number }): RowRewriter | LanedRowRewriter {
  const { masker } = options;
  if (options.threaded && options.bytes >= (options.minBytes ?? LANE_MIN_BYTES)) return new LanedRowRewriter(options);
  return createRowRewriter({ table: masker.table, columns: masker.names.length, rewrite: (row) => masker.mask(row) });
}

/** The rows of one table's COPY text, masked on two threads once the table proves big enough. */
class LanedRowStage implements LanedStage {
  readonly splitter: RowSplitter;
  readonly lanes: LanedRows;
  private readonly writer: ChunkWriter;
  private readonly onRow = (row: LazyRow): void => {
    if (!this.lanes.take(row)) row.writeTo(this.writer);
  };

  constructor(options: LanedRowRewriterOptions, output: OrderedOutput) {
    const { masker } = options;
    this.splitter = new RowSplitter({ table: masker.table, columns: masker.names.length });
    this.writer = new ChunkWriter((chunk) => output.write(chunk));
    this.lanes = new LanedRows({ masker, session: options.session, output, cut: () => this.writer.flush(), minBytes: options.minBytes });
  }

  take(chunk: Buffer): void {
    this.lanes.chunkStarting();
    this.splitter.push(chunk, this.onRow);
  }

  finish(): void {
    this.splitter.end();
    this.lanes.end();
    this.writer.flush();
  }

  stop(): void {
    this.lanes.stop();
  }
}

/**
 * A Transform over a table's COPY text, like `createRowRewriter` with the masker's `mask` as
 * its rewrite, that masks on two threads once the table proves big enough (see `LanedRows`).
 */
export class LanedRowRewriter extends LanedTransform<LanedRowStage> {
  constructor(options: LanedRowRewriterOptions) {
    super((output) => new LanedRowStage(options, output));
  }

  /** Rows taken in so far. */
  get rows(): number {
    return this.stage.splitter.rows;
  }

  /** Bytes taken in so far. */
  get bytesIn(): number {
    return this.stage.splitter.bytes;
  }

  /** Whether rows went to a masking thread. */
  get laned(): boolean {
    return this.stage.lanes.active;
  }
}
