import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TEST_KEY } from '../../support/cli.js';

const bin = fileURLToPath(new URL('../../../bin/pgmask.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pgmask-mask-memory-'));
const MB = 1024 * 1024;
const rules = join(dir, 'rules.yaml');
writeFileSync(
  rules,
  'version: 1\nunlisted: fail\ntables:\n  public.people:\n    columns: { id: keep, email: email, note: keep }\n  public.logs:\n    columns: { id: keep, line: keep }\n',
);

/** A plain-format dump of about `size` bytes, generated as it is read: a masked table, then a kept one. */
function* generatedDump(size: number): Generator<Buffer> {
  yield Buffer.from(
    "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\nCREATE TABLE public.people (\n    id bigint NOT NULL,\n    email text,\n    note text\n);\n\nCREATE TABLE public.logs (\n    id bigint NOT NULL,\n    line text\n);\n\n",
  );
  let id = 0;
  function* block(header: string, row: (i: number) => string, bytes: number): Generator<Buffer> {
    yield Buffer.from(`${header}\n`);
    for (let produced = 0; produced < bytes; ) {
      let text = '';
      while (text.length < 64 * 1024) text += row(++id);
      produced += text.length;
      yield Buffer.from(text);
    }
    yield Buffer.from('\\.\n\n');
  }
  yield* block('COPY public.people (id, email, note) FROM stdin;', (i) => `${i}\tperson.number${i}@mail${i % 7}.se\tkept note for row ${i}, nothing personal\n`, size * 0.55);
  yield* block('COPY public.logs (id, line) FROM stdin;', (i) => `${i}\tGET /api/items/${i} 200 ${i % 997} ms, passed through untouched by any rule\n`, size * 0.45);
  yield Buffer.from("SELECT pg_catalog.setval('public.s', 1, true);\n");
}

interface Run {
  readonly peakKb: number;
  readonly rows: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly leakedChunks: number;
}

/** Streams a generated dump through the built CLI and measures its peak RSS (GNU time, else /proc VmHWM). */
async function maskGenerated(size: number): Promise<Run> {
  const report = join(dir, `report-${size}.json`);
  const args = [bin, 'mask', '--rules', rules, '--report', report];
  const env = { ...process.env, PGMASK_KEY: TEST_KEY };
  const timed = existsSync('/usr/bin/time');
  const child = timed ? spawn('/usr/bin/time', ['-v', process.execPath, ...args], { env }) : spawn(process.execPath, args, { env });
  let polledKb = 0;
  const poll = timed
    ? undefined
    : setInterval(() => {
        try {
          polledKb = Math.max(polledKb, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0));
        } catch {
          // the process has ended
        }
      }, 10);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  let bytesOut = 0;
  let leakedChunks = 0;
  child.stdout.on('data', (c: Buffer) => {
    bytesOut += c.length;
    if (c.includes('@mail')) leakedChunks++;
  });
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await pipeline(Readable.from(generatedDump(size)), child.stdin);
  const code = await closed;
  if (poll) clearInterval(poll);
  expect(stderr).toContain('succeeded');
  expect(code).toBe(0);
  const tables = (JSON.parse(readFileSync(report, 'utf8')) as { tables: { rows: number; bytes: number }[] }).tables;
  const peakKb = timed ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1]) : polledKb;
  expect(peakKb).toBeGreaterThan(0);
  return { peakKb, rows: tables.reduce((n, t) => n + t.rows, 0), bytesIn: tables.reduce((n, t) => n + t.bytes, 0), bytesOut, leakedChunks };
}

describe('pgmask mask memory', () => {
  it('streams a ~200 MB and a ~400 MB dump with the same flat peak RSS', { timeout: 300_000 }, async () => {
    const small = await maskGenerated(1 * MB);
    const medium = await maskGenerated(200 * MB);
    const large = await maskGenerated(400 * MB);
    for (const [run, size] of [
      [medium, 200 * MB],
      [large, 400 * MB],
    ] as const) {
      expect(run.bytesIn).toBeGreaterThan(size * 0.99);
      expect(run.bytesOut).toBeGreaterThan(size * 0.9);
      expect(run.leakedChunks).toBe(0);
    }
    expect(medium.rows).toBeGreaterThan(2_000_000);
    const mb = (kb: number): number => Math.round(kb / 1024);
    const figures = `peak RSS: ${mb(small.peakKb)} MB for 1 MB, ${mb(medium.peakKb)} MB for 200 MB, ${mb(large.peakKb)} MB for 400 MB`;
    // The process's own footprint (modules, transformers, test lists) is what a 1 MB dump needs;
    // data may add only the garbage collector's slack (young generation, buffers awaiting
    // collection), never an amount that grows with the dump.
    expect(medium.peakKb - small.peakKb, figures).toBeLessThan(64 * 1024);
    expect(large.peakKb - medium.peakKb, figures).toBeLessThan(24 * 1024);
  });
});
