/**
 * The pg_dump plain-format stream: SQL text passed through byte for byte, and COPY blocks
 * (`COPY schema.table (columns) FROM stdin;`, rows, `\.`) whose rows go through the COPY
 * codec. Chunks may be cut anywhere: in a header line, in a row, in the `\.` line.
 *
 * About 420 lines, kept in one file: the parser is one state machine over the byte stream (SQL,
 * a held-back line, a COPY block), and its states share the held bytes and the writer. The SQL
 * scanning, the COPY header, the end-of-data search and the row codec live in files of their own.
 */
import { ChunkWriter, DEFAULT_CHUNK_SIZE } from '../copy/chunk-writer.js';
import type { LazyRow } from '../copy/lazy-row.js';
import { RowRuns } from '../copy/row-runs.js';
import { RowSplitter } from '../copy/row-splitter.js';
import { CopyFormatError, ExitCode, TransformError } from '../errors.js';
import { type CopyHeader, isCopyHeaderProblem, parseCopyHeader } from './copy-header.js';
import { DumpError } from './dump-error.js';
import { SNIFF_BYTES, sniffDumpFormat } from './dump-format.js';
import { END_OF_DATA, EndOfDataFinder } from './end-of-data.js';
import { isIdentStart, SqlScanner } from './sql-scanner.js';

/** Rows and bytes of a finished COPY block. */
export interface CopyBlockStats {
  /** Rows read (also for a skipped block, whose rows are not written). */
  readonly rows: number;
  /** Bytes of row data read, without the header and the `\.` line. */
  readonly bytes: number;
}

/** What to do with the rows of one COPY block. */
export interface CopyBlockHandler {
  /**
   * `pass`: rows go out unchanged, not even split (psql checks them); `skip`: no row goes out,
   * the header and the `\.` line do, so the restore still works; a function: called once per
   * row, may `set()` fields (the row object is reused: do not keep it).
   */
  readonly rows: 'pass' | 'skip' | ((row: LazyRow) => void);
  /**
   * Instead of `rows`, rows masked partly elsewhere (see `LanedRows`): `chunkStarting` is called
   * before each chunk of the block's rows, `take` with each row: a row it takes is not written by
   * the parser, one it hands back (false) it has masked in place. `finish` is called before the
   * `\.` line is written.
   */
  readonly taker?: { chunkStarting(): void; take(row: LazyRow): boolean; finish(): void };
  /** Called after the block's `\.` line. */
  end?(stats: CopyBlockStats): void;
}

/** A codec or transformer error inside the COPY block begun at `headerLine`, with the dump line of its row. */
export function atDumpLine(error: unknown, headerLine: number, table: string | undefined): unknown {
  if (error instanceof CopyFormatError || error instanceof TransformError) {
    const line = headerLine + (error.line ?? 0);
    return new DumpError(error.code, error.message, { line, table, column: (error as TransformError).column }, error.exitCode, { cause: error });
  }
  return error;
}

/** Options of a `DumpParser`. */
export interface DumpParserOptions {
  /** Takes the output, in chunks of about 64 KiB. A chunk may be a subarray of an input chunk. */
  readonly output: (chunk: Buffer) => void;
  /**
   * Called at each COPY header line, before the header is written; may throw to stop the run
   * before any of the block is written. `line` is the header's line in the dump.
   */
  readonly onCopy: (header: CopyHeader, line: number) => CopyBlockHandler;
  /** Each SQL statement (up to 1 MiB of text) after its `;`, before it is written. May throw. */
  readonly onStatement?: (text: string, line: number) => void;
  /** Large object contents (`SELECT pg_catalog.lo_open(...)` and `lowrite`): refused unless `pass`. */
  readonly largeObjects?: 'refuse' | 'pass';
  /** Output chunk size, 64 KiB by default. */
  readonly chunkSize?: number;
}

const NEWLINE = 0x0a;
/** A COPY header line longer than this is refused (1600 columns of 63-byte names need ~110 KiB). */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;

/** Statement starts that must be looked at before a byte of them is written. */
type HoldKind = 'more' | 'sql' | 'copy' | 'insert' | 'large-object';
const WATCHED: readonly { readonly text: string; readonly kind: HoldKind; readonly word: boolean }[] = [
  { text: 'copy', kind: 'copy', word: true },
  { text: 'insert', kind: 'insert', word: true },
  { text: 'select pg_catalog.lo_open(', kind: 'large-object', word: false },
];

