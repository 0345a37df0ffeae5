/**
 * The server's side of `COPY ... TO STDOUT` on the wire (PostgreSQL protocol 3): a
 * CopyOutResponse, one CopyData message per row (NoticeResponse, ParameterStatus and
 * NotificationResponse may come between), then CopyDone, or an ErrorResponse at any point.
 */
const COPY_DATA = 0x64; // d
const ERROR_RESPONSE = 0x45; // E
/** Messages that may come before or between CopyData messages and are passed over. */
const PASSED_OVER = new Set([0x48 /* H: CopyOutResponse */, 0x4e /* N: NoticeResponse */, 0x53 /* S: ParameterStatus */, 0x41 /* A: NotificationResponse */]);
const HEADER = 5;

/** What one chunk gave. */
export interface CopyOutStep {
  /** The CopyData payloads the chunk held, back to back (whole messages when framed), or undefined when none. */
  readonly data: Buffer | undefined;
  /**
   * The copy is over: `done` after CopyDone (or a message that ends copy-out mode), `error`
   * at an ErrorResponse. Undefined while it goes on.
   */
  readonly end: 'done' | 'error' | undefined;
  /** When the copy is over: the bytes after it (from the ErrorResponse on, for `error`), for the client's own parser. */
  readonly rest: Buffer | undefined;
}

const GOING_ON: CopyOutStep = { data: undefined, end: undefined, rest: undefined };

/**
 * Takes the bytes the server sends during COPY TO, chunk by chunk as the socket gives them,
 * and gives the CopyData payloads. The payloads are moved together inside the chunk itself
 * (over the message headers, which are never read again): no copy into a new buffer and no
 * per-message call, where the usual reader gathers each row's message in a list and then
 * joins the list into a zero-filled buffer. The chunk must be the caller's to overwrite.
 *
 * `framed`: gives the CopyData messages whole, headers and all, as COPY FROM sends them on
 * (`FramedCopyIn`): nothing is moved unless another message came between them.
 *
 * @example
 * ```ts
 * const parser = new CopyOutParser();
 * socket.on('data', (chunk) => {
 *   const { data, end, rest } = parser.parse(chunk);
 *   if (data) out.push(data);
 *   if (end) handBack(rest);
 * });
 * ```
 */
export class CopyOutParser {
  /** CopyData messages begun so far: one per row, and in COPY's binary format one more for the trailer. */
  messages = 0;
  /** Bytes of their payloads, the COPY data. */
  bytes = 0;
  /** The type of the message being read and the bytes of its body still to come; 0: at a message start. */
  private code = 0;
  private remaining = 0;
  /** The start of a message header that a chunk cut off. */
  private carry: Buffer | undefined;
  private ended = false;

  constructor(private readonly framed = false) {}

  parse(input: Buffer): CopyOutStep {
    if (this.ended) throw new Error('the COPY data has ended');
    let chunk = input;
    if (this.carry !== undefined) {
      chunk = Buffer.concat([this.carry, input]);
      this.carry = undefined;
    }
    const length = chunk.length;
    let pos = 0;
    let out = 0;
    while (pos < length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, length - pos);
        if (this.code === COPY_DATA) {
          if (out !== pos) chunk.copy(chunk, out, pos, pos + n);
          out += n;
        }
        pos += n;
        this.remaining -= n;
        if (this.remaining === 0 && this.ends(this.code)) return this.finish(chunk, out, pos, 'done');
        continue;
      }
      if (length - pos < HEADER) {
        this.carry = Buffer.from(chunk.subarray(pos));
        break;
      }
      const code = chunk[pos]!;
      if (code === ERROR_RESPONSE) return this.finish(chunk, out, pos, 'error');
      this.code = code;
      this.remaining = chunk.readUInt32BE(pos + 1) - 4;
      if (code === COPY_DATA) {
        this.messages++;
        this.bytes += this.remaining;
        if (this.framed) {
          if (out !== pos) chunk.copy(chunk, out, pos, pos + HEADER);
          out += HEADER;
        }
      }
      pos += HEADER;
      if (this.remaining === 0 && this.ends(code)) return this.finish(chunk, out, pos, 'done');
    }
    return out === 0 ? GOING_ON : { data: chunk.subarray(0, out), end: undefined, rest: undefined };
  }

  /** Whether a whole message of this type ends copy-out mode: CopyDone, or any message not allowed within it. */
  private ends(code: number): boolean {
    return code !== COPY_DATA && !PASSED_OVER.has(code);
  }

  private finish(chunk: Buffer, out: number, pos: number, end: 'done' | 'error'): CopyOutStep {
    this.ended = true;
    return { data: out === 0 ? undefined : chunk.subarray(0, out), end, rest: chunk.subarray(pos) };
  }
}
