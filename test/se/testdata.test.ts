import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PgmaskError } from '../../src/errors.js';
import { loadTestNumbers, parseTestNumbers, resolveTestdata, SHIPPED_TESTDATA, testdataCacheDir, testdataPath } from '../../src/se/testdata.js';
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

  it('reads from the rule, the folder given, PGMASK_TESTDATA_DIR, the cache when it is newer than the shipped lists, else the shipped lists', () => {
    expect(testdataPath('personnummer', { file: '/x/list.txt', env: { PGMASK_TESTDATA_DIR: '/y' } })).toBe('/x/list.txt');
    expect(resolveTestdata('personnummer', { dir: '/d', env: { PGMASK_TESTDATA_DIR: '/y' } })).toMatchObject({ path: '/d/testpersonnummer.txt', source: 'dir' });
    expect(resolveTestdata('personnummer', { env: { PGMASK_TESTDATA_DIR: '/y' } })).toMatchObject({ path: '/y/testpersonnummer.txt', source: 'env' });
    expect(testdataCacheDir({ XDG_CACHE_HOME: '/c', HOME: '/home/u' })).toBe('/c/pgmask');

    const home = mkdtempSync(join(tmpdir(), 'pgmask-home-'));
    const env = { HOME: home };
    const shipped = resolveTestdata('samordningsnummer', { env });
    expect(shipped).toEqual({ path: join(SHIPPED_TESTDATA.dir, 'testsamordningsnummer.txt'), source: 'shipped', date: SHIPPED_TESTDATA.date });
    expect(loadTestNumbers('samordningsnummer', { env }).numbers.length).toBe(2264 - 24);

    const cache = join(home, '.cache', 'pgmask');
    mkdirSync(cache, { recursive: true });
    const cached = join(cache, 'testsamordningsnummer.txt');
    writeFileSync(cached, '191401682396\n');
    utimesSync(cached, new Date('2023-01-01'), new Date('2023-01-01'));
    expect(resolveTestdata('samordningsnummer', { env }).source).toBe('shipped');
    utimesSync(cached, new Date(), new Date());
    expect(resolveTestdata('samordningsnummer', { env })).toMatchObject({ path: cached, source: 'cache' });
    expect(loadTestNumbers('samordningsnummer', { env }).numbers).toEqual(['191401682396']);
    expect(resolveTestdata('personnummer', { env }).source).toBe('shipped');
  });

  it('ships both lists as published, with their counts and sha256 in its README', () => {
    const readme = readFileSync(join(SHIPPED_TESTDATA.dir, 'README.md'), 'utf8');
    for (const [file, count] of [
      ['testpersonnummer.txt', '41,493'],
      ['testsamordningsnummer.txt', '2,264'],
    ] as const) {
      const bytes = readFileSync(join(SHIPPED_TESTDATA.dir, file));
      expect(readme).toContain(createHash('sha256').update(bytes).digest('hex'));
      expect(readme).toContain(`| ${file} | ${count} |`);
      expect(bytes.toString('utf8').trim().split('\n').length).toBe(Number(count.replace(',', '')));
    }
    expect(readme).toContain(SHIPPED_TESTDATA.date.toISOString().slice(0, 10));
  });
});
