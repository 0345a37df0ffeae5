/**
 * A byte scanner for the SQL text of a plain-format dump that finds where statements start
 * and end the way psql does (psqlscan.l): quoted strings ('...', E'...', "..."), dollar
 * quotes ($tag$ ... $tag$), nested comments, parentheses, `BEGIN ATOMIC ... END` bodies and
 * backslash meta-commands. It never copies or changes a byte; it may be stopped and resumed
 * at any byte, so the input may be cut into chunks anywhere.
 */

const NORMAL = 0;
const DASH = 1; // saw '-': a comment if another follows
const SLASH = 2; // saw '/': a comment if '*' follows
const LINE_COMMENT = 3;
const BLOCK = 4;
const BLOCK_STAR = 5;
const BLOCK_SLASH = 6;
const SQUOTE = 7;
const SQUOTE_QUOTE = 8;
const EQUOTE = 9;
const EQUOTE_BACKSLASH = 10;
const EQUOTE_QUOTE = 11;
const DQUOTE = 12;
const DQUOTE_QUOTE = 13;
const DOLLAR_OPEN = 14;
const DOLLAR_BODY = 15;
const META = 16;

const NEWLINE = 0x0a;
const DOLLAR = 0x24;

/** Statement text longer than this is not kept for `onStatement` by default. */
const MAX_STATEMENT_BYTES = 1024 * 1024;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b;
}

/** psqlscan's ident_start: letters, underscore, any byte of a multi-byte character. */
export function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}

/** psqlscan's ident_cont: ident_start, digits and `$`. */
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39) || c === DOLLAR;
}

/** Callbacks of the scanner. */
export interface SqlScannerHooks {
  /**
   * A statement ended (at its `;`): its text (when not longer than 1 MiB) and its first line.
   * May throw to stop the run before the statement is written.
   */
  onStatement?(text: string, line: number): void;
  /** A backslash meta-command line such as `\connect` or `\restrict`: its first word. May throw. */
  onMetaCommand?(word: string, line: number): void;
}

/**
 * The scanner's state between chunks. `scan()` walks bytes; with `stopAtStatements` it stops
 * at the first letter of each statement, so that the caller can look at the statement before
 * any of it is written (a COPY that data follows, an INSERT).
 */
export class SqlScanner {
  /** The 1-based line of the next byte. The caller advances it over bytes it consumes itself. */
  line = 1;
  /** Whether the next byte starts a line. */
  atLineStart = true;
  /** Whether nothing but whitespace, comments and meta-commands came since the last statement. */
  atStatementStart = true;
  /** Set by the caller once it has looked at the statement start it was stopped at. */
  classified = false;
  /** `SET standard_conforming_strings = off` makes '...' take backslash escapes. */
  standardStrings = true;

  private state = NORMAL;
  private parenDepth = 0;
  private beginDepth = 0;
  /** psqlscan's BEGIN ATOMIC heuristic: the first letters of the statement's first identifiers. */
  private identifierCount = 0;
  private readonly identifiers: number[] = [0, 0, 0, 0];
  /** The current run of identifier characters. */
  private inWord = false;
  private wordIsIdentifier = false;
  private word = '';
  private wordLength = 0;
  private blockDepth = 0;
  private dollarTag: number[] = [];
  private dollarMatch = 0;
  private metaWord = '';
  private metaWordDone = false;
  private metaLine = 0;
  /** Text of the current statement, kept for `onStatement`. */
  private pieces: Buffer[] = [];
  private pieceLength = 0;
  private captureFrom = -1;
  private overflow = false;
  private statementLine = 0;

  /**
   * @param maxStatementBytes - statements longer than this are not handed to `onStatement`
   *   (1 MiB by default: a dump's data statements need only their heads).
   */
  constructor(
    private readonly hooks: SqlScannerHooks = {},
    private readonly maxStatementBytes: number = MAX_STATEMENT_BYTES,
  ) {}

