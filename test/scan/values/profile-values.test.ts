import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { profileValues } from '../../../src/scan/values/profile-values.js';

const counts = <K>(map: ReadonlyMap<K, number>): Record<string, number> => Object.fromEntries(map) as Record<string, number>;

describe('profileValues', () => {
  it('counts sampled and distinct values, and values wholly of each kind', () => {
    const profile = profileValues(['anna@example.se', 'anna@example.se', 'karl@example.se', 'okänd', '0702263153', '811218-9876'], 'plain');
    expect(profile.sampled).toBe(6);
    expect(profile.distinct).toBe(5);
    expect(counts(profile.whole)).toEqual({ email: 3, personnummer: 2, phone: 1 });
    expect(profile.textLike).toBe(0);
    expect(profile.inText.size).toBe(0);
    expect(profile.jsonPaths.size).toBe(0);
  });

  it('counts free text and the kinds inside it, only in text-like values', () => {
    const profile = profileValues(
      [
        'Kunden ringde om leveransen och vill ha pengarna tillbaka',
        'Ring Karin på 070-123 45 67 imorgon förmiddag',
        'Ring Karin på 070-123 45 67 imorgon förmiddag',
        'Skicka kvittot till anna@example.se snarast',
        '070-123 45 67',
        'Anna Maria Svensson',
      ],
      'plain',
    );
    expect(profile.textLike).toBe(4);
    expect(counts(profile.inText)).toEqual({ phone: 2, first_name: 2, email: 1 });
    // Wholly a value: not counted as free text holding it.
    expect(counts(profile.whole)).toEqual({ phone: 1, full_name: 1 });
  });

  it('counts a JSON column per path', () => {
    const docs = [
      { contact: { email: 'anna@example.se' }, contacts: [{ phone: '070-123 45 67' }], note: 'Ring Karin Svensson om fakturan nu' },
      { contact: { email: 'karl@example.se' }, contacts: [], note: 'inget särskilt att säga här' },
      { contact: { email: 'okänd' } },
    ].map((doc) => JSON.stringify(doc));
    const profile = profileValues([...docs, docs[0]!, 'not json'], 'json');
    expect(profile.sampled).toBe(5);
    expect(profile.distinct).toBe(4);
    expect(Object.fromEntries([...profile.jsonPaths].map(([path, kinds]) => [path, counts(kinds)]))).toEqual({
      '$.contact.email': { email: 3 },
      '$.contacts[*].phone': { phone: 2 },
      '$.note': { free_text: 2 },
    });
    expect(profile.whole.size).toBe(0);
  });

  it('reads a JSON column whose documents are strings as plain values too', () => {
    const profile = profileValues(['"anna@example.se"', '"karl@example.se"'], 'json');
    expect(counts(profile.whole)).toEqual({ email: 2 });
    expect(counts(profile.jsonPaths.get('$')!)).toEqual({ email: 2 });
  });

  it('counts an array for a kind when any element has it', () => {
    const profile = profileValues(
      ['{anna@example.se,"070-123 45 67"}', '{karl@example.se}', '{NULL,okänd}', '{}', '{{10.0.0.1,10.0.0.2},{NULL,10.0.0.3}}', '{"Ring Karin på 070-123 45 67 imorgon"}'],
      'array',
    );
    expect(counts(profile.whole)).toEqual({ email: 2, phone: 1, ip: 1 });
    expect(profile.textLike).toBe(1);
    expect(counts(profile.inText)).toEqual({ phone: 1, first_name: 1 });
  });

  it('gives the paths of json[] elements, relative to each element', () => {
    const profile = profileValues([String.raw`{"{\"email\": \"anna@example.se\"}","{\"email\": \"karl@example.se\"}"}`], 'array');
    expect(counts(profile.jsonPaths.get('$.email')!)).toEqual({ email: 1 });
  });

  it('reads a value that is no array literal as a plain value', () => {
    expect(counts(profileValues(['anna@example.se'], 'array').whole)).toEqual({ email: 1 });
  });

  it('profiles an empty sample', () => {
    const profile = profileValues([], 'plain');
    expect([profile.sampled, profile.distinct, profile.whole.size, profile.textLike]).toEqual([0, 0, 0, 0]);
  });
});

describe('profileValues on any text', () => {
  it('never throws, whatever the shape', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.json(), fc.constantFrom('{', '{"a', '{{1},2}', '[1:2]={a,b}', '"', '{"\\"}'))), (values) => {
        for (const shape of ['plain', 'json', 'array'] as const) {
          const profile = profileValues(values, shape);
          expect(profile.sampled).toBe(values.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
