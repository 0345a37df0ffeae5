import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { PgmaskError } from '../../src/errors.js';
import { fetchTestdata, SKATTEVERKET_DATASETS } from '../../src/se/fetch-testdata.js';
import { SHIPPED_TESTDATA } from '../../src/se/testdata.js';
import { makeCertificates } from '../support/tls-server.js';
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
    expect(pathIo.stdout.text()).toBe(`${join(dir, 'testpersonnummer.txt')}\n${join(dir, 'testsamordningsnummer.txt')}\n`);
    expect(pathIo.stderr.text()).toMatch(/personnummer: 1,234 numbers from the test-data folder given, dated \d{4}-\d\d-\d\d, today/);
    // The fetch went to the cache folder of HOME: it is newer than the shipped lists, so a run reads it.
    const cacheIo = io();
    expect(await run(['testdata', 'fetch', '--url', base], cacheIo)).toBe(0);
    const readIo = io();
    expect(await run(['testdata', 'path'], readIo)).toBe(0);
    expect(readIo.stdout.text()).toBe(`${join(dir, '.cache', 'pgmask', 'testpersonnummer.txt')}\n${join(dir, '.cache', 'pgmask', 'testsamordningsnummer.txt')}\n`);
    expect(readIo.stderr.text()).toContain('from the cache `pgmask testdata fetch` fills');
    const shippedIo = { ...io(), env: { HOME: mkdtempSync(join(tmpdir(), 'pgmask-cli-empty-')) } };
    expect(await run(['testdata', 'path'], shippedIo)).toBe(0);
    expect(shippedIo.stderr.text()).toMatch(/personnummer: 41,493 numbers from the lists shipped with pgmask, dated 2024-07-01, [\d,]+ day\(s\) old/);
    const missingIo = io();
    expect(await run(['testdata', 'path', '--dir', join(dir, 'nothing')], missingIo)).toBe(1);
    expect(missingIo.stderr.text()).toContain('pgmask testdata fetch --dir DIR');
    const usage = io();
    expect(await run(['testdata', 'frobnicate'], usage)).toBe(2);
  });
});

describe('a failed download says why, and that the lists in use stay', () => {
  it('DNS: a host name that does not resolve', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgmask-fetch-dns-'));
    await expect(fetchTestdata({ dir, baseUrl: 'http://pgmask-no-such-host.invalid/rowstore/dataset' })).rejects.toThrow(/DNS: the host name cannot be resolved \(E[A-Z_]+\)/);
  });

  it('the connection: nothing listens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgmask-fetch-refused-'));
    const closed = createServer();
    const base = await listen(closed);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(fetchTestdata({ dir, baseUrl: base })).rejects.toThrow(/the connection failed \(ECONNREFUSED\)/);
  });

  it("TLS: a certificate the system's roots do not vouch for", async () => {
    const certificates = makeCertificates(mkdtempSync(join(tmpdir(), 'pgmask-fetch-tls-')));
    const server = createHttpsServer({ cert: readFileSync(certificates.serverCert), key: readFileSync(certificates.serverKey) }, (_q, response) => response.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/rowstore/dataset`;
    try {
      await expect(fetchTestdata({ dir: certificates.dir, baseUrl })).rejects.toThrow(/TLS: the server's certificate is not accepted \([A-Z_]+/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('HTTP: the status, and pgmask testdata fetch says which lists it goes on with', async () => {
    const server = createServer((_q, response) => response.writeHead(503).end());
    const base = await listen(server);
    const home = mkdtempSync(join(tmpdir(), 'pgmask-fetch-503-'));
    const stderr = sink();
    try {
      expect(await run(['testdata', 'fetch', '--url', base], { stdout: sink(), stderr, env: { HOME: home }, signal: new AbortController().signal })).toBe(3);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(stderr.text()).toContain('answered HTTP 503');
    expect(stderr.text()).toContain(
      `nothing was written; pgmask goes on with personnummer: ${join(SHIPPED_TESTDATA.dir, 'testpersonnummer.txt')} (the lists shipped with pgmask, dated 2024-07-01`,
    );
    expect(existsSync(join(home, '.cache'))).toBe(true);
    expect(readdirSync(join(home, '.cache', 'pgmask'))).toEqual([]);
  });
});
