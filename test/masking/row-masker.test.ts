import { describe, expect, it } from 'vitest';
import { TransformError } from '../../src/errors.js';
import { type MaskableRow, RowMasker } from '../../src/masking/row-masker.js';

/** A row held as an array of values, with the writes it received. */
function arrayRow(values: (string | null)[], line = 1): MaskableRow & { readonly out: (string | null)[] } {
  const out = [...values];
  return { line, out, get: (i) => out[i]!, original: (i) => values[i]!, set: (i, v) => void (out[i] = v) };
}

describe('RowMasker', () => {
  it('masks a column another rule reads once per row, and every reader sees that value', () => {
    let calls = 0;
    const masker = new RowMasker(
      'public.t',
      ['a', 'b', 'c'],
      [
        { name: 'a', index: 0, transform: (v) => `A${++calls}:${v}` },
        { name: 'b', index: 1, transform: (_v, row) => `b sees ${row.masked('a')} and ${row.original('a')}` },
        { name: 'c', index: 2, transform: (_v, row) => `c sees ${row.masked('a')}` },
      ],
    );
    const first = arrayRow(['x', 'y', 'z']);
    masker.mask(first);
    expect(first.out).toEqual(['A1:x', 'b sees A1:x and x', 'c sees A1:x']);
    const second = arrayRow(['p', 'q', 'r'], 2);
    masker.mask(second);
    expect(second.out).toEqual(['A2:p', 'b sees A2:p and p', 'c sees A2:p']);
  });

  it('keeps a masked NULL as NULL for the readers of the same row', () => {
    const masker = new RowMasker(
      'public.t',
      ['a', 'b'],
      [
        { name: 'a', index: 0, transform: () => null },
        { name: 'b', index: 1, transform: (_v, row) => String(row.masked('a')) },
      ],
    );
    const row = arrayRow(['x', 'y']);
    masker.mask(row);
    expect(row.out).toEqual([null, 'null']);
  });

  it('refuses rules that read each other in a cycle, naming table, column and line', () => {
    const masker = new RowMasker(
      'public.t',
      ['a', 'b'],
      [
        { name: 'a', index: 0, transform: (_v, row) => row.masked('b') },
        { name: 'b', index: 1, transform: (_v, row) => row.masked('a') },
      ],
    );
    const error = (() => {
      try {
        masker.mask(arrayRow(['secret-a', 'secret-b'], 7));
      } catch (e) {
        return e as TransformError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TransformError);
    expect(error!.message).toMatch(/cycle/);
    expect(error!.line).toBe(7);
    expect(error!.message).not.toMatch(/secret/);
  });
});
