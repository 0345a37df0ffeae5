import { Readable } from 'node:stream';
import { CopyOutParser } from './copy-out-parser.js';

/** What the stream needs of pg's connection: its socket, and sending a query. */
interface PgConnection {
  readonly stream: NodeJS.ReadableStream & { listeners(event: 'data'): ((chunk: Buffer) => void)[] };
  query(text: string): void;
}

/**
 * `COPY ... TO STDOUT` as a readable stream of the COPY data, run as a query of a `pg` client
 * (`client.query(new CopyOutStream(sql))`), as pg-copy-streams' `to` runs: while the copy
 * lasts the stream reads the socket itself, in place of the client's parser, and hands what
 * follows the copy (CommandComplete, ReadyForQuery, or the ErrorResponse) back to it. The
 * messages are cut by `CopyOutParser`, in the socket's own buffers; `framed`, the stream gives
 * them whole, for `FramedCopyIn`. `rowCount` is the server's count of rows, once the copy is
 * complete; `rowsSoFar` and `bytesSoFar` count rows and COPY data as they come.
 */
export class CopyOutStream extends Readable {
  rowCount = 0;
  private readonly text: string;
  private readonly parser: CopyOutParser;
  private connection: PgConnection | undefined;
  private clientOnData: ((chunk: Buffer) => void) | undefined;
  /** The consumer wants more, and the copy still holds the socket. */
  private wanted = false;
  private attached = false;
  private forwarding = false;
  private readonly onReadable = (): void => this.forward();

  constructor(text: string, framed = false) {
    super();
    this.text = text;
    this.parser = new CopyOutParser(framed);
  }

  /** Called by the client (a pg.Connection) when the query's turn comes. */
  submit(client: unknown): void {
    const connection = client as PgConnection;
    this.connection = connection;
    const socket = connection.stream;
    const listeners = socket.listeners('data');
    if (listeners.length !== 1) throw new Error(`COPY TO expects one reader of the connection, found ${listeners.length}`);
    this.clientOnData = listeners[0]!;
    socket.removeListener('data', this.clientOnData);
    socket.pause();
    this.attached = true;
    socket.on('readable', this.onReadable);
    connection.query(this.text);
  }

  /** Rows received so far, by their CopyData messages (in binary format the trailer's is not counted). */
  rowsSoFar(binary: boolean): number {
    return binary ? Math.max(0, this.parser.messages - 1) : this.parser.messages;
  }

  /** Bytes of COPY data received so far (without the messages' headers). */
  get bytesSoFar(): number {
    return this.parser.bytes;
  }

  override _read(): void {
    this.wanted = true;
    this.forward();
  }

  private forward(): void {
    if (this.forwarding || !this.wanted || !this.attached) return;
    this.forwarding = true;
    const socket = this.connection!.stream;
    let chunk: Buffer | null;
    while (this.wanted && this.attached && (chunk = socket.read() as Buffer | null) !== null) {
      const { data, end, rest } = this.parser.parse(chunk);
      if (data !== undefined) this.wanted = this.push(data);
      if (end !== undefined) {
        this.detach(rest);
        // An error is the client's to read: it reports it through handleError.
        if (end === 'done') this.push(null);
      }
    }
    this.forwarding = false;
  }

  /** Gives the socket back to the client's parser, with the bytes after the copy. */
  private detach(rest: Buffer | undefined): void {
    const socket = this.connection!.stream;
    const onData = this.clientOnData!;
    this.attached = false;
    socket.removeListener('readable', this.onReadable);
    socket.addListener('data', onData);
    if (rest !== undefined && rest.length > 0) onData(rest);
    // Adding a 'data' listener does not resume a paused socket; the client's parser may also have paused it.
    process.nextTick(() => socket.resume());
  }

  /** The client's calls, as for any query. */
  handleError(error: Error): void {
    this.destroy(error);
  }

  handleCommandComplete(message: { text?: string } | undefined): void {
    const match = /COPY (\d+)/.exec(message?.text ?? '');
    if (match) this.rowCount = Number(match[1]);
  }

  handleReadyForQuery(): void {}
}
