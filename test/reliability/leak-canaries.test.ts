import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { localeData } from '../../src/random/faker.js';
import { luhnCheckDigit } from '../../src/se/luhn.js';
import { COMMON_WORD_NAMES, NOT_NAMES } from '../../src/transformers/helpers/name-words.js';
import { type CliResult, runCli } from '../support/cli.js';
import { createDatabase, type TestDatabase, useDatabase } from '../support/database.js';
import { needsPgDump } from '../support/pg-dump.js';
import { psqlRestore } from '../support/pg-tools.js';
import { testdataDir } from '../transformers/support.js';
import { canariesIn, canariesInFiles, databaseText, tempDir, writeFile } from './support.js';

/**
 * Leak canaries: every personal value of a rich fixture holds a unique canary string, also the
 * ones people write into free text: the row's own name in another case and order, names of
 * people no column holds, and numbers that read both as a phone number and as a personnummer.
 * After `copy`, `dump` and `mask`, no canary may appear in the target (a full pg_dump of it), on
 * stdout or stderr, in the report, or in any file pgmask left behind.
 */

const ROWS = 300;
const testList = new Set(readFileSync(join(testdataDir(), 'testpersonnummer.txt'), 'utf8').split(/\s+/));

/** A Luhn-valid personnummer (12 digits) of a real-looking birth date that is not on Skatteverket's test list. */
function personnummer(i: number, salt: number): string {
  for (let serial = (i * 7 + salt * 131) % 900; ; serial = (serial + 1) % 900) {
    const year = 1940 + ((i * 13 + salt) % 60);
    const month = 1 + ((i + salt) % 12);
    const day = 1 + ((i * 3 + salt) % 28);
    const yymmdd = `${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    const nine = `${yymmdd}${String(100 + serial).padStart(3, '0')}`;
    const twelve = `${year}${nine.slice(2)}${luhnCheckDigit(nine)}`;
    if (!testList.has(twelve)) return twelve;
  }
}

/** A valid Swedish IBAN (bank 5000) whose account part is the canary. */
function iban(i: number): string {
  const bban = `5000${String(9_1234_5678_9012 + i * 7919).padStart(16, '0')}`;
  const numeric = `${bban}2814` + '00'; // S=28, E=14, check digits 00
  let mod = 0;
  for (const d of numeric) mod = (mod * 10 + Number(d)) % 97;
  const check = String(98 - mod).padStart(2, '0');
  return `SE${check}${bban}`;
}

/** A personnummer born in 2007 whose 10-digit form is also a mobile number (07MMDDNNNC), not on the test list. */
function mobileLikePersonnummer(i: number): string {
  const yymmdd = `07${String(1 + (i % 12)).padStart(2, '0')}${String(1 + ((i * 5) % 28)).padStart(2, '0')}`;
  for (let serial = 100 + ((i * 37) % 800); ; serial++) {
    const nine = `${yymmdd}${serial}`;
    const twelve = `20${nine}${luhnCheckDigit(nine)}`;
    if (!testList.has(twelve)) return twelve;
  }
}

/**
 * Names of people no column holds, written into free text: faker's English names that its
 * Swedish lists (where pseudonyms come from) lack, long enough to be searched for alone, and no
 * common word (`Will`) or place.
 */
const swedish = [...localeData.firstNames.female, ...localeData.firstNames.male, ...localeData.lastNames].flatMap((n) => [
  n.toLowerCase(),
  n.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase(),
]);
// A name inside a pseudonym or a pseudonym's e-mail address (`Kristin` in `Kristina`, `Bergstrom` in `bergstrom`) would be no leak.
const textName = (list: readonly string[]): string[] =>
  list.filter(
    (n) =>
      n.length >= 7 &&
      /^\p{Lu}\p{Ll}+$/u.test(n) &&
      !swedish.some((sv) => sv.includes(n.toLowerCase())) &&
      !COMMON_WORD_NAMES.has(n.toLowerCase()) &&
      !NOT_NAMES.has(n.toLowerCase()),
  );
const TEXT_FIRST = textName(localeData.names.female.filter((n) => !localeData.names.male.includes(n)));
const TEXT_LAST = textName(localeData.names.last);

/** The forms a personnummer may be written in, each a canary. */
const pnrForms = (twelve: string): string[] => [twelve, `${twelve.slice(0, 8)}-${twelve.slice(8)}`, twelve.slice(2), `${twelve.slice(2, 8)}-${twelve.slice(8)}`];

interface Row {
  id: number;
  personnummer: string;
  pnr_short: string;
  pnr_num: string;
  first_name: string;
  last_name: string;
  full_name: string;
  email: string;
  phone: string;
  street: string;
  city: string;
  notes: string;
  profile: string;
  extra: string;
  emails: string;
  phones: string;
  photo: string;
}

/**
 * The rows, every canary form to search for (a personnummer in each of its spellings), and the
 * canaries as written in the source (which a search of the source must find).
 */
function fixture(): { rows: Row[]; canaries: string[]; written: string[] } {
  const rows: Row[] = [];
  const canaries: string[] = [];
  const written: string[] = [];
  const canary = <T extends string>(value: T, ...tokens: string[]): T => {
    canaries.push(...(tokens.length ? tokens : [value]));
    written.push(tokens.find((t) => value.toLowerCase().includes(t.toLowerCase())) ?? value);
    return value;
  };
  for (let i = 1; i <= ROWS; i++) {
    const pnr = [0, 1, 2, 3, 4].map((salt) => personnummer(i, salt));
    const phone = (k: number): string => `070${String(3_000_000 + i * 10 + k).padStart(7, '0')}`;
    const ibanText = iban(i);
    const grouped = ibanText.replace(/(.{4})/g, '$1 ').trim();
    const first = TEXT_FIRST[(i * 7) % TEXT_FIRST.length]!;
    const last = TEXT_LAST[(i * 11) % TEXT_LAST.length]!;
    // A bare mobile number that is also a possible date, and a personnummer of that shape after a marker.
    const mobile = mobileLikePersonnummer(i + 1000).slice(2);
    const marked = mobileLikePersonnummer(i);
    rows.push({
      id: i,
      personnummer: canary(`${pnr[0]!.slice(0, 8)}-${pnr[0]!.slice(8)}`, ...pnrForms(pnr[0]!)),
      pnr_short: canary(`${pnr[1]!.slice(2, 8)}-${pnr[1]!.slice(8)}`, ...pnrForms(pnr[1]!)),
      pnr_num: canary(pnr[2]!, ...pnrForms(pnr[2]!)),
      first_name: canary(`CnryF${i}X`),
      last_name: canary(`CnryL${i}X`),
      full_name: `${canary(`CnryG${i}X`)} ${canary(`CnryH${i}X`)}`,
      email: canary(`cnrye${i}x@corp.se`, `cnrye${i}x`),
      phone: canary(phone(0)),
      street: `${canary(`CnryS${i}X`)}vägen ${i}`,
      city: canary(`CnryC${i}X`),
      notes:
        `Kunden ringde.\tSvara ${canary(`${pnr[3]!.slice(2, 8)}-${pnr[3]!.slice(8)}`, ...pnrForms(pnr[3]!))} via ${canary(`cnryn${i}x@corp.se`, `cnryn${i}x`)}\neller ${canary(`${phone(1).slice(0, 3)}-${phone(1).slice(3)}`)}; konto ${canary(grouped, grouped, ibanText)}.` +
        // The row's own name in another case and order, someone no column holds, and numbers in both readings.
        ` Kontakt: CNRYH${i}X, cnryg${i}x. Pratade med ${canary(`${first} ${last}`, `${first} ${last}`, first, last)} om ${first}s order.` +
        ` Ring ${canary(mobile)} eller pnr ${canary(marked.slice(2), ...pnrForms(marked))}.`,
      profile: JSON.stringify({
        contact: { email: canary(`cnryp${i}x@corp.se`, `cnryp${i}x`), phones: [canary(phone(2)), canary(phone(3))] },
        names: [{ first: canary(`CnryP${i}X`) }, { first: canary(`CnryQ${i}X`) }],
        note: `Ring ${canary(pnr[4]!, ...pnrForms(pnr[4]!))}, fråga efter cnryf${i}x`,
        plan: 'gold',
      }),
      extra: `{"ssn" : "${canary(`${pnr[2]!.slice(2, 8)}-${pnr[2]!.slice(8)}`)}", "n": 1.50}`,
      emails: `{${canary(`cnrya${i}x@corp.se`, `cnrya${i}x`)},NULL,"${canary(`cnryb${i}x@corp.se`, `cnryb${i}x`)}"}`,
      phones: `{${canary(phone(4))}}`,
      photo: `\\x${canary(Buffer.from(`CnryB${i}X-photo`).toString('hex'))}`,
    });
  }
  const lower = (list: string[]): string[] => [...new Set(list.map((c) => c.toLowerCase()))];
  return { rows, canaries: lower(canaries), written: lower(written) };
}

const SCHEMA = `
  CREATE SCHEMA leak;
  CREATE TABLE leak.people (
    id int PRIMARY KEY,
    personnummer text NOT NULL UNIQUE,
    pnr_short text,
    pnr_num bigint,
    first_name text NOT NULL,
    last_name text NOT NULL,
    full_name text,
    email text NOT NULL UNIQUE,
    phone text,
    street text,
    city text,
    birth_date date,
    notes text,
    profile jsonb,
    extra json,
    emails text[],
    phones text[],
    photo bytea
  );
  CREATE TABLE leak.signups (email text PRIMARY KEY, person_id int REFERENCES leak.people (id));`;

const RULES = `version: 1
unlisted: fail
tables:
  leak.people:
    columns:
      id: keep
      personnummer: { transform: se.personnummer, unique: true }
      pnr_short: se.personnummer
      pnr_num: se.personnummer
      first_name: person.first_name
      last_name: person.last_name
      full_name: person.full_name
      email: { transform: email, unique: true }
      phone: se.phone
      street: address.street
      city: address.city
      birth_date: { transform: se.birth_date, from: personnummer }
      notes: text.scrub
      profile:
        transform: json
        paths:
          "$.contact.email": email
          "$.contact.phones[*]": se.phone
          "$.names[*].first": person.first_name
          "$.note": text.scrub
      extra: { transform: json, paths: { "$.ssn": se.personnummer } }
      emails: { transform: array, element: email }
      phones: { transform: array, element: se.phone }
      photo: { transform: hash, length: 32 }
  leak.signups:
    columns:
      email: { transform: email, unique: true }
      person_id: keep
`;

describe('leak canaries', async () => {
  const source = await useDatabase('pgmask_leak_src');
  const { rows, canaries, written } = fixture();
  const dir = tempDir('leak');
  const rulesFile = writeFile(dir, 'rules.yaml', RULES);
  const pgDump = await needsPgDump();

  beforeAll(async () => {
    await source.query(SCHEMA);
    const columns = Object.keys(rows[0]!) as (keyof Row)[];
    for (const row of rows) {
      await source.query(`INSERT INTO leak.people (${columns.join(', ')}, birth_date) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}, $${columns.length + 1})`, [
        ...columns.map((c) => row[c]),
        `${row.personnummer.slice(0, 4)}-${row.personnummer.slice(4, 6)}-${row.personnummer.slice(6, 8)}`,
      ]);
    }
    await source.query('INSERT INTO leak.signups SELECT email, id FROM leak.people WHERE id % 3 = 0');
    // The canaries are there to be found: the search itself works.
    const text = (await databaseText(source)).toLowerCase();
    expect(written.filter((c) => !text.includes(c)).slice(0, 20)).toEqual([]);
    expect(written.length).toBeGreaterThanOrEqual(ROWS * 25);
  });

  /** Every place a run may have left a value: its output, its report, the files under its folders, the target. */
  async function expectNoCanary(result: CliResult, folders: readonly string[], target?: TestDatabase): Promise<void> {
    expect(canariesIn(result.stdout.toLowerCase(), canaries), 'stdout').toEqual([]);
    expect(canariesIn(result.stderr.toLowerCase(), canaries), 'stderr').toEqual([]);
    expect(
      canariesInFiles(
        folders,
        canaries.map((c) => c),
      ),
      'files',
    ).toEqual([]);
    if (target) {
      const text = (await databaseText(target)).toLowerCase();
      expect(text).toContain('example.com'); // masked rows are there
      expect(canariesIn(text, canaries), 'target database').toEqual([]);
    }
  }

  /** A folder for one run's files, and TMPDIR pointing into it. */
  function runFolder(name: string): { dir: string; env: NodeJS.ProcessEnv } {
    const folder = tempDir(`leak-${name}`);
    const tmp = tempDir(`leak-${name}-tmp`);
    return { dir: folder, env: { TMPDIR: tmp } };
  }

  it('copy --schema existing: no canary in the target, the output, the report or any file', async () => {
    const target = await createDatabase('pgmask_leak_dst');
    const run = runFolder('existing');
    try {
      await target.query(SCHEMA);
      const result = await runCli(
        ['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--schema', 'existing', '--report', join(run.dir, 'report.json')],
        { env: run.env },
      );
      expect(result.stderr).toContain('succeeded');
      expect(result.code).toBe(0);
      expect(await target.query('SELECT count(*)::int AS n, count(DISTINCT email)::int AS emails FROM leak.people')).toEqual([{ n: ROWS, emails: ROWS }]);
      expect(await target.query('SELECT count(*)::int AS n FROM leak.signups s JOIN leak.people p ON p.email = s.email AND p.id = s.person_id')).toEqual([{ n: ROWS / 3 }]);
      await expectNoCanary(result, [run.dir, run.env['TMPDIR']!], target);
    } finally {
      await target.drop();
    }
  });

  it('copy --schema create: no canary in the target, the output, the report or any file', pgDump, async () => {
    const target = await createDatabase('pgmask_leak_dst');
    const run = runFolder('create');
    try {
      const result = await runCli(['copy', '--source', source.url, '--target', target.url, '--rules', rulesFile, '--schema', 'create', '--report', join(run.dir, 'report.json')], {
        env: run.env,
      });
      expect(result.stderr).toContain('succeeded');
      expect(result.code).toBe(0);
      expect(await target.query('SELECT count(*)::int AS n FROM leak.people')).toEqual([{ n: ROWS }]);
      await expectNoCanary(result, [run.dir, run.env['TMPDIR']!], target);
    } finally {
      await target.drop();
    }
  });

  it('dump: no canary in the dump file, the output, the report or any file; the dump restores', pgDump, async () => {
    const run = runFolder('dump');
    const out = join(run.dir, 'masked.sql');
    const result = await runCli(['dump', '--source', source.url, '--rules', rulesFile, '--out', out, '--report', join(run.dir, 'report.json')], { env: run.env });
    expect(result.stderr).toContain('succeeded');
    expect(result.code).toBe(0);
    await expectNoCanary(result, [run.dir, run.env['TMPDIR']!]);
    const target = await createDatabase('pgmask_leak_dst');
    try {
      expect(await psqlRestore(target.url, readFileSync(out))).toEqual({ code: 0, stderr: '' });
      await expectNoCanary({ ...result, stderr: '', stdout: '' }, [], target);
    } finally {
      await target.drop();
    }
  });

  it('mask (stdin to stdout): no canary in the masked stream, stderr, the report or any file', pgDump, async () => {
    const input = join(tempDir('leak-mask-in'), 'plain.sql');
    execFileSync('pg_dump', ['--no-owner', '--file', input, '--dbname', source.url]);
    const run = runFolder('mask');
    const result = await runCli(['mask', '--rules', rulesFile, '--report', join(run.dir, 'report.json')], { env: run.env, input: readFileSync(input, 'utf8') });
    expect(result.stderr).toContain('succeeded');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^COPY leak\.people /m);
    await expectNoCanary(result, [run.dir, run.env['TMPDIR']!]);
    const out = join(run.dir, 'masked.sql');
    const toFile = await runCli(['mask', '--rules', rulesFile, '--in', input, '--out', out], { env: run.env });
    expect(toFile.code).toBe(0);
    await expectNoCanary(toFile, [run.dir, run.env['TMPDIR']!]);
  });

  describe('a unique violation on the target carries the value in its DETAIL: pgmask prints the error without it', () => {
    /** Values of a kept column: not personal by the rules, so they stand in for any value a DETAIL may quote. */
    const DETAIL_CANARIES = ['detailcanary-first', 'detailcanary-second-line'];
    const badgeRules = writeFile(
      dir,
      'badges.yaml',
      'version: 1\nunlisted: keep\ntables:\n  badges.members:\n    columns:\n      id: keep\n      team: keep\n      name: redact\n',
    );

    it('COPY path (--schema existing, a unique index only the target has)', async () => {
      const src = await createDatabase('pgmask_leak_detail_src');
      const target = await createDatabase('pgmask_leak_detail_dst');
      const run = runFolder('detail-copy');
      try {
        const ddl = 'CREATE SCHEMA badges; CREATE TABLE badges.members (id int PRIMARY KEY, team text NOT NULL, name text NOT NULL);';
        await src.query(ddl);
        await src.query(`INSERT INTO badges.members VALUES (1, $1, 'Anna'), (2, $1, 'Bo')`, [`${DETAIL_CANARIES[0]}\n${DETAIL_CANARIES[1]}`]);
        await target.query(`${ddl} CREATE UNIQUE INDEX members_team_key ON badges.members (team);`);
        const report = join(run.dir, 'report.json');
        const result = await runCli(['copy', '--source', src.url, '--target', target.url, '--rules', badgeRules, '--schema', 'existing', '--report', report], { env: run.env });
        expect(result.code).toBe(3);
        expect(result.stderr).toMatch(/table badges\.members: duplicate key value violates unique constraint "members_team_key"/);
        expect(canariesIn(result.stdout + result.stderr, DETAIL_CANARIES)).toEqual([]);
        expect(canariesInFiles([run.dir, run.env['TMPDIR']!], DETAIL_CANARIES)).toEqual([]);
        expect(readFileSync(report, 'utf8')).toMatch(/members_team_key/);
        expect(await target.query('SELECT count(*)::int AS n FROM badges.members')).toEqual([{ n: 0 }]);
      } finally {
        await target.drop();
        await src.drop();
      }
    });

    it('post-data index build (--schema create): the error names the table', pgDump, async () => {
      const src = await createDatabase('pgmask_leak_detail_src');
      const target = await createDatabase('pgmask_leak_detail_dst');
      const run = runFolder('detail-create');
      try {
        await src.query('CREATE SCHEMA badges; CREATE TABLE badges.members (id int PRIMARY KEY, team text NOT NULL, name text NOT NULL, UNIQUE (team, name));');
        await src.query(`INSERT INTO badges.members VALUES (1, $1, 'Anna'), (2, $1, 'Bo')`, [`${DETAIL_CANARIES[0]}\n${DETAIL_CANARIES[1]}`]);
        const report = join(run.dir, 'report.json');
        const result = await runCli(['copy', '--source', src.url, '--target', target.url, '--rules', badgeRules, '--schema', 'create', '--report', report], { env: run.env });
        expect(result.code).toBe(3);
        expect(result.stderr).toMatch(/table badges\.members: could not create unique index "members_team_name_key"/);
        expect(JSON.parse(readFileSync(report, 'utf8')).error).toMatchObject({ table: 'badges.members' });
        expect(canariesIn(result.stdout + result.stderr, DETAIL_CANARIES)).toEqual([]);
        expect(canariesInFiles([run.dir, run.env['TMPDIR']!], DETAIL_CANARIES)).toEqual([]);
        expect(await target.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'badges'")).toEqual([{ n: 0 }]);
      } finally {
        await target.drop();
        await src.drop();
      }
    });
  });
});
