import { describe, expect, it } from 'vitest';
import { NAME_ENTRIES } from '../../../src/scan/names/name-dictionary.js';
import { nameSignals } from '../../../src/scan/names/name-signals.js';
import { LABELLED_COLUMNS } from './labelled-columns.js';

describe('nameSignals on the labelled columns', () => {
  const results = LABELLED_COLUMNS.map((column) => ({ column, signals: nameSignals(column.column, column.table, column.comment) }));
  const personal = results.filter((r) => r.column.kind !== null);
  const notPersonal = results.filter((r) => r.column.kind === null);

  it('holds at least 150 columns, personal and not', () => {
    expect(LABELLED_COLUMNS.length).toBeGreaterThanOrEqual(150);
    expect(personal.length).toBeGreaterThan(50);
    expect(notPersonal.length).toBeGreaterThan(50);
  });

  it('finds the right kind first in at least 98 % of the personal columns', () => {
    const missed = personal.filter((r) => r.signals[0]?.kind !== r.column.kind).map((r) => `${r.column.table}.${r.column.column}`);
    expect(missed.length / personal.length, missed.join(', ')).toBeLessThanOrEqual(0.02);
  });

  it('finds nothing in at least 95 % of the columns that are not personal', () => {
    const flagged = notPersonal.filter((r) => r.signals.length > 0).map((r) => `${r.column.table}.${r.column.column}`);
    expect(flagged.length / notPersonal.length, flagged.join(', ')).toBeLessThanOrEqual(0.05);
  });
});

describe('nameSignals', () => {
  it('says how strongly a bare name is a person’s from the word before it, else from the table', () => {
    const strength = (column: string, table: string) => nameSignals(column, table, undefined).find((s) => s.kind === 'full_name')?.strength;
    expect(strength('name', 'users')).toBe('strong');
    expect(strength('namn', 'tbl_kunder')).toBe('strong');
    expect(strength('name', 'kundregister')).toBe('strong');
    expect(strength('name', 'products')).toBeUndefined();
    expect(strength('name', 'customer_orders')).toBe('weak');
    expect(strength('customer_name', 'products')).toBe('strong');
    expect(strength('product_name', 'users')).toBeUndefined();
    expect(strength('recipe_name', 'orders')).toBe('weak');
    expect(strength('city_name', 'users')).toBeUndefined();
    expect(nameSignals('city_name', 'users', undefined)[0]).toMatchObject({ kind: 'city', strength: 'strong' });
  });

  it('lists strong before weak and the name before the comment, one signal per kind and source', () => {
    const signals = nameSignals('name', 'orders', 'Kundens e-postadress och namn');
    expect(signals.map((s) => [s.kind, s.strength, s.source])).toEqual([
      ['email', 'strong', 'comment'],
      ['full_name', 'strong', 'comment'],
      ['full_name', 'weak', 'column'],
    ]);
    const both = nameSignals('email', 'users', 'E-mail address of the user');
    expect(both.map((s) => [s.kind, s.source])).toEqual([
      ['email', 'column'],
      ['email', 'comment'],
    ]);
  });

  it('reads comments in Swedish and English, and leaves out words too common in prose', () => {
    expect(nameSignals('c1', 'x', 'Personnumret, tolv siffror')[0]).toMatchObject({ kind: 'personnummer', word: 'personnummer', source: 'comment' });
    expect(nameSignals('c1', 'x', 'Postort enligt folkbokföringen')[0]).toMatchObject({ kind: 'city', word: 'postort' });
    expect(nameSignals('c1', 'x', 'Namn på produkten')).toEqual([]);
    expect(nameSignals('c1', 'x', 'A comment: see the tel list')).toEqual([]);
    expect(nameSignals('c1', 'x', undefined)).toEqual([]);
  });

  it('reads Swedish definite and genitive forms and English plurals, not words that merely start like a spelling', () => {
    expect(nameSignals('kundens_namn', 'x', undefined)[0]).toMatchObject({ kind: 'full_name', strength: 'strong' });
    expect(nameSignals('emails', 'x', undefined)[0]).toMatchObject({ kind: 'email' });
    expect(nameSignals('c', 'x', 'Adressen dit fakturan skickas')[0]).toMatchObject({ kind: 'street', word: 'adress' });
    for (const column of ['later', 'cellar', 'mailer', 'hotel', 'context']) expect(nameSignals(column, 'x', undefined), column).toEqual([]);
  });

  it('reports dictionary words only, never text of the name or comment', () => {
    const signals = nameSignals('Kund_E-POST_Hemma', 'kunder', 'Hemlig e-postadress: anna@example.com');
    expect(signals.map((s) => s.word)).toEqual(['e-post', 'e-postadress']);
  });

  it('finds nothing in code-like or secret names, whatever personal word they hold', () => {
    for (const column of ['email_verified_at', 'phone_country_code', 'customer_id', 'ip_country', 'email_confirmation_token', 'password']) {
      expect(nameSignals(column, 'users', 'The e-mail address')).toEqual([]);
    }
  });

  it('gives every spelling of the dictionary its own kind, as a name and in a comment', () => {
    for (const entry of NAME_ENTRIES) {
      for (const spelling of entry.words) {
        const asName = nameSignals(spelling, 'people', undefined);
        expect(asName[0]?.kind, spelling).toBe(entry.kind);
        if (!entry.columnOnly && !entry.bareName) expect(nameSignals('c', 'x', spelling)[0]?.kind, spelling).toBe(entry.kind);
      }
    }
  });
});
