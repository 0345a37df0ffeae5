import { PassThrough, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../../src/cli/progress-view.js';
import { terminalConfirm } from '../../src/cli/terminal-confirm.js';

/** A terminal as the progress view sees it: a TTY 120 columns wide that keeps every write, in order. */
class FakeTerminal extends Writable {
  readonly isTTY = true;
  readonly columns = 120;
  readonly writes: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.writes.push(chunk.toString());
    callback();
  }

  get text(): string {
    return this.writes.join('');
  }
}

const CURSOR_UP = /\x1b\[\d+A/;
/** A picture's lines without escape sequences. */
const plain = (text: string): string[] =>
  text
    .replace(/\x1b\[\d*[A-Za-z]/g, '')
    .split('\n')
    .filter((l) => l.trim());
/** The last picture the view drew: what follows its last move up. */
const lastPicture = (terminal: FakeTerminal): string[] => plain(terminal.writes.filter((w) => w.includes(' rows')).at(-1)!);

describe('terminalProgress', () => {
  it('shows rows and bytes without a bar or percentage for a table without a row estimate', () => {
    const terminal = new FakeTerminal();
    const view = terminalProgress(terminal, { intervalMs: 60_000 });
    view.planned?.([
      { table: 'public.analysed', rowEstimate: 1000 },
      { table: 'public.fresh', rowEstimate: 0 },
    ]);
    view.phase?.('data');
    view.tableStarted?.('public.analysed');
    view.tableProgress?.('public.analysed', 250, 30_000);
    view.tableStarted?.('public.fresh');
    view.tableProgress?.('public.fresh', 4000, 5 * 1024 * 1024);
    view.stop();
    const [overall, analysed, fresh] = lastPicture(terminal);
    expect(analysed).toMatch(/^ {2}public\.analysed +\[###-{9}\]  25% 250 rows 29\.3 KiB/);
    expect(fresh).toMatch(/^ {2}public\.fresh +4,000 rows 5\.0 MiB/);
    expect(fresh).not.toMatch(/[[%]/);
    // The rows of the table without an estimate do not fill the overall bar.
    expect(overall).toMatch(/^data +\[#{6}-{18}\]  25% 0\/2 tables 4,250 rows 5\.0 MiB/);
  });

  it('draws no overall bar when no table has an estimate, and counts the tables done', () => {
    const terminal = new FakeTerminal();
    const view = terminalProgress(terminal, { intervalMs: 60_000 });
    view.planned?.([
      { table: 'public.a', rowEstimate: 0 },
      { table: 'public.b', rowEstimate: 0 },
    ]);
    view.phase?.('data');
    view.tableStarted?.('public.a');
    view.tableProgress?.('public.a', 10, 2048);
    view.tableFinished?.('public.a', { rows: 10, seconds: 0.1, status: 'copied' });
    view.tableStarted?.('public.b');
    view.tableProgress?.('public.b', 5, 100);
    view.stop();
    const [overall, b] = lastPicture(terminal);
    expect(overall).toMatch(/^data +1\/2 tables 15 rows 2\.1 KiB/);
    expect(overall).not.toMatch(/[[%]|ETA/);
    expect(b).toMatch(/^ {2}public\.b +5 rows 100 B/);
  });

  it('keeps a question readable: clears its picture, draws nothing until the answer, then draws below it', async () => {
    const terminal = new FakeTerminal();
    const input = new PassThrough();
    const view = terminalProgress(terminal, { intervalMs: 10 });
    try {
      view.planned?.([{ table: 'public.customers', rowEstimate: 100 }]);
      view.phase?.('validate');
      await sleep(60);
      expect(terminal.text).toContain('validate');

      const answer = terminalConfirm(view, input, terminal)('1 target table(s) hold rows and will be emptied (first: public.customers). Go on?');
      await sleep(150);
      const asked = terminal.writes.findIndex((w) => w.includes('Go on? [y/N] '));
      expect(asked).toBeGreaterThan(0);
      // Just before the question, the picture was cleared (up over its lines, clear to the end).
      const drawing = terminal.writes.slice(0, asked).filter((w) => CURSOR_UP.test(w) || w.includes(' rows'));
      expect(drawing.at(-1)).toBe('\x1b[1A\x1b[J');
      // Fifteen intervals later, nothing has been drawn over it.
      expect(terminal.writes.slice(asked).join('')).not.toContain('validate');

      input.write('y\n');
      expect(await answer).toBe(true);
      const answered = terminal.writes.length;
      await sleep(60);
      const after = terminal.writes.slice(answered);
      expect(after.join('')).toContain('validate');
      // The first picture after the answer starts below it: it does not move up over it.
      expect(after[0]).not.toMatch(CURSOR_UP);
    } finally {
      view.stop();
      input.end();
    }
  });

  it('takes anything but y or yes as no', async () => {
    const terminal = new FakeTerminal();
    const view = terminalProgress(terminal, { intervalMs: 60_000 });
    try {
      for (const [typed, expected] of [
        ['yes', true],
        ['Y', true],
        ['', false],
        ['no', false],
        ['yep', false],
      ] as const) {
        const input = new PassThrough();
        const answer = terminalConfirm(view, input, terminal)('Go on?');
        input.write(`${typed}\n`);
        expect(await answer, typed).toBe(expected);
        input.end();
      }
    } finally {
      view.stop();
    }
  });
});
