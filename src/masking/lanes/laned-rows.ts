import { ChunkWriter } from '../../copy/chunk-writer.js';
import { LazyRow } from '../../copy/lazy-row.js';
import { CopyFormatError, PgmaskError, TransformError } from '../../errors.js';
import type { MaskingSession } from '../masking-session.js';
import { RowMasker } from '../row-masker.js';
import type { MaskedRule } from '../table-masker.js';
import type { LaneFailure } from './lane-messages.js';
import { type LaneResult, LaneWorker } from './lane-worker.js';
import type { OrderedOutput } from './ordered-output.js';
import { planLanes } from './plan-lanes.js';

/** Bytes of COPY text a batch holds at most (one longer row makes a batch of its own). */
const BATCH_BYTES = 256 * 1024;
/** Batches on their way through the masking thread before the stream waits for one: about 1 MiB of rows. */
const MAX_OPEN_BATCHES = 4;
/** A table's rows are masked on the stream's thread alone until this many bytes have passed: small tables never start a thread. */
export const LANE_MIN_BYTES = 8 * 1024 * 1024;

/**
 * Calls back when a stream may take its next chunk: at once, or once a starting thread is ready
 * (`lanes.starting`), or once at most `MAX_OPEN_BATCHES` batches are out; with the output's
 * failure if it fails.
 */
export function whenRoomFor(lanes: LanedRows | undefined, output: OrderedOutput, callback: (error?: Error) => void): void {
  const starting = lanes?.starting;
  if (starting) void starting.then(() => callback());
  else if (output.open <= MAX_OPEN_BATCHES) callback();
  else output.settled(MAX_OPEN_BATCHES).then(() => callback(), callback);
}

/** A batch being gathered: runs of whole rows, each a stretch of a buffer the stream was given. */
interface Gathering {
  readonly runs: { buffer: Buffer; start: number; end: number }[];
  bytes: number;
  /** Row number and stream offset of the first row. */
  line: number;
  offset: number;
}

/** Options of `LanedRows`. */
export interface LanedRowsOptions {
  /** The table's masker, every masked column. */
  readonly masker: RowMasker<MaskedRule>;
  readonly session: MaskingSession;
  /** Where the masked rows go, in order, among whatever else the stream writes. */
  readonly output: OrderedOutput;
  /** Hands on what the stream has written but holds back, before a batch's place is taken. */
  readonly cut: () => void;
  /** Bytes of rows before a thread is started; default `LANE_MIN_BYTES`. */
  readonly minBytes?: number | undefined;
  /** Maps an error about a row (line within the COPY data) to what the stream reports. */
  readonly mapError?: ((error: Error) => Error) | undefined;
}

/**
 * Masks one table's rows on two threads: the columns whose outputs depend on their row alone
 * go to a masking thread in batches of whole rows, while the stream's thread masks the others
 * (those with run-wide ordered state, and what reads them) in row order when a batch comes
 * back, and writes the rows. Outputs are those of one thread, byte for byte.
 *
 * Until `minBytes` of rows have passed, and while the thread starts, `take` masks rows with the
 * whole masker and hands them back, timing the columns on some: the columns are shared out by
 * those times when the thread starts. Also when no thread may be started, or the table has no
 * column a thread could take.
 */
export class LanedRows {
  private readonly options: LanedRowsOptions;
  /** A masker of the stream thread's own part of the columns; set when the thread starts. */
  private own: RowMasker | undefined;
  /** Time each masked column took on sampled rows before the thread started, in the masker's order. */
  private readonly costs: Float64Array;
  private sampled = 0;
  private readonly minBytes: number;
  private readonly stride: number;
  private readonly row: LazyRow;
  private worker: LaneWorker | undefined;
  /** No thread will be used: none could take a column, none could start, or it failed to. */
  private declined: boolean;
  private engaged = false;
  private seen = 0;
  private gathering: Gathering | undefined;
  private nextId = 0;
  /** Masking-thread results not yet back. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(options: LanedRowsOptions) {
    this.options = options;
    const { masker } = options;
    this.costs = new Float64Array(masker.columns.length);
    this.minBytes = options.minBytes ?? LANE_MIN_BYTES;
    this.declined = planLanes(masker.columns).worker.length === 0;
    this.stride = masker.names.length + 1;
    this.row = new LazyRow(masker.names.length, masker.table);
  }

  /** Whether rows go to the masking thread. */
  get active(): boolean {
    return this.engaged;
  }

  /**
   * With `minBytes` 0, while the thread starts: settles when it is ready (or failed). The stream
   * waits for it after a chunk, so that the rest goes to the thread.
   */
  get starting(): Promise<void> | undefined {
    return this.minBytes === 0 && !this.engaged && !this.declined ? this.worker?.started : undefined;
  }