function classify(held: string): HoldKind {
  let undecided = false;
  for (const watched of WATCHED) {
    const { text } = watched;
    if (held.length <= text.length) {
      if (text.startsWith(held)) {
        if (held.length === text.length && !watched.word) return watched.kind;
        undecided = true;
      }
    } else if (watched.word && held.startsWith(text)) {
      const next = held.charCodeAt(text.length);
      const wordGoesOn = isIdentStart(next) || (next >= 0x30 && next <= 0x39) || next === 0x24;
      if (!wordGoesOn) return watched.kind;
    }
  }
  return undecided ? 'more' : 'sql';
}

const SET_STRINGS = /^set\s+(?:session\s+)?standard_conforming_strings\s*(?:=|to)\s*'?(on|off)'?\s*;$/i;
const SET_ENCODING = /^set\s+(?:session\s+)?client_encoding\s*(?:=|to)\s*'([^']*)'\s*;$/i;

/**
 * A push parser over a pg_dump plain-format stream. SQL goes to `output` as it came; at each
 * `COPY ... FROM stdin;` line `onCopy` decides what becomes of the rows up to `\.`.
 *
 * Statement starts are found as psql finds them, so text that only looks like a COPY (inside
 * a dollar-quoted function body, a string literal or a comment) stays SQL. A COPY statement
 * must sit on a line of its own, as pg_dump writes it. The parser refuses, with a `DumpError`:
 * custom, directory-archive, tar and compressed dumps; INSERT statements (`--inserts`);
 * `\copy`; large object data (unless allowed); a `client_encoding` other than UTF8; a dump
 * that ends inside a COPY block.
 *
 * @example
 * ```ts
 * const parser = new DumpParser({ output: (c) => out.push(c), onCopy: () => ({ rows: 'pass' }) });
 * for await (const chunk of input) parser.push(chunk);
 * parser.end();
 * ```
 */
export class DumpParser {
  private readonly writer: ChunkWriter;
  private readonly scanner: SqlScanner;
  private readonly onCopy: DumpParserOptions['onCopy'];
  private readonly largeObjects: 'refuse' | 'pass';
  private mode: 'sniff' | 'sql' | 'hold' | 'copy' = 'sniff';
  private head: Buffer[] = [];
  private headLength = 0;
  /** The statement start held back: its bytes, kind, line, whether it began a line. */
  private hold: Buffer = Buffer.alloc(0);
  private holdLength = 0;
  private holdKind: HoldKind = 'more';
  private holdLine = 0;
  private holdAtLineStart = false;
  /** The COPY block being read. */
  private splitter: RowSplitter | undefined;
  /** Instead of the splitter, for a block whose rows pass through. */
  private finder: EndOfDataFinder | undefined;
  private readonly passRows = (buf: Buffer, start: number, end: number): void => this.writer.copy(buf, start, end);
  private block: CopyBlockHandler | undefined;
  private header: CopyHeader | undefined;
  private headerLine = 0;
  private readonly runs: RowRuns;
  private readonly onRow = (row: LazyRow): void => this.handleRow(row);

