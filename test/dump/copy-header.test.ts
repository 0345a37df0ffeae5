import { describe, expect, it } from 'vitest';
import { isCopyHeaderProblem, parseCopyHeader } from '../../src/dump/copy-header.js';

describe('COPY header', () => {
  it('reads identifiers quoted the way pg_dump quotes them', () => {
    expect(parseCopyHeader('COPY public."Order Items" ("select", "x""y", "Ünï", qty) FROM stdin;')).toEqual({
      schema: 'public',
      name: 'Order Items',
      key: 'public."Order Items"',
      columns: ['select', 'x"y', 'Ünï', 'qty'],
    });
    expect(parseCopyHeader('COPY "Sales"."Kund" (id) FROM stdin;')).toMatchObject({ schema: 'Sales', name: 'Kund', key: '"Sales"."Kund"' });
    expect(parseCopyHeader('COPY "public"."t" ("id") FROM stdin;')).toMatchObject({ key: 'public.t', columns: ['id'] }); // --quote-all-identifiers
    expect(parseCopyHeader('COPY public."a.b" ("c,d", "e)f") FROM stdin;')).toMatchObject({ name: 'a.b', columns: ['c,d', 'e)f'] });
    expect(parseCopyHeader('COPY public.tåg (ö) FROM stdin;')).toMatchObject({ name: 'tåg', key: 'public."tåg"', columns: ['ö'] });
    expect(parseCopyHeader('COPY public.empty_cols  FROM stdin;')).toMatchObject({ key: 'public.empty_cols', columns: [] });
    expect(parseCopyHeader('copy Public.T (A) from STDIN;')).toMatchObject({ key: 'public.t', columns: ['a'] });
  });

  it('names what it cannot read', () => {
    const problem = (line: string): string => {
      const result = parseCopyHeader(line);
      if (!isCopyHeaderProblem(result)) throw new Error(`accepted: ${line}`);
      return result.problem;
    };
    expect(problem('COPY t (a) FROM stdin;')).toMatch(/schema-qualified/);
    expect(problem('COPY public.t (a) TO stdout;')).toMatch(/FROM stdin/);
    expect(problem("COPY public.t (a) FROM '/tmp/file';")).toMatch(/FROM stdin/);
    expect(problem('COPY public.t (a) FROM stdin WITH (FORMAT csv);')).toMatch(/options/);
    expect(problem('COPY public.t (a FROM stdin;')).toMatch(/not closed/);
    expect(problem('COPY public.t (a) FROM stdin; SELECT 1;')).toMatch(/more text/);
    expect(problem('COPY public."t (a) FROM stdin;')).toMatch(/no table name/);
  });
});