  /** Call before each chunk's rows: rows start going to the thread only at a chunk's start. */
  chunkStarting(): void {
    if (this.engaged || this.declined) return;
    const worker = this.worker;
    if (worker === undefined) {
      if (this.seen < this.minBytes) return;
      const { masker } = this.options;
      const plan = planLanes(masker.columns, this.costs);
      this.own = plan.main.length ? new RowMasker(masker.table, masker.names, plan.main) : undefined;
      this.worker = plan.worker.length ? LaneWorker.start(this.options.session, masker.table, masker.names, plan.worker) : undefined;
      if (!this.worker) this.declined = true;
      return;
    }
    if (worker.failure) {
      // It never took a row: the stream goes on alone.
      worker.stop();
      this.declined = true;
    } else if (worker.ready) {
      this.engaged = true;
    }
  }

  /**
   * Takes a row for the two threads, or masks it in place with the whole masker and returns
   * false: then the stream writes it itself.
   */
  take(row: LazyRow): boolean {
    const length = row.end - row.start;
    if (!this.engaged) {
      this.seen += length;
      // One row in eight of the second half is timed column by column (the first half warms the
      // code up), to share the columns out when the thread starts.
      if ((++this.sampled & 7) === 0 && !this.declined && 2 * this.seen >= this.minBytes) this.options.masker.maskTimed(row, this.costs);
      else this.options.masker.mask(row);
      return false;
    }
    let batch = this.gathering;
    if (batch !== undefined && batch.bytes + length > BATCH_BYTES) {
      this.submit();
      batch = undefined;
    }
    if (batch === undefined) batch = this.gathering = { runs: [], bytes: 0, line: row.line, offset: row.offset };
    // Rows of one buffer come one after the other: a row that continues the last run extends it.
    const run = batch.runs[batch.runs.length - 1];
    if (run !== undefined && run.buffer === row.buffer && run.end === row.start) run.end = row.end;
    else batch.runs.push({ buffer: row.buffer, start: row.start, end: row.end });
    batch.bytes += length;
    return true;
  }

  /** The table's rows are all taken: sends the last batch and ends the thread once every batch is back. */
  end(): void {
    if (this.gathering) this.submit();
    const worker = this.worker;
    if (!worker) return;
    if (!this.engaged) {
      worker.stop();
      return;
    }
    const slot = this.options.output.reserve();
    void Promise.allSettled([...this.inFlight])
      .then(() => worker.close())
      .then((warnings) => {
        for (const w of warnings) this.options.session.warn(w.code, w.message);
        slot.fill(() => {});
      });
  }

  /** Stops the thread at once (the stream failed or was destroyed). */
  stop(): void {
    this.worker?.stop();
    this.declined = true;
  }

  private submit(): void {
    const gathering = this.gathering!;
    this.gathering = undefined;
    // The batch's memory is shared with the thread, and never reused: the output may hold on to parts of it.
    const bytes = Buffer.from(new SharedArrayBuffer(gathering.bytes));
    let at = 0;
    for (const run of gathering.runs) at += run.buffer.copy(bytes, at, run.start, run.end);
    this.options.cut();
    const slot = this.options.output.reserve();
    const result = this.worker!.mask({ id: this.nextId++, bytes, line: gathering.line, offset: gathering.offset });
    const settled = result.then(
      (lanes) => slot.fill((push) => this.write(gathering, lanes, push)),
      (failure: LaneFailure) => slot.fail(this.error(failure)),
    );
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
  }

  /** Writes a batch the thread has masked, masking the stream thread's own columns of each row first. */
  private write(batch: Gathering, lanes: LaneResult, push: (chunk: Buffer) => void): void {
    const { row, stride, own } = this;
    const { out, bounds, starts } = lanes;
    if (own === undefined) {
      push(out);
      return;
    }
    const writer = new ChunkWriter(push);
    let resume = 0;
    try {
      for (let r = 0, at = 0; r < lanes.rows; r++) {
        const start = bounds[at]!;
        for (let i = 0; i < stride; i++) row.bounds[i] = bounds[at++]!;
        row.reset(out, start, batch.line + r, batch.offset + starts[r]!);
        own.mask(row);
        resume = row.writeChangesTo(writer, resume);
      }
      writer.copy(out, resume, out.length);
      writer.flush();
    } catch (error) {
      throw this.options.mapError ? this.options.mapError(error as Error) : error;
    }
  }

  private error(failure: LaneFailure): Error {
    const table = this.options.masker.table;
    const error =
      failure.kind === 'transform'
        ? new TransformError(failure.reason, { table, column: failure.column, line: failure.line })
        : failure.kind === 'format'
          ? new CopyFormatError(failure.reason, { table, line: failure.line, offset: failure.offset })
          : new PgmaskError('MASK_THREAD', `table ${table}: ${failure.reason}`);
    return this.options.mapError ? this.options.mapError(error) : error;
  }
}
