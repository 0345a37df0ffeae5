import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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

/** The folder lists are read from when no `pool_file` is given: `dir`, PGMASK_TESTDATA_DIR, or the cache. */
export function testdataDir(location: TestdataLocation = {}): { dir: string; source: 'dir' | 'env' | 'cache' } {
  if (location.dir) return { dir: resolve(location.dir), source: 'dir' };
  const env = location.env ?? process.env;
  const fromEnv = env['PGMASK_TESTDATA_DIR'];
  if (fromEnv) return { dir: resolve(fromEnv), source: 'env' };
  return { dir: testdataCacheDir(env), source: 'cache' };
}

/** The path a list is read from (it may not exist). */
export function testdataPath(kind: TestNumberKind, location: TestdataLocation = {}): string {
  if (location.file) return resolve(location.file);
  return join(testdataDir(location).dir, TESTDATA_FILES[kind]);
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
 * Loads a Skatteverket test list from a rule's `pool_file`, a folder, PGMASK_TESTDATA_DIR or the
 * cache. A missing or empty list is a PgmaskError (TESTDATA_MISSING) that says how to get it.
 * @example loadTestNumbers('personnummer', { env: process.env }).numbers.length
 */
export function loadTestNumbers(kind: TestNumberKind, location: TestdataLocation = {}): TestNumberList {
  const path = testdataPath(kind, location);
  if (!existsSync(path)) {
    const where = location.file ? `pool_file ${path}` : `${path} (${describeSource(location)})`;
    throw new PgmaskError(
      'TESTDATA_MISSING',
      `Skatteverket's test ${kind} list was not found at ${where}; run \`pgmask testdata fetch\` to download it into the cache, or set PGMASK_TESTDATA_DIR to a folder that holds ${TESTDATA_FILES[kind]}`,
      ExitCode.validation,
    );
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

function describeSource(location: TestdataLocation): string {
  const { source } = testdataDir(location);
  return source === 'env' ? 'from PGMASK_TESTDATA_DIR' : source === 'dir' ? 'the test-data folder given' : 'the pgmask cache';
}
