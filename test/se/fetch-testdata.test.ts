import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { PgmaskError } from '../../src/errors.js';
import { fetchTestdata, SKATTEVERKET_DATASETS } from '../../src/se/fetch-testdata.js';
import { testdataDir } from '../transformers/support.js';

const lists = {
  personnummer: readFileSync(join(testdataDir(), 'testpersonnummer.txt'), 'utf8').trim().split('\n').slice(0, 1234),
  samordningsnummer: readFileSync(join(testdataDir(), 'testsamordningsnummer.txt'), 'utf8').trim().split('\n'),
};

/** A local stand-in for Skatteverket's rowstore: paged JSON, `_limit` and `_offset`. */
function rowstore(data: Record<string, string[]>, field: Record<string, string>): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const id = url.pathname.split('/').pop()!;
    const rows = data[id];
    if (!rows || url.pathname !== `/rowstore/dataset/${id}`) {
      response.writeHead(404).end();
      return;
    }
    const limit = Number(url.searchParams.get('_limit') ?? 100);
    const offset = Number(url.searchParams.get('_offset') ?? 0);
    const results = rows.slice(offset, offset + limit).map((n) => ({ [field[id]!]: n }));
    const next = offset + limit < rows.length ? `${url.origin}${url.pathname}?_limit=${limit}&_offset=${offset + limit}` : undefined;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ offset, limit, resultCount: rows.length, results, ...(next ? { next } : {}) }));
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/rowstore/dataset`;
}

const P = SKATTEVERKET_DATASETS.personnummer;
const S = SKATTEVERKET_DATASETS.samordningsnummer;
const fields = { [P]: 'testpersonnummer', [S]: 'testsamordningsnummer' };

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { text: () => string };
  w.text = () => chunks.join('');
  return w;
}

describe('fetchTestdata against a local rowstore', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = rowstore({ [P]: lists.personnummer, [S]: lists.samordningsnummer }, fields);
    base = await listen(server);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('pages through both lists, checks every number and writes them atomically', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pgmask-fetch-')), 'nested');
    const pages: number[] = [];
    const written = await fetchTestdata({ dir, baseUrl: base, pageSize: 100, onProgress: (_k, fetched) => pages.push(fetched) });
    expect(written.map((w) => [w.kind, w.count, w.dropped])).toEqual([
      ['personnummer', 1234, 0],
      ['samordningsnummer', 2264 - 24, 24],
    ]);
    expect(pages.slice(0, 13)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1234]);
    expect(readFileSync(join(dir, 'testpersonnummer.txt'), 'utf8').trim().split('\n')).toEqual([...lists.personnummer].sort());
    expect(readdirSync(dir).sort()).toEqual(['testpersonnummer.txt', 'testsamordningsnummer.txt']);
  });

  it('refuses a download with a number that fails the Luhn check, and leaves the old files alone', async () => {
    const bad = rowstore({ [P]: ['189001019802', '189001019803'], [S]: lists.samordningsnummer }, fields);
    const badBase = await listen(bad);
    const dir = mkdtempSync(join(tmpdir(), 'pgmask-fetch-bad-'));
    await expect(fetchTestdata({ dir, baseUrl: badBase })).rejects.toThrow(/row 1 of the test personnummer list fails the Luhn check/);
    expect(existsSync(join(dir, 'testpersonnummer.txt'))).toBe(false);
    await new Promise<void>((resolve) => bad.close(() => resolve()));
  });

  it('reports an HTTP error or an unexpected answer clearly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgmask-fetch-404-'));
    await expect(fetchTestdata({ dir, baseUrl: `${base}/nothing-here` })).rejects.toThrow(/answered HTTP 404/);
    const odd = createServer((_q, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"rows": []}'));
    const oddBase = await listen(odd);
    await expect(fetchTestdata({ dir, baseUrl: oddBase })).rejects.toThrow(PgmaskError);
    await expect(fetchTestdata({ dir, baseUrl: oddBase })).rejects.toThrow(/no results array or resultCount/);
    await new Promise<void>((resolve) => odd.close(() => resolve()));
    await expect(fetchTestdata({ dir, baseUrl: 'http://127.0.0.1:1/rowstore/dataset' })).rejects.toThrow(/cannot download the test personnummer list/);
  });

  it('pgmask testdata fetch --dir --url, then pgmask testdata path --dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgmask-cli-'));
    const io = () => ({ stdout: sink(), stderr: sink(), env: { HOME: dir }, signal: new AbortController().signal });
    const fetchIo = io();
    expect(await run(['testdata', 'fetch', '--dir', dir, '--url', base], fetchIo)).toBe(0);
    expect(fetchIo.stdout.text()).toContain(`${join(dir, 'testpersonnummer.txt')}: 1234 test personnummer`);
    const pathIo = io();
    expect(await run(['testdata', 'path', '--dir', dir], pathIo)).toBe(0);
    expect(pathIo.stdout.text()).toBe(`${dir}\n`);
    expect(pathIo.stderr.text()).toContain('testpersonnummer.txt: 1234 numbers');
    const cacheIo = io();
    expect(await run(['testdata', 'path'], cacheIo)).toBe(1);
    expect(cacheIo.stdout.text()).toBe(`${join(dir, '.cache', 'pgmask')}\n`);
    expect(cacheIo.stderr.text()).toContain('pgmask testdata fetch');
    const usage = io();
    expect(await run(['testdata', 'frobnicate'], usage)).toBe(2);
  });
});
