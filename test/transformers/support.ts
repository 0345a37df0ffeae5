import { buildTransform } from '../../src/masking/build-transform.js';
import { createMaskingSession, type MaskingSession } from '../../src/masking/masking-session.js';
import { type MaskingKey, maskingKeyFromBytes } from '../../src/random/key.js';
import { SHIPPED_TESTDATA } from '../../src/se/testdata.js';
import type { ColumnTarget, RowValues, RuleSpec, TransformFn } from '../../src/transformers/transformer.js';

/** The Skatteverket lists' folder: PGMASK_TESTDATA_DIR, else the lists shipped with pgmask. */
export function testdataDir(): string {
  return process.env['PGMASK_TESTDATA_DIR'] || SHIPPED_TESTDATA.dir;
}

/** A fixed key per seed byte, so tests are reproducible. */
export const testKey = (seed = 1): MaskingKey => maskingKeyFromBytes(Buffer.alloc(32, seed), `test-${seed}`);

/** A fixed date for reading 10-digit personnummer. */
export const TODAY = { year: 2025, month: 6, day: 15 } as const;

export function session(seed = 1): MaskingSession {
  return createMaskingSession({ key: testKey(seed), env: { PGMASK_TESTDATA_DIR: testdataDir() }, today: TODAY });
}

export function column(partial: Partial<ColumnTarget> = {}): ColumnTarget {
  return { table: 'public.people', column: 'c', family: 'text', elementFamily: undefined, type: 'text', maxLength: undefined, ...partial };
}

/** A row whose original and masked values are given (masked defaults to original). */
export function row(original: Record<string, string | null> = {}, masked: Record<string, string | null> = original): RowValues {
  return { original: (c) => original[c] ?? null, masked: (c) => (c in masked ? masked[c]! : null) };
}

/** Builds a transformer in a session and returns a one-argument function. */
export function build(s: MaskingSession, spec: RuleSpec | string, col: Partial<ColumnTarget> = {}): (value: string | null, r?: RowValues) => string | null {
  const fn: TransformFn = buildTransform(s, typeof spec === 'string' ? { transform: spec } : spec, column(col));
  return (value, r = row()) => fn(value, r);
}

import PersonnummerImport from 'personnummer';
/** The personnummer package's class (its CommonJS module.exports; its type declarations describe it as `.default`). */
export const Personnummer = PersonnummerImport as unknown as typeof PersonnummerImport.default;
