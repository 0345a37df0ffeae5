/**
 * The bench's customers rows as pgmask masks them: their columns, each column's form in COPY's
 * binary format, the masked columns of the bench's rules, and a reader of the rows from the
 * bench source. Shared by `bench:columns` and `bench:instructions`.
 */
import { to as copyTo } from 'pg-copy-streams';
import type { BinaryForm } from '../src/catalog/types.js';
import { parseRules } from '../src/config/parse-rules.js';
import type { ColumnRule } from '../src/config/rules.js';
import { createBinaryRowRewriter, createRowRewriter } from '../src/copy/row-rewriter.js';
import { buildTransform } from '../src/masking/build-transform.js';
import type { MaskingSession } from '../src/masking/masking-session.js';
import { RowMasker } from '../src/masking/row-masker.js';
import type { TransformFn } from '../src/transformers/transformer.js';
import { withClient } from '../test/support/with-client.js';
import { benchRules } from './bench-rules.js';

export const COLUMNS = ['id', 'personnummer', 'first_name', 'last_name', 'email', 'phone', 'street', 'postal_code', 'city', 'birth_date', 'created_at', 'notes', 'metadata'];
const FAMILY: Record<string, 'text' | 'json' | 'date'> = { metadata: 'json', birth_date: 'date' };

/** Each column's form in COPY's binary format, as `pgmask copy` reads them. */
export const FORMS: readonly BinaryForm[] = COLUMNS.map((c) =>
  c === 'metadata' ? 'jsonb' : c === 'id' ? 'int8' : c === 'birth_date' ? 'date' : c === 'created_at' ? 'opaque' : 'text',
);

export async function readRows(url: string, rows: number, format: 'text' | 'binary'): Promise<Buffer> {
  return withClient(url, async (client) => {
    const chunks: Buffer[] = [];
    const stream = client.query(copyTo(`COPY (SELECT ${COLUMNS.join(', ')} FROM customers ORDER BY id LIMIT ${rows}) TO STDOUT (FORMAT ${format})`));
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  });
}

/** The masked columns of the bench's customers rules (`maskedDate`: birth_date shifted too). */
export function customersRules(maskedDate = false): ColumnRule[] {
  return [
    ...parseRules(benchRules({ unique: true, maskedDate }), 'bench-rules.yaml')
      .rules!.tables.get('public.customers')!
      .columns.values(),
  ].filter((rule) => rule.transform !== 'keep');
}

/** The masked columns of the bench's customers rules. */
export const RULES = customersRules();

/** What the row path is built from: this checkout's source, or (bench:instructions) another build's compiled library. */
export interface RowPathLibrary {
  readonly buildTransform: typeof buildTransform;
  readonly RowMasker: typeof RowMasker;
  readonly createRowRewriter: typeof createRowRewriter;
  readonly createBinaryRowRewriter: typeof createBinaryRowRewriter;
}

const SOURCE: RowPathLibrary = { buildTransform, RowMasker, createRowRewriter, createBinaryRowRewriter };

/** One masked column of the bench, its transform built in `session`. */
export function maskedColumn(session: MaskingSession, rule: ColumnRule, lib: RowPathLibrary = SOURCE): { name: string; index: number; transform: TransformFn } {
  return {
    name: rule.column,
    index: COLUMNS.indexOf(rule.column),
    transform: lib.buildTransform(
      session,
      { transform: rule.transform, options: rule.options, unique: rule.unique },
      { table: 'public.customers', column: rule.column, family: FAMILY[rule.column] ?? 'text' },
    ),
  };
}

/** Every masked column of the bench, in one masking session. */
export const maskedColumns = (session: MaskingSession, lib: RowPathLibrary = SOURCE, rules: readonly ColumnRule[] = RULES) => rules.map((rule) => maskedColumn(session, rule, lib));

/** A rewriter of customers rows in `format` that masks each row with `masker`. */
export function customersRewriter(format: 'text' | 'binary', masker: Pick<RowMasker, 'mask'>, lib: RowPathLibrary = SOURCE) {
  return format === 'text'
    ? lib.createRowRewriter({ table: 'public.customers', columns: COLUMNS.length, rewrite: (row) => masker.mask(row) })
    : lib.createBinaryRowRewriter({ table: 'public.customers', forms: FORMS, rewrite: (row) => masker.mask(row) });
}

/** A row masker of the bench's customers rules, built in `session`. */
export const customersMasker = (session: MaskingSession, lib: RowPathLibrary = SOURCE, rules: readonly ColumnRule[] = RULES): RowMasker =>
  new lib.RowMasker('public.customers', COLUMNS, maskedColumns(session, lib, rules));
