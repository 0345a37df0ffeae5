import { describe, expect, it } from 'vitest';
import { type CrmNote, crmNotes } from './crm-notes.js';
import { figureRows, formatFigures, keptWords, rate, scoreNamedNotes, scoreNameFreeNotes, tokens } from './name-detection-figures.js';

const named = crmNotes({ seed: 21, count: 400, withNames: true });
const nameFree = crmNotes({ seed: 22, count: 400, withNames: false });

/** A scrubber that knows the labels: replaces the labelled spans that `which` picks with "Qxq". */
function oracle(notes: readonly CrmNote[], which: (part: 'first' | 'last') => boolean = () => true): (text: string) => string {
  const outputs = new Map<string, string>();
  for (const note of notes) {
    const spans = note.people.flatMap((p) => p.spans).filter((s) => which(s.part));
    let out = note.text;
    for (const s of spans.sort((a, b) => b.start - a.start)) out = `${out.slice(0, s.start)}Qxq${out.slice(s.end)}`;
    outputs.set(note.text, out);
  }
  return (text) => outputs.get(text) ?? text;
}

describe('name detection figures', () => {
  it('score a scrubber that changes nothing as finding nobody and changing no note', () => {
    const f = scoreNamedNotes((t) => t, named);
    expect(f.recall.all.hits).toBe(0);
    expect(f.recall.all.total).toBe(named.reduce((n, note) => n + note.people.length, 0));
    expect(f.tokenPrecision.all.total).toBe(0);
    expect(scoreNameFreeNotes((t) => t, nameFree).all).toEqual({ hits: 0, total: 400 });
  });

  it('score a scrubber that replaces exactly the labelled names as perfect', () => {
    const f = scoreNamedNotes(oracle(named), named);
    expect(rate(f.recall.all)).toBe(1);
    expect(rate(f.recallFullNames.all)).toBe(1);
    expect(rate(f.tokenPrecision.all)).toBe(1);
    for (const [form, r] of Object.entries(f.mentionsReplaced)) expect(rate(r.all), form).toBe(1);
  });

  it('count a person as found only when every written part is gone', () => {
    const f = scoreNamedNotes(
      oracle(named, (part) => part === 'first'),
      named,
    );
    const firstOnly = named.flatMap((n) => n.people).filter((p) => p.spans.every((s) => s.part === 'first')).length;
    expect(f.recall.all.hits).toBe(firstOnly);
    expect(rate(f.recallFullNames.all)).toBe(0);
    expect(rate(f.mentionsReplaced.first.all)).toBe(1);
    expect(rate(f.mentionsReplaced.full.all)).toBe(0);
    expect(rate(f.mentionsReplaced.title.all)).toBe(0);
  });

  it('catch a scrubber that replaces every capitalised word: names gone, but name-free notes changed and precision low', () => {
    const caps = (t: string): string => t.replace(/\p{Lu}[\p{L}]*/gu, 'Xx');
    expect(rate(scoreNamedNotes(caps, named).recall.all)).toBe(1);
    expect(rate(scoreNamedNotes(caps, named).tokenPrecision.all)).toBeLessThan(0.5);
    expect(rate(scoreNameFreeNotes(caps, nameFree).all)).toBeGreaterThan(0.95);
  });

  it('align words as a longest common subsequence', () => {
    expect(tokens("Anna's order, Ann-Marie O'Connell").map((t) => t.word)).toEqual(["Anna's", 'order', 'Ann', 'Marie', "O'Connell"]);
    expect(keptWords(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd'])).toEqual([true, false, true, true]);
    expect(keptWords(['Hej', 'Anna', 'ring', 'mig'], ['Hej', 'Lena', 'Berg', 'ring', 'mig'])).toEqual([true, false, true, true]);
    expect(keptWords(['a', 'b'], [])).toEqual([false, false]);
  });

  it('print one row per figure with sv, en, all and n', () => {
    const f = scoreNamedNotes(oracle(named), named);
    const table = formatFigures(
      'title',
      figureRows(
        f,
        f,
        scoreNameFreeNotes((t) => t, nameFree),
      ),
    ).split('\n');
    expect(table[0]).toMatch(/^title\s+sv\s+en\s+all\s+n$/);
    expect(table.find((l) => l.startsWith('false positives'))).toMatch(/0\.000\s+0\.000\s+0\.000\s+400$/);
    expect(table.find((l) => l.startsWith('recall, dictionary names'))).toMatch(/1\.000\s+1\.000\s+1\.000\s+\d+$/);
  });
});