  constructor(options: DumpParserOptions) {
    this.writer = new ChunkWriter(options.output, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
    this.runs = new RowRuns(this.writer);
    this.onCopy = options.onCopy;
    this.largeObjects = options.largeObjects ?? 'refuse';
    this.scanner = new SqlScanner({
      onStatement: (text, line) => {
        this.checkSetting(text, line);
        options.onStatement?.(text, line);
      },
      onMetaCommand: (word, line) => {
        if (word === 'copy') {
          throw new DumpError(
            'DUMP_BACKSLASH_COPY',
            'a \\copy meta-command loads rows pgmask cannot read as a COPY block; pgmask mask reads dumps as pg_dump writes them',
            { line },
            ExitCode.usage,
          );
        }
      },
    });
  }

  /** Rows of the COPY block being read so far (0 outside a block). */
  get blockRows(): number {
    return this.splitter?.rows ?? this.finder?.rows ?? 0;
  }

  /** The dump line of the next byte. */
  get line(): number {
    return this.scanner.line;
  }

  /**
   * Takes the next chunk of the dump. Output is handed on in chunks of about 64 KiB (long
   * unchanged runs as subarrays of the input); what is left over goes out with the next
   * chunks or at `end()`.
   */
  push(chunk: Buffer): void {
    if (this.mode === 'sniff') {
      this.head.push(chunk);
      this.headLength += chunk.length;
      if (this.headLength < SNIFF_BYTES) return;
      this.endSniff();
    } else {
      this.process(chunk);
    }
  }

  /** Ends the dump: throws when it stops inside a COPY block or its header. */
  end(): void {
    if (this.mode === 'sniff') this.endSniff();
    if (this.mode === 'hold') {
      if (this.holdKind === 'copy') {
        throw new DumpError('DUMP_TRUNCATED', 'the dump ends inside a COPY statement: it looks truncated', { line: this.holdLine }, ExitCode.runtime);
      }
      this.release();
    }
    if (this.mode === 'copy') {
      throw new DumpError(
        'DUMP_TRUNCATED',
        `the dump ends inside the COPY block of table ${this.header!.key} begun at line ${this.headerLine} (no \\. line): it looks truncated`,
        { line: this.scanner.line + this.blockRows, table: this.header!.key },
        ExitCode.runtime,
      );
    }
    this.writer.flush();
  }

  private endSniff(): void {
    const head = Buffer.concat(this.head, this.headLength);
    this.head = [];
    const problem = sniffDumpFormat(head);
    if (problem) throw new DumpError(problem.code, problem.message, { line: 1 }, ExitCode.usage);
    this.mode = 'sql';
    this.process(head);
  }

  private process(buf: Buffer): void {
    let pos = 0;
    while (pos < buf.length) {
      switch (this.mode) {
        case 'sql': {
          const stop = this.scanner.scan(buf, pos, buf.length, true);
          this.writer.copy(buf, pos, stop);
          pos = stop;
          if (stop < buf.length) this.startHold();
          break;
        }
        case 'hold':
          pos = this.holdMore(buf, pos);
          break;
        case 'copy':
          pos = this.copyMore(buf, pos);
          break;
        default:
          return;
      }
    }
  }

  private startHold(): void {
    this.mode = 'hold';
    this.hold = Buffer.allocUnsafe(64);
    this.holdLength = 0;
    this.holdKind = 'more';
    this.holdLine = this.scanner.line;
    this.holdAtLineStart = this.scanner.atLineStart;
  }

  private append(buf: Buffer, from: number, to: number): void {
    const needed = this.holdLength + (to - from);
    if (needed > MAX_HEADER_BYTES) {
      throw new DumpError('DUMP_COPY_HEADER', `a COPY statement line is longer than ${MAX_HEADER_BYTES} bytes`, { line: this.holdLine }, ExitCode.usage);
    }
    if (needed > this.hold.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.hold.length * 2));
      this.hold.copy(grown, 0, 0, this.holdLength);
      this.hold = grown;
    }
    buf.copy(this.hold, this.holdLength, from, to);
    this.holdLength = needed;
  }

  /** Takes bytes of a held statement start until it is known what it is. Returns where it stopped. */
  private holdMore(buf: Buffer, pos: number): number {
    if (this.holdKind === 'copy') {
      const newline = buf.indexOf(NEWLINE, pos);
      const end = newline < 0 ? buf.length : newline + 1;
      this.append(buf, pos, end);
      if (newline >= 0) this.startCopy();
      return end;
    }
    let p = pos;
    while (p < buf.length) {
      this.append(buf, p, p + 1);
      p++;
      const kind = classify(this.hold.toString('latin1', 0, this.holdLength).toLowerCase());
      if (kind === 'more') continue;
      this.holdKind = kind;
      if (kind === 'sql' || (kind === 'large-object' && this.largeObjects === 'pass')) {
        this.release();
      } else if (kind === 'insert') {
        throw new DumpError(
          'DUMP_INSERTS',
          'the dump holds INSERT statements (pg_dump --inserts, --column-inserts or --rows-per-insert); pgmask mask rewrites COPY blocks only: dump again without those options (COPY is what pg_dump writes by default)',
          { line: this.holdLine },
          ExitCode.usage,
        );
      } else if (kind === 'large-object') {
        throw new DumpError(
          'DUMP_LARGE_OBJECTS',
          'the dump holds large object contents, which no rule can cover; dump with -B (--no-blobs; --no-large-objects from pg_dump 16), or set unlisted: keep to pass them unchanged',
          { line: this.holdLine },
          ExitCode.validation,
        );
      } else if (kind === 'copy') {
        if (!this.holdAtLineStart) {
          throw new DumpError(
            'DUMP_COPY_LAYOUT',
            'a COPY statement does not start its line; pgmask reads COPY statements as pg_dump writes them, each on a line of its own',
            { line: this.holdLine },
            ExitCode.usage,
          );
        }
        if (this.hold[this.holdLength - 1] === NEWLINE) {
          this.startCopy();
          return p;
        }
        return this.holdMore(buf, p);
      }
      return p;
    }
    return p;
  }

  /** The held bytes were ordinary SQL: scan and write them, then carry on scanning. */
  private release(): void {
    const held = this.hold.subarray(0, this.holdLength);
    this.hold = Buffer.alloc(0);
    this.holdLength = 0;
    this.mode = 'sql';
    this.scanner.classified = true;
    this.process(held);
  }

  private startCopy(): void {
    const line = this.hold.toString('utf8', 0, this.holdLength - 1);
    const parsed = parseCopyHeader(line);
    if (isCopyHeaderProblem(parsed)) {
      throw new DumpError('DUMP_COPY_HEADER', `a COPY statement pgmask cannot read: ${parsed.problem}`, { line: this.holdLine }, ExitCode.usage);
    }
    const block = this.onCopy(parsed, this.holdLine);
    this.writer.copy(this.hold, 0, this.holdLength);
    this.hold = Buffer.alloc(0);
    this.holdLength = 0;
    this.scanner.line++;
    this.scanner.atLineStart = true;
    this.header = parsed;
    this.headerLine = this.holdLine;
    this.block = block;
    if (block.rows === 'pass' && !block.taker) this.finder = new EndOfDataFinder();
    else this.splitter = new RowSplitter({ table: parsed.key, columns: parsed.columns.length, endMarker: true });
    this.mode = 'copy';
  }

  private handleRow(row: LazyRow): void {
    const block = this.block!;
    const rows = block.rows;
    if (rows === 'skip') return;
    if (block.taker) {
      if (block.taker.take(row)) return;
    } else if (rows !== 'pass') rows(row);
    this.runs.write(row);
  }

  /** Feeds bytes to the COPY block; returns where SQL resumes (or the end of `buf`). */
  private copyMore(buf: Buffer, pos: number): number {
    const sub = pos === 0 ? buf : buf.subarray(pos);
    const finder = this.finder;
    if (finder) {
      const rest = finder.push(sub, this.passRows);
      return rest < 0 ? buf.length : this.endBlock({ rows: finder.rows, bytes: finder.bytes }, pos + rest);
    }
    const splitter = this.splitter!;
    this.runs.begin(sub);
    let rest: number;
    try {
      this.block!.taker?.chunkStarting();
      rest = splitter.push(sub, this.onRow);
      this.runs.finish();
    } catch (error) {
      this.runs.abandon();
      throw this.atDumpLine(error);
    }
    if (rest < 0) return buf.length;
    this.block!.taker?.finish();
    return this.endBlock({ rows: splitter.rows, bytes: splitter.bytes - END_OF_DATA.length }, pos + rest);
  }

  /** Writes the `\.` line after a block's rows; returns `resume`, where SQL resumes. */
  private endBlock(stats: CopyBlockStats, resume: number): number {
    this.writer.copy(END_OF_DATA, 0, END_OF_DATA.length);
    this.scanner.line += stats.rows + 1;
    this.scanner.atLineStart = true;
    const block = this.block!;
    this.splitter = undefined;
    this.finder = undefined;
    this.block = undefined;
    this.header = undefined;
    this.mode = 'sql';
    block.end?.(stats);
    return resume;
  }

  /** Hands on the output held back so far (before bytes made elsewhere take their place). */
  flushOutput(): void {
    this.writer.flush();
  }

  private atDumpLine(error: unknown): unknown {
    return atDumpLine(error, this.headerLine, this.header?.key);
  }

  /** Settings that change how the dump reads: string syntax and the encoding. */
  private checkSetting(text: string, line: number): void {
    const statement = text.trim();
    const strings = SET_STRINGS.exec(statement);
    if (strings) this.scanner.standardStrings = strings[1]!.toLowerCase() === 'on';
    const encoding = SET_ENCODING.exec(statement);
    if (encoding && !/^(utf-?8|unicode)$/i.test(encoding[1]!)) {
      throw new DumpError(
        'DUMP_ENCODING',
        `the dump is in encoding ${encoding[1]!.replace(/[^A-Za-z0-9_-]/g, '')}; pgmask reads UTF8 dumps only: dump with --encoding=UTF8`,
        { line },
        ExitCode.usage,
      );
    }
  }
}
