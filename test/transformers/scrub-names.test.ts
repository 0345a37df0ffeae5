import { describe, expect, it } from 'vitest';
import { crmNotes } from '../support/crm-notes.js';
import { figureRows, formatFigures, rate, scoreNamedNotes, scoreNameFreeNotes } from '../support/name-detection-figures.js';
import { build, session } from './support.js';

// Person names in free text, measured through the transformer only, on labelled notes that no
// detector was tuned to (test/support/crm-notes.ts). bench/name-detection.ts runs larger samples.
describe('text.scrub finds person names', () => {
  it('replaces at least 95 % of the people named in notes and changes at most 2 % of notes that name nobody', () => {
    const fn = build(session(), { transform: 'text.scrub', options: { find: ['name'] } }, { column: 'notes' });
    const scrub = (text: string): string => fn(text)!;
    const named = scoreNamedNotes(scrub, crmNotes({ seed: 1, count: 2000, withNames: true }));
    const heldOut = scoreNamedNotes(scrub, crmNotes({ seed: 2, count: 1000, withNames: true, names: 'held-out' }));
    const nameFree = scoreNameFreeNotes(scrub, crmNotes({ seed: 3, count: 2000, withNames: false }));
    console.log(formatFigures('text.scrub find: [name]', figureRows(named, heldOut, nameFree)));
    expect(rate(named.recall.all)).toBeGreaterThanOrEqual(0.95);
    expect(rate(nameFree.all)).toBeLessThanOrEqual(0.02);
  });

  it('finds names by default, with everything else it finds', () => {
    const fn = build(session(), 'text.scrub', { column: 'notes' });
    const named = scoreNamedNotes((text) => fn(text)!, crmNotes({ seed: 4, count: 500, withNames: true }));
    expect(rate(named.recall.all)).toBeGreaterThanOrEqual(0.95);
  });
});
