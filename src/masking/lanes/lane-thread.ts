/**
 * The masking thread: builds the rules of its lane's columns from the run's key, masks the
 * batches of rows the stream's thread sends, in order, and sends back each batch's rows written
 * out with its columns masked, with where each field landed. Started by `LaneWorker`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkWriter } from '../../copy/chunk-writer.js';
import type { LazyRow } from '../../copy/lazy-row.js';
import { RowSplitter } from '../../copy/row-splitter.js';
import { CopyFormatError, TransformError } from '../../errors.js';
import { maskingKeyFromBytes } from '../../random/key.js';
import { buildTransform } from '../build-transform.js';
import { createMaskingSession } from '../masking-session.js';
import { RowMasker } from '../row-masker.js';
import type { BatchMessage, LaneFailure, ThreadMessage, ThreadSetup } from './lane-messages.js';

const setup = workerData as ThreadSetup;
const port = parentPort!;

/** A buffer that is its whole ArrayBuffer can be moved to the other thread; else a copy is. */
function movable(chunks: Buffer[]): Uint8Array {
  const only = chunks.length === 1 ? chunks[0]! : undefined;
  if (only && only.byteOffset === 0 && only.buffer.byteLength === only.length) return only;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

function failure(error: unknown): LaneFailure {
  if (error instanceof TransformError) return { kind: 'transform', reason: error.reason, column: error.column, line: error.line };
  if (error instanceof CopyFormatError) return { kind: 'format', reason: error.reason, line: error.line, offset: error.offset };
  return { kind: 'other', reason: `the masking thread failed (${error instanceof Error ? error.name : 'error'})` };
}

try {
  const session = createMaskingSession({
    key: maskingKeyFromBytes(setup.key, 'thread'),
    testdataDir: setup.testdataDir,
    env: setup.env,
    today: setup.today,
  });
  const columns = setup.columns.map((c) => ({ name: setup.names[c.index]!, index: c.index, transform: buildTransform(session, c.spec, c.target) }));
  const masker = new RowMasker(setup.table, setup.names, columns);
  const fieldCount = setup.names.length;
  const stride = fieldCount + 1;
  const inLane = new Uint8Array(fieldCount);
  for (const column of columns) inLane[column.index] = 1;
  let batch: BatchMessage;
  let bytes: Buffer;
  let chunks: Buffer[];
  let writer: ChunkWriter;
  let rows = 0;
  /** Input bytes up to here are written. */
  let resume = 0;
  let bounds = new Int32Array(1024 * stride);
  let starts = new Int32Array(1024);

  /** Masks a row and writes it with the lane's values, noting where each field lands in the output. */
  const onRow = (row: LazyRow): void => {
    if (rows === starts.length) {
      bounds = grow(bounds);
      starts = grow(starts);
    }
    // The splitter numbers rows and bytes from the batch's start.
    row.line += batch.line - 1;
    row.offset += batch.offset;
    masker.mask(row);
    const at = rows * stride;
    starts[rows] = row.start;
    for (let i = 0; i < fieldCount; i++) {
      const fieldStart = row.bounds[i]!;
      if (inLane[i] === 0) {
        // Copied later, with what follows: it lands as far past what is written as it is past `resume`.
        bounds[at + i] = writer.written + (fieldStart - resume);
        continue;
      }
      writer.copy(bytes, resume, fieldStart);
      bounds[at + i] = writer.written;
      writer.writeField(row.get(i));
      resume = row.bounds[i + 1]! - 1;
    }
    bounds[at + fieldCount] = writer.written + (row.end - resume);
    rows++;
  };

  const maskBatch = (message: BatchMessage): void => {
    batch = message;
    bytes = Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.length);
    chunks = [];
    writer = new ChunkWriter((chunk) => chunks.push(chunk), Math.max(64 * 1024, 2 * bytes.length));
    rows = 0;
    resume = 0;
    const splitter = new RowSplitter({ table: setup.table, columns: fieldCount });
    splitter.push(bytes, onRow);
    splitter.end();
    writer.copy(bytes, resume, bytes.length);
    writer.flush();
    const out = movable(chunks);
    const rowBounds = bounds.slice(0, rows * stride);
    const rowStarts = starts.slice(0, rows);
    port.postMessage({ id: message.id, rows, bounds: rowBounds, starts: rowStarts, out } satisfies ThreadMessage, [out.buffer as ArrayBuffer, rowBounds.buffer, rowStarts.buffer]);
  };

  port.on('message', (message: BatchMessage | 'close') => {
    if (message === 'close') {
      port.postMessage({ warnings: [...session.warnings] } satisfies ThreadMessage);
      port.close();
      return;
    }
    try {
      maskBatch(message);
    } catch (error) {
      port.postMessage({ id: message.id, failure: failure(error) } satisfies ThreadMessage);
    }
  });
  port.postMessage({ ready: true } satisfies ThreadMessage);
} catch (error) {
  port.postMessage({ failure: failure(error) } satisfies ThreadMessage);
}
