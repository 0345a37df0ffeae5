import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openOutput } from '../../src/cli/output-file.js';
import { writeFileAtomic } from '../../src/cli/write-atomic.js';

const dir = mkdtempSync(join(tmpdir(), 'pgmask-out-'));

describe('--out and --report files', () => {
  it('appear only on commit, never half-written', async () => {
    const path = join(dir, 'dump.sql');
    const output = openOutput(path, process.stdout);
    output.stream.write('SELECT 1;\n');
    expect(existsSync(path)).toBe(false);
    await output.commit();
    expect(readFileSync(path, 'utf8')).toBe('SELECT 1;\n');

    const failed = openOutput(join(dir, 'failed.sql'), process.stdout);
    failed.stream.write('partial');
    await failed.discard();
    expect(readdirSync(dir).filter((f) => f.startsWith('failed.sql'))).toEqual([]);
  });

  it('write into a pipe or a device in place instead of renaming over it', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let read = '';
    reader.stdout.on('data', (c: Buffer) => (read += c.toString()));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    const output = openOutput(fifo, process.stdout);
    output.stream.write('through the pipe\n');
    await output.commit();
    await closed;
    expect(read).toBe('through the pipe\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);

    await writeFileAtomic('/dev/null', '{}\n');
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });
});
