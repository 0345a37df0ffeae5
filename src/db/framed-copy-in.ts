import type { Writable } from 'node:stream';
import { type CopyStreamQuery, from as copyFrom } from 'pg-copy-streams';

/** pg-copy-streams' COPY FROM query as its `from` makes it, with the connection it writes to. */
const CopyFromQuery = copyFrom('').constructor as new (text: string) => CopyStreamQuery & { connection: { stream: Writable } | null };

/**
 * `COPY ... FROM STDIN` written whole CopyData messages, as a `framed` CopyOutStream gives
 * them: a table that passes from one server to the other unchanged is sent on in the source's
 * own messages, with no header to add and no payload to move. Waiting for CopyInResponse,
 * backpressure, CopyDone and the row count are pg-copy-streams' COPY FROM, whose chunks this
 * writes as they are.
 *
 * A chunk may end inside a message, so a copy that fails or is destroyed cannot send CopyFail
 * (the server would read it as the rest of that message): it closes the connection instead,
 * which ends the COPY and rolls back its transaction.
 */
export class FramedCopyIn extends CopyFromQuery {
  /** Called by pg-copy-streams for each chunk written: the chunk is whole messages already. */
  flushChunk(chunk: Buffer): boolean {
    return this.connection!.stream.write(chunk);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.writableFinished) {
      super._destroy(error, callback);
      return;
    }
    this.connection?.stream.destroy();
    callback(error);
  }
}
