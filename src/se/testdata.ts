import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode, PgmaskError } from '../errors.js';
import { identityDateValid } from './identity-number.js';
import { luhnValid } from './luhn.js';

/** The two Skatteverket lists pgmask reads. */
export type TestNumberKind = 'personnummer' | 'samordningsnummer';

/** File name of each list in a test-data folder (and in the cache). */
export const TESTDATA_FILES: Readonly<Record<TestNumberKind, string>> = {
  personnummer: 'testpersonnummer.txt',
  samordningsnummer: 'testsamordningsnummer.txt',
};

/** A loaded list: sorted, de-duplicated 12-digit numbers that pass the Luhn and date checks. */
export interface TestNumberList {
  readonly kind: TestNumberKind;
  readonly path: string;
  readonly numbers: readonly string[];
  /** Entries left out: impossible dates, wrong check digits or malformed lines. */
  readonly dropped: number;
}

/** Where to look for test data. */
export interface TestdataLocation {
  /** A rule's `pool_file`: the list itself. */
  readonly file?: string | undefined;
  /** A folder holding both lists (e.g. from `--testdata-dir`); overrides the environment. */
  readonly dir?: string | undefined;
  readonly env?: NodeJS.ProcessEnv | Readonly<Record<string, string | undefined>>;
}

/** The cache folder `pgmask testdata fetch` fills: `$XDG_CACHE_HOME/pgmask` or `~/.cache/pgmask`. */
export function testdataCacheDir(env: TestdataLocation['env'] = process.env): string {
  const xdg = env?.['XDG_CACHE_HOME'];
  return xdg ? join(xdg, 'pgmask') : join(env?.['HOME'] ?? homedir(), '.cache', 'pgmask');
}

/**
 * The lists pgmask ships in its package (`data/skatteverket/`): Skatteverket's open data (CC0),
 * as published on `date`; `pgmask testdata fetch` fetches newer ones into the cache.
 */
export const SHIPPED_TESTDATA = {
  dir: fileURLToPath(new URL('../../data/skatteverket/', import.meta.url)),
  date: new Date('2024-07-01T00:00:00Z'),
} as const;

/** Where a list is read from: a rule's `pool_file`, `--testdata-dir`, PGMASK_TESTDATA_DIR, the cache, or the lists pgmask ships. */
export type TestdataSource = 'pool_file' | 'dir' | 'env' | 'cache' | 'shipped';

/** The list a run reads, and how old it is. */
export interface ResolvedTestdata {
  readonly path: string;
  readonly source: TestdataSource;
  /** When the list was published (shipped) or written (any other file: its modification time); undefined when it is missing. */
  readonly date: Date | undefined;
}

/** A file's modification time, or undefined when it does not exist. */
function modified(path: string): Date | undefined {
  try {
    return statSync(path).mtime;
  } catch {
    return undefined;
  }
}

/**
 * Which list of a kind a run reads: a rule's `pool_file`; else the folder given (`--testdata-dir`);
 * else PGMASK_TESTDATA_DIR; else the cache `pgmask testdata fetch` fills, when it holds a list
 * newer than the shipped one; else the list pgmask ships. A folder given explicitly is used
 * even where it lacks the list (loading it then says so), never silently replaced.
 */
export function resolveTestdata(kind: TestNumberKind, location: TestdataLocation = {}): ResolvedTestdata {
  const explicit = (path: string, source: TestdataSource): ResolvedTestdata => ({ path: resolve(path), source, date: modified(path) });
  if (location.file) return explicit(location.file, 'pool_file');
  if (location.dir) return explicit(join(location.dir, TESTDATA_FILES[kind]), 'dir');
  const env = location.env ?? process.env;
  const fromEnv = env['PGMASK_TESTDATA_DIR'];
  if (fromEnv) return explicit(join(fromEnv, TESTDATA_FILES[kind]), 'env');
  const cached = join(testdataCacheDir(env), TESTDATA_FILES[kind]);
  const cachedDate = modified(cached);
  if (cachedDate && cachedDate > SHIPPED_TESTDATA.date) return { path: cached, source: 'cache', date: cachedDate };
  return { path: join(SHIPPED_TESTDATA.dir, TESTDATA_FILES[kind]), source: 'shipped', date: SHIPPED_TESTDATA.date };
}

