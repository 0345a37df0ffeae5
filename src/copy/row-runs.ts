import type { ChunkWriter } from './chunk-writer.js';
import type { CopyRow } from './copy-row.js';

/**
 * Writes the rows split from one input chunk at a time. The rows of a chunk lie one after the
 * other in it, so the bytes no rule replaced wait and go out in one copy, up to the next
 * replaced field or the end of the chunk; a row carried over from earlier chunks (held in a
 * buffer of its own) goes out at once.
 */
export class RowRuns {
  /** The chunk being split. */
  private chunk: Buffer | undefined;
  /** Bytes `chunk[start, end)` are taken but not yet written; start is -1 when none are. */
  private start = -1;
  private end = -1;

  constructor(private readonly writer: ChunkWriter) {}

  /** A chunk is about to be split. */
  begin(chunk: Buffer): void {
    this.chunk = chunk;
    this.start = -1;
  }

  /** Writes a row of the chunk, after its fields were set (or leaves its bytes waiting). */
  write(row: CopyRow): void {
    if (row.buffer !== this.chunk) {
      row.writeTo(this.writer);
      return;
    }
    if (this.start < 0) this.start = row.start;
    if (row.modified) this.start = row.writeChangesTo(this.writer, this.start);
    this.end = row.end;
  }

  /** The chunk is split: writes the bytes still waiting and lets the chunk go. */
  finish(): void {
    if (this.start >= 0) this.writer.copy(this.chunk!, this.start, this.end);
    this.abandon();
  }

  /** Lets the chunk go without writing what waits (its split failed). */
  abandon(): void {
    this.chunk = undefined;
    this.start = -1;
  }
}
