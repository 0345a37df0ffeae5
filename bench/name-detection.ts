/**
 * Person-name detection of text.scrub (`find: [name]`) on larger samples of labelled CRM notes
 * than test/transformers/scrub-names.test.ts, from other seeds: recall on dictionary and
 * held-out names, false positives on name-free notes, token precision, mentions replaced per
 * form, and microseconds per note.
 *
 *   npm run bench:names -- [--count 10000] [--held-out 5000] [--seed 101]
 *   npx tsx bench/name-detection.ts [--count 10000] [--held-out 5000] [--seed 101]
 *
 * `--count` notes with names and as many without; `--held-out` notes with held-out names.
 * The notes come from test/support/crm-notes.ts; nothing here knows how the detector works.
 */
import { parseArgs } from 'node:util';
import { buildTransform } from '../src/masking/build-transform.js';
import { createMaskingSession } from '../src/masking/masking-session.js';
import { maskingKeyFromBytes } from '../src/random/key.js';
import type { RowValues } from '../src/transformers/transformer.js';
import { type CrmNote, crmNotes } from '../test/support/crm-notes.js';
import { figureRows, formatFigures, scoreNamedNotes, scoreNameFreeNotes } from '../test/support/name-detection-figures.js';

const { values: args } = parseArgs({
  options: { count: { type: 'string', default: '10000' }, 'held-out': { type: 'string', default: '5000' }, seed: { type: 'string', default: '101' } },
});
const count = Number(args.count);
const heldOutCount = Number(args['held-out']);
const seed = Number(args.seed);

const session = createMaskingSession({ key: maskingKeyFromBytes(Buffer.alloc(32, 7), 'bench') });
const row: RowValues = { original: () => null, masked: () => null };
let fn: (text: string) => string;
try {
  const transform = buildTransform(session, { transform: 'text.scrub', options: { find: ['name'] } }, { table: 'bench', column: 'notes', family: 'text' });
  fn = (text) => transform(text, row) as string;
} catch (e) {
  process.stderr.write(`text.scrub with find: [name] could not be built: ${(e as Error).message}\n`);
  process.exit(1);
}

const started = process.hrtime.bigint();
const named = crmNotes({ seed, count, withNames: true });
const heldOut = crmNotes({ seed: seed + 1, count: heldOutCount, withNames: true, names: 'held-out' });
const nameFree = crmNotes({ seed: seed + 2, count, withNames: false });
const generatedMs = Number(process.hrtime.bigint() - started) / 1e6;

// Warm up: the first thousands of calls run before the JIT has optimised the finders.
for (let round = 0; round < 2; round++) for (const note of [...named, ...nameFree].slice(0, 10_000)) fn(note.text);

/** Scrubs every note once, timed, and returns a scrub that answers from those outputs. */
function timed(notes: readonly CrmNote[]): { scrub: (text: string) => string; usPerNote: number } {
  const outputs = new Map<string, string>();
  const start = process.hrtime.bigint();
  for (const { text } of notes) outputs.set(text, fn(text));
  const usPerNote = Number(process.hrtime.bigint() - start) / 1e3 / notes.length;
  return { scrub: (text) => outputs.get(text) ?? fn(text), usPerNote };
}

const a = timed(named);
const b = timed(heldOut);
const c = timed(nameFree);
const figures = figureRows(scoreNamedNotes(a.scrub, named), scoreNamedNotes(b.scrub, heldOut), scoreNameFreeNotes(c.scrub, nameFree));
const chars = (notes: readonly CrmNote[]): number => notes.reduce((n, note) => n + note.text.length, 0) / notes.length;

process.stdout.write(`${formatFigures(`text.scrub find: [name], seed ${seed}`, figures)}\n\n`);
process.stdout.write(`time per note  with names ${a.usPerNote.toFixed(1)} µs (${chars(named).toFixed(0)} chars on average)`);
process.stdout.write(`, held-out ${b.usPerNote.toFixed(1)} µs, name-free ${c.usPerNote.toFixed(1)} µs (${chars(nameFree).toFixed(0)} chars)\n`);
process.stdout.write(`notes generated in ${generatedMs.toFixed(0)} ms\n`);
