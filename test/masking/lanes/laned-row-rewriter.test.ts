import { Readable, type Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay, setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../src/config/parse-rules.js';
import { createRowRewriter } from '../../../src/copy/row-rewriter.js';
import { LanedRowRewriter } from '../../../src/masking/lanes/laned-row-rewriter.js';
import type { MaskingSession } from '../../../src/masking/masking-session.js';
import { RowMasker } from '../../../src/masking/row-masker.js';
import { type MaskedRule, maskedRule } from '../../../src/masking/table-masker.js';
import { encodeRows, type Row } from '../../copy/helpers.js';
import { ROWS } from '../../copy/tricky-rows.js';
import { session } from '../../transformers/support.js';

const COLUMNS = ['id', 'personnummer', 'first_name', 'email', 'phone', 'street', 'notes', 'metadata', 'tricky'];
const RULES = `version: 1
unlisted: fail
tables:
  public.people:
    columns:
      id: keep
      personnummer: { transform: se.personnummer, unique: true }
      first_name: { transform: person.first_name, sex_from: personnummer }
      email: { transform: email, unique: true }
      phone: se.phone
      street: address.street
      notes: text.scrub
      metadata: { transform: json, paths: { "$.contact.email": email } }
      tricky: { transform: redact }
`;
const rules = parseRules(RULES, 'rules.yaml').rules!.tables.get('public.people')!.columns;

function masker(masking: MaskingSession): RowMasker<MaskedRule> {
  const masked = COLUMNS.flatMap((name, index) => {
    const rule = rules.get(name)!;
    return rule.transform === 'keep' ? [] : [maskedRule(masking, index, rule, { table: 'public.people', column: name, family: name === 'metadata' ? 'json' : 'text' })];
  });
  return new RowMasker<MaskedRule>('public.people', COLUMNS, masked);
}

/** Rows with repeated e-mails and personnummer (uniqueness at work), NULLs, escapes and other scripts. */
function people(count: number, badJsonAt?: number): Row[] {
  const rows: Row[] = [];
  for (let i = 1; i <= count; i++) {
    const tricky = ROWS[i % ROWS.length]!;
    const pnr = i % 11 === 0 ? null : `19${String(40 + (i % 60)).padStart(2, '0')}0${1 + (i % 9)}1${i % 10}-${String(1000 + ((i * 37) % 9000))}`;
    rows.push([
      String(i),
      pnr,
      i % 13 === 0 ? null : `Förnamn ${i % 97}`,
      `person${i % 700}@exempel.se`,
      i % 7 === 0 ? '' : `070-${String(1000000 + i).slice(1)}`,
      `Storgatan ${i}\tlgh ${i % 5}`,
      i % 5 === 0 ? null : `ring 08-${String(100000 + i)} eller skriv till p${i}@firma.se\nmvh`,
      i === badJsonAt ? '{"contact": ' : JSON.stringify({ contact: { email: `p${i % 300}@firma.se` }, n: i, note: tricky[1] }),
      tricky[(i + 2) % tricky.length] ?? null,
    ]);
  }
  return rows;
}

/**
 * Runs COPY text through a stage in uneven chunks, letting the event loop turn between them as
 * a socket would. Past `minBytes`, slows down until a LanedRowRewriter's thread takes rows, so
 * that most rows go through both threads however long the thread takes to start.
 */
async function run(stage: Transform, data: Buffer, minBytes = 0, chunk = 997): Promise<Buffer> {
  const out: Buffer[] = [];
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let at = 0; at < data.length; at += chunk) {
      await tick();
      if (stage instanceof LanedRowRewriter && !stage.laned && at > minBytes) await delay(10);
      yield data.subarray(at, at + chunk);
    }
  }
  await pipeline(
    Readable.from(chunks()),
    stage,
    new Writable({
      write(c: Buffer, _encoding, callback) {
        out.push(c);
        callback();
      },
    }),
  );
  return Buffer.concat(out);
}

function plain(masking: MaskingSession): Transform {
  const m = masker(masking);
  return createRowRewriter({ table: 'public.people', columns: COLUMNS.length, rewrite: (row) => m.mask(row) });
}

describe('LanedRowRewriter', () => {
  const data = encodeRows(people(4000));

  for (const [label, minBytes] of [
    ['from the first row', 0],
    ['from a third of the way in', Math.floor(data.length / 3)],
  ] as const) {
    it(`writes byte for byte what one thread writes, masking on two threads ${label}`, async () => {
      const expected = await run(plain(session()), data);
      const masking = session();
      const laned = new LanedRowRewriter({ masker: masker(masking), session: masking, minBytes });
      const actual = await run(laned, data, minBytes);
      expect(laned.laned).toBe(true);
      expect(laned.rows).toBe(4000);
      expect(actual.length).toBe(expected.length);
      expect(actual.equals(expected)).toBe(true);
    });
  }

  it('names table, column and line of a value the masking thread cannot mask, as one thread does, without the value', async () => {
    const bad = encodeRows(people(3000, 2500));
    const oneThread = await run(plain(session()), bad).catch((error: Error) => error);
    const masking = session();
    const laned = new LanedRowRewriter({ masker: masker(masking), session: masking, minBytes: 0 });
    const twoThreads = await run(laned, bad).catch((error: Error) => error);
    expect(laned.laned).toBe(true);
    expect(oneThread).toBeInstanceOf(Error);
    expect((oneThread as Error).message).toMatch(/table public\.people, column metadata, line 2500/);
    expect((twoThreads as Error).message).toBe((oneThread as Error).message);
    expect((twoThreads as Error).message).not.toContain('contact');
  });

  it('refuses a row with the wrong number of fields at its line and offset, as one thread does', async () => {
    const rows = encodeRows(people(3000));
    const cutAt = rows.indexOf('\n2800\t') + 1;
    const bad = Buffer.concat([rows.subarray(0, cutAt), Buffer.from('2800\tonly two\n'), rows.subarray(cutAt)]);
    const oneThread = await run(plain(session()), bad).catch((error: Error) => error);
    const masking = session();
    const twoThreads = await run(new LanedRowRewriter({ masker: masker(masking), session: masking, minBytes: 0 }), bad).catch((error: Error) => error);
    expect((oneThread as Error).message).toMatch(/line 2800, byte offset/);
    expect((twoThreads as Error).message).toBe((oneThread as Error).message);
  });
});