/** The path a list is read from (see `resolveTestdata`; it may not exist). */
export function testdataPath(kind: TestNumberKind, location: TestdataLocation = {}): string {
  return resolveTestdata(kind, location).path;
}

/** How a message names where a list comes from. */
export function describeTestdataSource(source: TestdataSource): string {
  switch (source) {
    case 'pool_file':
      return "the rule's pool_file";
    case 'dir':
      return 'the test-data folder given';
    case 'env':
      return 'PGMASK_TESTDATA_DIR';
    case 'cache':
      return 'the cache `pgmask testdata fetch` fills';
    case 'shipped':
      return 'the lists shipped with pgmask';
  }
}

/** Whether a 12-digit string is a usable entry of a list: right shape, right kind, Luhn, possible date. */
export function validTestNumber(kind: TestNumberKind, twelve: string): boolean {
  if (!/^\d{12}$/.test(twelve) || !luhnValid(twelve.slice(2))) return false;
  const year = Number(twelve.slice(0, 4));
  const month = Number(twelve.slice(4, 6));
  const day = Number(twelve.slice(6, 8));
  const isSamordning = day >= 60;
  if (isSamordning !== (kind === 'samordningsnummer')) return false;
  return identityDateValid(kind, year, month, day) && twelve.slice(8, 11) !== '000';
}

/** Parses a list's text: one number per line (`-` allowed), invalid entries dropped and counted. */
export function parseTestNumbers(kind: TestNumberKind, text: string): { numbers: string[]; dropped: number } {
  const seen = new Set<string>();
  let dropped = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim().replace('-', '');
    if (line === '' || line.startsWith('#')) continue;
    if (validTestNumber(kind, line)) seen.add(line);
    else dropped++;
  }
  return { numbers: [...seen].sort(), dropped };
}

/**
 * Loads a Skatteverket test list from where `resolveTestdata` says. A missing or empty list is
 * a PgmaskError (TESTDATA_MISSING, TESTDATA_EMPTY) that says where it looked and what to do.
 * @example loadTestNumbers('personnummer', { env: process.env }).numbers.length
 */
export function loadTestNumbers(kind: TestNumberKind, location: TestdataLocation = {}): TestNumberList {
  const { path, source } = resolveTestdata(kind, location);
  if (!existsSync(path)) {
    const fix =
      source === 'shipped'
        ? 'the pgmask package is incomplete: reinstall it, or run `pgmask testdata fetch`'
        : `point it at a folder that holds ${TESTDATA_FILES[kind]} (\`pgmask testdata fetch --dir DIR\` fills one), or leave it unset to use the lists shipped with pgmask`;
    throw new PgmaskError('TESTDATA_MISSING', `Skatteverket's test ${kind} list was not found at ${path} (${describeTestdataSource(source)}); ${fix}`, ExitCode.validation);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PgmaskError('TESTDATA_UNREADABLE', `cannot read the test ${kind} list ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, ExitCode.validation);
  }
  const { numbers, dropped } = parseTestNumbers(kind, text);
  if (numbers.length === 0) {
    throw new PgmaskError('TESTDATA_EMPTY', `the test ${kind} list ${path} holds no valid number; run \`pgmask testdata fetch\` to download it again`, ExitCode.validation);
  }
  return { kind, path, numbers, dropped };
}

/** For a rule's `pool_file`: the other list is looked for in the same folder first. */
export function siblingLocation(location: TestdataLocation, kind: TestNumberKind): TestdataLocation {
  if (!location.file) return location;
  const sibling = join(dirname(resolve(location.file)), TESTDATA_FILES[kind]);
  return existsSync(sibling) ? { file: sibling } : { dir: location.dir, env: location.env };
}
