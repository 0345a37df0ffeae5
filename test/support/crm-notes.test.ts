import { faker as enFaker } from '@faker-js/faker/locale/en';
import { describe, expect, it } from 'vitest';
import { localeData } from '../../src/random/faker.js';
import { type CrmNote, crmNotes, DICTIONARY_NAMES, type MentionForm } from './crm-notes.js';
import { VOCABULARY } from './crm-notes-phrases.js';
import { HELD_OUT_NAMES } from './held-out-names.js';

const N = 2000;
const named = crmNotes({ seed: 11, count: N, withNames: true });
const heldOut = crmNotes({ seed: 12, count: N, withNames: true, names: 'held-out' });
const nameFree = crmNotes({ seed: 13, count: N, withNames: false });
const share = <T>(xs: readonly T[], test: (x: T) => boolean): number => xs.filter(test).length / xs.length;

const enPerson = enFaker.rawDefinitions.person!;
const fakerFirst = [
  ...localeData.firstNames.female,
  ...localeData.firstNames.male,
  ...(enPerson.first_name?.female ?? []),
  ...(enPerson.first_name?.male ?? []),
  ...(enPerson.first_name?.generic ?? []),
];
const fakerLast = [...localeData.lastNames, ...(enPerson.last_name?.generic ?? [])];
const heldOutFirst = [...HELD_OUT_NAMES.firstNames.female, ...HELD_OUT_NAMES.firstNames.male];

