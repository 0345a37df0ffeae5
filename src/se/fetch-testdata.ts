import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, PgmaskError } from '../errors.js';
import { luhnValid } from './luhn.js';
import { TESTDATA_FILES, type TestNumberKind, validTestNumber } from './testdata.js';

/** Skatteverket's open-data API (entryscape rowstore). */
export const SKATTEVERKET_API = 'https://skatteverket.entryscape.net/rowstore/dataset';

/** The rowstore data set of each list. */
export const SKATTEVERKET_DATASETS: Readonly<Record<TestNumberKind, string>> = {
  personnummer: 'b4de7df7-63c0-4e7e-bb59-1f156a591763',
  samordningsnummer: '9f29fe09-4dbc-4d2f-848f-7cffdd075383',
};

/** Options of `fetchTestdata`. */
export interface FetchTestdataOptions {
  /** Folder to write both lists into (created if missing). */
  readonly dir: string;
  /** API base, e.g. `https://skatteverket.entryscape.net/rowstore/dataset`; the data set id is appended. */
  readonly baseUrl?: string | undefined;
  /** Rows asked for per page (`_limit`). */
  readonly pageSize?: number;
  readonly signal?: AbortSignal | undefined;
  /** Called after each page, for progress output. */
  readonly onProgress?: (kind: TestNumberKind, fetched: number, total: number) => void;
  /** The fetch implementation (defaults to the global one). */
  readonly fetch?: typeof fetch;
}

/** What one list's fetch wrote. */
export interface FetchedList {
  readonly kind: TestNumberKind;
  readonly path: string;
  readonly count: number;
  /** Entries with impossible dates, left out (Skatteverket has called those invalid). */
  readonly dropped: number;
}

interface RowstorePage {
  readonly results?: unknown;
  readonly resultCount?: unknown;
}

/** The 12-digit number in one rowstore row: the one string field that holds 10–13 digits and separators. */
function numberOf(row: unknown): string | undefined {
  if (row === null || typeof row !== 'object') return undefined;
  const record = row as Record<string, unknown>;
  const preferred = Object.keys(record).filter((k) => /nummer/i.test(k));
  for (const key of [...preferred, ...Object.keys(record)]) {
    const value = record[key];
    if (typeof value === 'string' && /^\d{8}-?\d{4}$/.test(value.trim())) return value.trim().replace('-', '');
  }
  return undefined;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

/**
 * Why a request failed, in the terms someone fixing it needs: DNS (no name server answers, or
 * the name does not exist), TLS (the certificate), or the connection itself. fetch reports them
 * all as `TypeError: fetch failed`, with the system's reason in `cause`.
 */
export function whyFetchFailed(error: unknown): string {
  const cause = ((error as { cause?: unknown })?.cause ?? error) as { code?: unknown; message?: unknown; hostname?: unknown };
  const code = typeof cause?.code === 'string' ? cause.code : '';
  const message = typeof cause?.message === 'string' ? cause.message : String(error);
  if (DNS_CODES.has(code)) return `DNS: the host name cannot be resolved (${code}); check the network and its name server`;
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) return `TLS: the server's certificate is not accepted (${code}: ${message})`;
  if (CONNECT_CODES.has(code)) return `the connection failed (${code}); check the network, a proxy or a firewall`;
  return code ? `${message} (${code})` : message;
}

async function fetchList(kind: TestNumberKind, options: FetchTestdataOptions): Promise<{ numbers: string[]; dropped: number }> {
  const base = (options.baseUrl ?? SKATTEVERKET_API).replace(/\/+$/, '');
  const pageSize = options.pageSize ?? 500;
  const doFetch = options.fetch ?? fetch;
  const numbers = new Set<string>();
  let dropped = 0;
  let offset = 0;
  let total = Infinity;
  while (offset < total) {
    const url = `${base}/${SKATTEVERKET_DATASETS[kind]}?_limit=${pageSize}&_offset=${offset}`;
    let page: RowstorePage;
    try {
      const response = await doFetch(url, { signal: options.signal ?? null, headers: { accept: 'application/json' } });
      if (!response.ok) throw new PgmaskError('TESTDATA_FETCH', `cannot download the test ${kind} list: ${url} answered HTTP ${response.status}`);
      page = (await response.json()) as RowstorePage;
    } catch (error) {
      if (error instanceof PgmaskError) throw error;
      if ((error as Error)?.name === 'AbortError') throw new PgmaskError('INTERRUPTED', 'the download was stopped', ExitCode.interrupted, { cause: error });
      throw new PgmaskError('TESTDATA_FETCH', `cannot download the test ${kind} list from ${url}: ${whyFetchFailed(error)}`, ExitCode.runtime, { cause: error });
    }
    if (!Array.isArray(page.results) || typeof page.resultCount !== 'number') {
      throw new PgmaskError('TESTDATA_FETCH', `unexpected answer from ${url}: no results array or resultCount`);
    }
    total = page.resultCount;
    if (page.results.length === 0) break;
    page.results.forEach((row, i) => {
      const n = numberOf(row);
      if (n === undefined || !/^\d{12}$/.test(n)) {
        throw new PgmaskError('TESTDATA_FETCH', `row ${offset + i} of the test ${kind} list holds no 12-digit number`);
      }
      if (!luhnValid(n.slice(2))) {
        throw new PgmaskError('TESTDATA_FETCH', `row ${offset + i} of the test ${kind} list fails the Luhn check; the download looks corrupt`);
      }
      if (validTestNumber(kind, n)) numbers.add(n);
      else dropped++;
    });
    offset += page.results.length;
    options.onProgress?.(kind, offset, total);
  }
  if (numbers.size === 0) throw new PgmaskError('TESTDATA_FETCH', `the test ${kind} list downloaded empty`);
  return { numbers: [...numbers].sort(), dropped };
}

/**
 * Downloads both Skatteverket lists (paged JSON, `_limit`/`_offset`), checks every number
 * (Luhn, date, kind) and writes each atomically (temp file, then rename) into `dir`.
 * @example await fetchTestdata({ dir: testdataCacheDir() })
 */
export async function fetchTestdata(options: FetchTestdataOptions): Promise<FetchedList[]> {
  await mkdir(options.dir, { recursive: true });
  const lists: FetchedList[] = [];
  // Download both before writing either, so a failure leaves the old pair in place.
  const fetched = [];
  for (const kind of ['personnummer', 'samordningsnummer'] as const) fetched.push({ kind, ...(await fetchList(kind, options)) });
  for (const { kind, numbers, dropped } of fetched) {
    const path = join(options.dir, TESTDATA_FILES[kind]);
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, `${numbers.join('\n')}\n`, { mode: 0o644 });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw new PgmaskError('TESTDATA_WRITE', `cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, ExitCode.runtime, { cause: error });
    }
    lists.push({ kind, path, count: numbers.length, dropped });
  }
  return lists;
}