  /**
   * Scans `buf[from, to)`. Returns `to`, or with `stopAtStatements` the position of the first
   * letter of a statement (not yet consumed) when the caller has not classified it yet.
   */
  scan(buf: Buffer, from: number, to: number, stopAtStatements: boolean): number {
    if (this.captureFrom === -2) this.captureFrom = from;
    let p = from;
    for (; p < to; p++) {
      const c = buf[p]!;
      if (this.state === NORMAL && this.atStatementStart && !isSpace(c) && c !== 0x2d && c !== 0x2f && c !== 0x5c && c !== 0x3b) {
        if (stopAtStatements && !this.classified && isIdentStart(c)) {
          this.flushCapture(buf, p);
          return p;
        }
        this.classified = false;
        this.startStatement(p);
      }
      if (c === NEWLINE) {
        this.line++;
        this.atLineStart = true;
      } else {
        this.atLineStart = false;
      }
      this.step(buf, p, c);
    }
    this.flushCapture(buf, to);
    return p;
  }

  /** Keeps the part of `buf` the current statement holds, before `buf` goes away. */
  private flushCapture(buf: Buffer, end: number): void {
    if (this.captureFrom < 0) return;
    this.keep(buf.subarray(this.captureFrom, end));
    this.captureFrom = -2; // resume at the start of the next buffer
  }

  private keep(bytes: Buffer): void {
    if (this.overflow || bytes.length === 0) return;
    if (this.pieceLength + bytes.length > this.maxStatementBytes) {
      this.overflow = true;
      this.pieces = [];
      return;
    }
    this.pieces.push(Buffer.from(bytes));
    this.pieceLength += bytes.length;
  }

  private startStatement(p: number): void {
    this.atStatementStart = false;
    this.statementLine = this.line;
    this.pieces = [];
    this.pieceLength = 0;
    this.overflow = false;
    this.captureFrom = p;
  }

  private endStatement(buf: Buffer, p: number): void {
    if (this.captureFrom >= 0) this.keep(buf.subarray(this.captureFrom, p + 1));
    this.captureFrom = -1;
    const text = this.overflow ? '' : Buffer.concat(this.pieces, this.pieceLength).toString('utf8');
    this.pieces = [];
    this.pieceLength = 0;
    this.atStatementStart = true;
    this.parenDepth = 0;
    this.beginDepth = 0;
    this.identifierCount = 0;
    if (!this.overflow) this.hooks.onStatement?.(text, this.statementLine);
  }

  /** A statement that begins with a `-` or `/` that turned out not to start a comment. */
  private startAt(c: number, p: number): void {
    if (!this.atStatementStart) return;
    this.startStatement(p);
    this.keep(Buffer.of(c));
  }

  /** Ends the current identifier: psqlscan's CREATE FUNCTION/PROCEDURE ... BEGIN ... END tracking. */
  private endWord(): void {
    if (!this.inWord) return;
    this.inWord = false;
    if (!this.wordIsIdentifier) return;
    const word = this.wordLength <= 9 ? this.word : '';
    if (this.identifierCount === 0) this.identifiers.fill(0);
    if (word === 'create' || word === 'function' || word === 'procedure' || word === 'or' || word === 'replace') {
      if (this.identifierCount < this.identifiers.length) this.identifiers[this.identifierCount] = word.charCodeAt(0);
    }
    this.identifierCount++;
    const ids = this.identifiers;
    const c = 0x63;
    const f = 0x66;
    const pr = 0x70;
    const o = 0x6f;
    const r = 0x72;
    if (ids[0] === c && (ids[1] === f || ids[1] === pr || (ids[1] === o && ids[2] === r && (ids[3] === f || ids[3] === pr))) && this.parenDepth === 0) {
      if (word === 'begin') this.beginDepth++;
      else if (word === 'case') {
        if (this.beginDepth >= 1) this.beginDepth++;
      } else if (word === 'end') {
        if (this.beginDepth > 0) this.beginDepth--;
      }
    }
  }