/** Whole-word, any-case occurrences of `name` (also "Annas", "Anna's"), written apart from the generator's own search. */
function occursAt(text: string, name: string): number[] {
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=(?:s|['’]s?)?(?![\\p{L}\\p{N}]))`, 'giu');
  return [...text.matchAll(re)].map((m) => m.index);
}

const firstSet = new Set([...fakerFirst, ...heldOutFirst]);
const lastSet = new Set([...fakerLast, ...HELD_OUT_NAMES.lastNames]);
const stem = (w: string): string => w.replace(/(?:['’]s?|s)$/u, '');
const isFirst = (w: string): boolean => firstSet.has(w) || firstSet.has(stem(w));
const isLast = (w: string): boolean => lastSet.has(w) || lastSet.has(stem(w));
const WORD = "(\\p{Lu}[\\p{L}'’-]*)";
const NAME_CONTEXTS = [
  new RegExp(`(?:^|\\n)\\s*(?:Hej|Hejsan|Hallå|God morgon|Hi|Hello|Hey|Dear|Good morning)\\s+${WORD}`, 'gu'),
  new RegExp(`(?:Mvh|MVH|Med vänlig hälsning|Vänliga hälsningar|Hälsningar|Best regards|Kind regards|Regards|Thanks|Cheers|BR),?\\s+${WORD}`, 'gu'),
  new RegExp(`(?:^|\\s)/${WORD}`, 'gu'),
  new RegExp(`(?<!\\p{L})(?:herr|fru|Herr|Fru|Mr|Mrs|Ms|Miss|Dr|dr|doktor)\\.?\\s+${WORD}`, 'gu'),
  new RegExp(`(?:Kontakt|Kontaktperson|Contact)\\s*:\\s*${WORD}`, 'gu'),
];

/** Names from any list in a place where people write names: after a greeting, in a signature, after a title, as "First Last", "Last, First" or "Annas order". */
function namesInNamePositions(text: string): string[] {
  const found: string[] = [];
  for (const re of NAME_CONTEXTS) for (const m of text.matchAll(re)) if (isFirst(m[1]!) || isLast(m[1]!)) found.push(m[0]);
  for (const m of text.matchAll(/(\p{Lu}[\p{L}-]*) (\p{Lu}[\p{L}'’-]*)/gu)) if (isFirst(m[1]!) && isLast(m[2]!)) found.push(m[0]);
  for (const m of text.matchAll(/(\p{Lu}[\p{L}-]*), (\p{Lu}[\p{L}-]*)/gu)) if (isLast(m[1]!) && isFirst(m[2]!)) found.push(m[0]);
  for (const m of text.matchAll(/(\p{Lu}\p{Ll}+)(?:['’]s|s) \p{Ll}/gu)) if (firstSet.has(m[1]!)) found.push(m[0]);
  return found;
}

describe('crmNotes', () => {
  it('gives the same notes for the same seed, other notes for another seed, and note i whatever the count', () => {
    expect(crmNotes({ seed: 11, count: 300, withNames: true })).toEqual(named.slice(0, 300));
    expect(crmNotes({ seed: 13, count: 300, withNames: false })).toEqual(nameFree.slice(0, 300));
    const other = crmNotes({ seed: 99, count: 300, withNames: true });
    expect(other.filter((n, i) => n.text === named[i]!.text).length).toBeLessThan(15);
  });

  it('labels each written name part with its exact text, inside its mention', () => {
    for (const note of [...named, ...heldOut]) {
      expect(note.people.length).toBeGreaterThan(0);
      for (const p of note.people) {
        expect(p.spans.length).toBeGreaterThan(0);
        for (const s of p.spans) expect(note.text.slice(s.start, s.end)).toBe(p[s.part]);
        for (const m of p.mentions) expect(p.spans.some((s) => s.start >= m.start && s.end <= m.end)).toBe(true);
        for (const s of p.spans) expect(p.mentions.some((m) => s.start >= m.start && s.end <= m.end)).toBe(true);
      }
    }
  });

  it('leaves no written name part unlabelled elsewhere in its note (any case, possessive, part of a double name)', () => {
    for (const note of [...named, ...heldOut]) {
      for (const p of note.people) {
        for (const part of ['first', 'last'] as const) {
          const spans = p.spans.filter((s) => s.part === part);
          if (spans.length === 0) continue;
          for (const word of [p[part], ...p[part].split('-')]) {
            for (const at of occursAt(note.text, word))
              expect(
                spans.some((s) => at >= s.start && at + word.length <= s.end),
                `${word} in ${note.text}`,
              ).toBe(true);
          }
        }
      }
    }
  });

  it('takes dictionary names from faker sv and en lists, held-out names from the held-out list only', () => {
    const from = (p: CrmNote['people'][number], first: readonly string[], last: readonly string[]): boolean => first.includes(p.first) && last.includes(p.last);
    for (const p of named.flatMap((n) => n.people)) {
      const lists = DICTIONARY_NAMES[p.origin === 'en' ? 'en' : 'sv'];
      expect(p.origin).not.toBe('held-out');
      expect(from(p, p.sex === 'female' ? lists.female : lists.male, lists.last), `${p.first} ${p.last}`).toBe(true);
    }
    expect(DICTIONARY_NAMES.sv.female).toEqual(localeData.firstNames.female);
    expect(DICTIONARY_NAMES.en.last).toEqual(enPerson.last_name?.generic);
    for (const p of heldOut.flatMap((n) => n.people)) {
      expect(p.origin).toBe('held-out');
      expect(from(p, heldOutFirst, HELD_OUT_NAMES.lastNames), `${p.first} ${p.last}`).toBe(true);
    }
  });

  it('writes about half the notes in Swedish, or all in the language asked for', () => {
    for (const notes of [named, heldOut, nameFree]) expect(share(notes, (n) => n.lang === 'sv')).toBeGreaterThan(0.45);
    for (const notes of [named, heldOut, nameFree]) expect(share(notes, (n) => n.lang === 'sv')).toBeLessThan(0.55);
    expect(crmNotes({ seed: 1, count: 200, withNames: true, lang: 'en' }).every((n) => n.lang === 'en')).toBe(true);
    expect(crmNotes({ seed: 1, count: 200, withNames: false, lang: 'sv' }).every((n) => n.lang === 'sv')).toBe(true);
  });

  it('mixes the kinds of note and the ways people are named, in believable shares', () => {
    for (const kind of ['one-liner', 'note', 'email', 'ticket'] as const) expect(share(named, (n) => n.kind === kind)).toBeGreaterThan(0.05);
    expect(share(named, (n) => n.people.length === 2)).toBeGreaterThan(0.15);
    expect(share(named, (n) => n.people.length === 2)).toBeLessThan(0.35);
    const mentions = named.flatMap((n) => n.people.flatMap((p) => p.mentions.map((m) => ({ ...m, text: n.text }))));
    const forms: Record<MentionForm, [number, number]> = { full: [0.3, 0.55], first: [0.25, 0.45], title: [0.07, 0.2], last: [0.04, 0.15], 'last-first': [0.015, 0.08] };
    for (const [form, [lo, hi]] of Object.entries(forms)) {
      expect(
        share(mentions, (m) => m.form === form),
        form,
      ).toBeGreaterThan(lo);
      expect(
        share(mentions, (m) => m.form === form),
        form,
      ).toBeLessThan(hi);
    }
    expect(share(mentions, (m) => m.possessive)).toBeGreaterThan(0.04);
    const atStart = share(mentions, (m) => /(?:^|[.!?:\n]\s*)$/.test(m.text.slice(0, m.start)));
    expect(atStart).toBeGreaterThan(0.25);
    expect(atStart).toBeLessThan(0.75);
    const texts = named.map((n) => n.text);
    for (const sample of [
      /\p{Lu}\p{Ll}+s (?:beställning|faktura|chef)/u,
      /\p{Lu}\p{Ll}+'s (?:invoice|order|manager)/u,
      /^Hej \p{Lu}\p{Ll}+[,!]/mu,
      /^Hi \p{Lu}\p{Ll}+[,!]/mu,
      /^Dear (?:Mr|Mrs|Ms|Dr)\.? \p{Lu}/mu,
      /^Mvh \p{Lu}/mu,
      /^\/\p{Lu}/mu,
      /Best regards,?\s+\p{Lu}\p{Ll}+ \p{Lu}/u,
      /^(?:Kontakt|Contact): \p{Lu}\p{Ll}+, \p{Lu}/mu,
      /\b(?:fru|herr) \p{Lu}/u,
    ])
      expect(
        texts.some((t) => sample.test(t)),
        String(sample),
      ).toBe(true);
    expect(
      share(
        named.filter((n) => n.lang === 'sv'),
        (n) => n.people.some((p) => p.first.includes('-')),
      ),
    ).toBeGreaterThan(0.02);
    expect(share(named, (n) => n.people.some((p) => p.mentions.length > 1))).toBeGreaterThan(0.05);
  });

  it('puts no name in a name position of a name-free note', () => {
    for (const note of nameFree) {
      expect(note.people).toEqual([]);
      expect(namesInNamePositions(note.text), note.text).toEqual([]);
    }
    // The check finds what it looks for, and finds it in most notes that do name people.
    expect(share(named, (n) => namesInNamePositions(n.text).length > 0)).toBeGreaterThan(0.6);
    expect(namesInNamePositions('Hej Anna,\n\nTack!\n\nMvh\nPeter')).toEqual(['Hej Anna', 'Mvh\nPeter']);
    expect(namesInNamePositions('Pratade med fru Karlsson om Smith, John och Lars Lindqvists order. Kajsas faktura')).toHaveLength(4);
  });

  it('makes name-free notes hard: capitals, months, places, companies, abbreviations and name-like words outside name positions', () => {
    const en = nameFree.filter((n) => n.lang === 'en').map((n) => n.text);
    const sv = nameFree.filter((n) => n.lang === 'sv').map((n) => n.text);
    const all = [...en, ...sv];
    const listed = (words: readonly string[]) => new RegExp(`(?<!\\p{L})(?:${words.join('|')})(?!\\p{L})`, 'u');
    expect(share(en, (t) => listed([...VOCABULARY.en.month!, ...VOCABULARY.en.weekday!, ...VOCABULARY.en.monthShort!]).test(t))).toBeGreaterThan(0.1);
    expect(share(all, (t) => listed(VOCABULARY.shared.place!).test(t))).toBeGreaterThan(0.1);
    expect(
      share(all, (t) =>
        listed([...VOCABULARY.shared.company!, ...VOCABULARY.shared.device!, ...VOCABULARY.shared.software!].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).test(t),
      ),
    ).toBeGreaterThan(0.15);
    expect(share(all, (t) => /(?<!\p{L})(?:AB|VD|SMS|OK|FYI|ETA|SLA|IT|CRM|OCR|PDF)(?!\p{L})/u.test(t))).toBeGreaterThan(0.05);
    expect(share(all, (t) => /\d/.test(t))).toBeGreaterThan(0.4);
    // Words on the name lists, where they are not names: "Will follow up", "in May", "Per telefon", "Lund".
    const nameLike = (t: string) => [...t.matchAll(/\p{Lu}\p{Ll}+/gu)].some((m) => firstSet.has(m[0]) || lastSet.has(m[0]));
    expect(share(en, nameLike)).toBeGreaterThan(0.1);
    expect(share(sv, nameLike)).toBeGreaterThan(0.05);
  });
});

describe('held-out names', () => {
  it('holds about 60 first names and 40 last names, none on faker sv or en lists, whole or in part', () => {
    expect(heldOutFirst).toHaveLength(60);
    expect(HELD_OUT_NAMES.lastNames).toHaveLength(40);
    expect(new Set(heldOutFirst).size).toBe(60);
    expect(new Set(HELD_OUT_NAMES.lastNames).size).toBe(40);
    const faker = new Set([...fakerFirst, ...fakerLast].map((n) => n.toLowerCase()));
    expect(fakerFirst.length).toBeGreaterThan(3000);
    for (const name of [...heldOutFirst, ...HELD_OUT_NAMES.lastNames]) {
      for (const piece of [name, ...name.split('-')]) expect(faker.has(piece.toLowerCase()), name).toBe(false);
    }
  });
});
