import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PgmaskError } from '../../src/errors.js';
import { loadTestNumbers, parseTestNumbers, testdataDir as resolveDir, testdataCacheDir, testdataPath } from '../../src/se/testdata.js';
import { Personnummer, testdataDir } from '../transformers/support.js';

describe('Skatteverket test lists', () => {
  const dir = testdataDir();

  it('loads the personnummer list: every number valid', () => {
    const list = loadTestNumbers('personnummer', { env: { PGMASK_TESTDATA_DIR: dir } });
    expect(list.numbers.length).toBe(41_493);
    expect(list.dropped).toBe(0);
    for (const n of list.numbers.slice(0, 2000)) expect(Personnummer.valid(n)).toBe(true);
    expect(list.numbers).not.toContain('191212121212');
    expect(list.numbers).not.toContain('198112189876');
  });

  it('drops the samordningsnummer with impossible dates', () => {
    const list = loadTestNumbers('samordningsnummer', { env: { PGMASK_TESTDATA_DIR: dir } });
    expect(list.dropped).toBe(24);
    expect(list.numbers.length).toBe(2264 - 24);
    expect(list.numbers.filter((n) => n.slice(4, 6) === '00').length).toBeGreaterThan(100);
  });

  it('drops malformed and impossible entries of a file it is given', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'pgmask-testdata-'));
    const file = join(tmp, 'mine.txt');
    writeFileSync(file, ['189001019802', '19800231-0000', 'hello', '189001019803', '', '# comment', '18900101-9802'].join('\n'));
    const list = loadTestNumbers('personnummer', { file });
    expect(list.numbers).toEqual(['189001019802']);
    expect(list.dropped).toBe(3);
    expect(parseTestNumbers('samordningsnummer', '191401682396\n191404912396\n').numbers).toEqual(['191401682396']);
  });

  it('says how to get a missing list', () => {
    const empty = mkdtempSync(join(tmpdir(), 'pgmask-empty-'));
    try {
      loadTestNumbers('personnummer', { env: { PGMASK_TESTDATA_DIR: empty } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PgmaskError);
      expect((error as PgmaskError).code).toBe('TESTDATA_MISSING');
      expect((error as Error).message).toContain('pgmask testdata fetch');
      expect((error as Error).message).toContain(join(empty, 'testpersonnummer.txt'));
    }
  });

  it('reads from the rule, the folder given, PGMASK_TESTDATA_DIR, then the cache', () => {
    expect(testdataPath('personnummer', { file: '/x/list.txt', env: { PGMASK_TESTDATA_DIR: '/y' } })).toBe('/x/list.txt');
    expect(resolveDir({ dir: '/d', env: { PGMASK_TESTDATA_DIR: '/y' } })).toEqual({ dir: '/d', source: 'dir' });
    expect(resolveDir({ env: { PGMASK_TESTDATA_DIR: '/y' } })).toEqual({ dir: '/y', source: 'env' });
    expect(resolveDir({ env: { HOME: '/home/u' } })).toEqual({ dir: '/home/u/.cache/pgmask', source: 'cache' });
    expect(testdataCacheDir({ XDG_CACHE_HOME: '/c', HOME: '/home/u' })).toBe('/c/pgmask');
    expect(readFileSync(join(dir, 'testpersonnummer.txt'), 'utf8').length).toBeGreaterThan(0);
  });
});