  private step(buf: Buffer, p: number, c: number): void {
    for (;;) {
      switch (this.state) {
        case NORMAL:
          this.normal(buf, p, c);
          return;
        case DASH:
          if (c === 0x2d) {
            this.state = LINE_COMMENT;
            return;
          }
          this.startAt(0x2d, p);
          this.state = NORMAL;
          continue;
        case SLASH:
          if (c === 0x2a) {
            this.state = BLOCK;
            this.blockDepth = 1;
            return;
          }
          this.startAt(0x2f, p);
          this.state = NORMAL;
          continue;
        case LINE_COMMENT:
          if (c === NEWLINE) this.state = NORMAL;
          return;
        case BLOCK:
          if (c === 0x2a) this.state = BLOCK_STAR;
          else if (c === 0x2f) this.state = BLOCK_SLASH;
          return;
        case BLOCK_STAR:
          if (c === 0x2f) {
            this.blockDepth--;
            this.state = this.blockDepth === 0 ? NORMAL : BLOCK;
            return;
          }
          if (c === 0x2a) return;
          this.state = BLOCK;
          continue;
        case BLOCK_SLASH:
          if (c === 0x2a) {
            this.blockDepth++;
            this.state = BLOCK;
            return;
          }
          this.state = BLOCK;
          continue;
        case SQUOTE:
          if (c === 0x27) this.state = SQUOTE_QUOTE;
          return;
        case SQUOTE_QUOTE:
          if (c === 0x27) {
            this.state = SQUOTE;
            return;
          }
          this.state = NORMAL;
          continue;
        case EQUOTE:
          if (c === 0x5c) this.state = EQUOTE_BACKSLASH;
          else if (c === 0x27) this.state = EQUOTE_QUOTE;
          return;
        case EQUOTE_BACKSLASH:
          this.state = EQUOTE;
          return;
        case EQUOTE_QUOTE:
          if (c === 0x27) {
            this.state = EQUOTE;
            return;
          }
          this.state = NORMAL;
          continue;
        case DQUOTE:
          if (c === 0x22) this.state = DQUOTE_QUOTE;
          return;
        case DQUOTE_QUOTE:
          if (c === 0x22) {
            this.state = DQUOTE;
            return;
          }
          this.state = NORMAL;
          continue;
        case DOLLAR_OPEN:
          if (c === DOLLAR) {
            this.dollarTag.push(DOLLAR);
            this.dollarMatch = 0;
            this.state = DOLLAR_BODY;
            return;
          }
          if (this.dollarTag.length === 1 ? isIdentStart(c) : isIdentPart(c)) {
            this.dollarTag.push(c);
            return;
          }
          // `$1` or a stray `$`: no dollar quote; what followed is an ordinary token.
          this.state = NORMAL;
          continue;
        case DOLLAR_BODY: {
          const tag = this.dollarTag;
          if (c === tag[this.dollarMatch]) {
            this.dollarMatch++;
            if (this.dollarMatch === tag.length) this.state = NORMAL;
          } else {
            this.dollarMatch = c === DOLLAR ? 1 : 0;
          }
          return;
        }
        case META:
          if (c === NEWLINE) {
            this.state = NORMAL;
            if (!this.metaWordDone) this.hooks.onMetaCommand?.(this.metaWord, this.metaLine);
            return;
          }
          if (!this.metaWordDone) {
            if (isIdentPart(c) && this.metaWord.length < 32) this.metaWord += String.fromCharCode(c).toLowerCase();
            else {
              this.metaWordDone = true;
              this.hooks.onMetaCommand?.(this.metaWord, this.metaLine);
            }
          }
          return;
        default:
          return;
      }
    }
  }

  private normal(buf: Buffer, p: number, c: number): void {
    if (isIdentPart(c) && (c !== DOLLAR || this.inWord)) {
      if (!this.inWord) {
        this.inWord = true;
        this.wordIsIdentifier = isIdentStart(c) && c !== DOLLAR;
        this.word = '';
        this.wordLength = 0;
      }
      if (this.wordLength < 9) this.word += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
      this.wordLength++;
      return;
    }
    const eString = this.inWord && this.wordIsIdentifier && this.wordLength === 1 && this.word === 'e';
    if (c === 0x27 && eString) this.inWord = false; // E'...': the E is no identifier
    this.endWord();
    switch (c) {
      case 0x27:
        this.state = eString || !this.standardStrings ? EQUOTE : SQUOTE;
        return;
      case 0x22:
        this.state = DQUOTE;
        return;
      case DOLLAR:
        this.dollarTag = [DOLLAR];
        this.state = DOLLAR_OPEN;
        return;
      case 0x2d:
        this.state = DASH;
        return;
      case 0x2f:
        this.state = SLASH;
        return;
      case 0x5c:
        this.state = META;
        this.metaWord = '';
        this.metaWordDone = false;
        this.metaLine = this.line;
        return;
      case 0x28:
        this.parenDepth++;
        return;
      case 0x29:
        if (this.parenDepth > 0) this.parenDepth--;
        return;
      case 0x3b:
        if (this.parenDepth === 0 && this.beginDepth === 0) {
          if (this.atStatementStart) return; // an empty statement
          this.endStatement(buf, p);
        }
        return;
      default:
        return;
    }
  }
}
