/**
 * The crm shape's rows as pgmask masks them (bench/shapes/crm.ts): each table's columns in
 * order, their forms in COPY's binary format, and the masked columns of the shape's rules,
 * built in one masking session as a run builds them (the e-mail columns share their unique
 * state). Used by `bench:instructions -- --shape crm`.
 */
import { to as copyTo } from 'pg-copy-streams';
import type { BinaryForm, TypeFamily } from '../src/catalog/types.js';
import { parseRules } from '../src/config/parse-rules.js';
import type { MaskingSession } from '../src/masking/masking-session.js';
import type { RowMasker } from '../src/masking/row-masker.js';
import type { tableMasker } from '../src/masking/table-masker.js';
import { withClient } from '../test/support/with-client.js';
import type { RowPathLibrary } from './customers-rows.js';
import { crmShape } from './shapes/crm.js';

/** A table of the crm shape: columns in order, each with its binary form and family. */
export interface CrmTable {
  readonly name: 'customers' | 'orders' | 'contacts';
  /** Rows of this table per customer. */
  readonly perCustomer: number;
  readonly columns: readonly (readonly [name: string, form: BinaryForm, family: TypeFamily, type: string])[];
}

export const CRM_TABLES: readonly CrmTable[] = [
  {
    name: 'customers',
    perCustomer: 1,
    columns: [
      ['id', 'int8', 'integer', 'bigint'],
      ['personnummer', 'text', 'text', 'character varying(13)'],
      ['first_name', 'text', 'text', 'text'],
      ['last_name', 'text', 'text', 'text'],
      ['email', 'text', 'text', 'text'],
      ['phone', 'text', 'text', 'text'],
      ['street', 'text', 'text', 'text'],
      ['postal_code', 'text', 'text', 'character varying(6)'],
      ['city', 'text', 'text', 'text'],
      ['birth_date', 'date', 'date', 'date'],
      ['created_at', 'opaque', 'timestamp', 'timestamp with time zone'],
      ['notes', 'text', 'text', 'text'],
      ['metadata', 'jsonb', 'json', 'jsonb'],
    ],
  },
  {
    name: 'orders',
    perCustomer: 2,
    columns: [
      ['id', 'int8', 'integer', 'bigint'],
      ['customer_id', 'int8', 'integer', 'bigint'],
      ['amount', 'numeric', 'numeric', 'numeric'],
      ['status', 'text', 'text', 'text'],
      ['delivery_address', 'text', 'text', 'text'],
      ['ordered_at', 'opaque', 'timestamp', 'timestamp with time zone'],
    ],
  },
  {
    name: 'contacts',
    perCustomer: 0.25,
    columns: [
      ['id', 'int8', 'integer', 'bigint'],
      ['customer_id', 'int8', 'integer', 'bigint'],
      ['name', 'text', 'text', 'text'],
      ['email', 'text', 'text', 'text'],
      ['phone', 'text', 'text', 'text'],
      ['created_at', 'opaque', 'timestamp', 'timestamp with time zone'],
    ],
  },
];

/** The first `rows` rows of `table` in the crm source at `url`, in `format`. */
export async function readCrmRows(url: string, table: CrmTable, rows: number, format: 'text' | 'binary'): Promise<Buffer> {
  return withClient(url, async (client) => {
    const chunks: Buffer[] = [];
    const columns = table.columns.map(([name]) => name).join(', ');
    const stream = client.query(copyTo(`COPY (SELECT ${columns} FROM ${table.name} ORDER BY id LIMIT ${rows}) TO STDOUT (FORMAT ${format})`));
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  });
}

/** A row masker of `table` under the crm rules, built in `session` as a run builds it (`tableMasker`, from the library counted). */
export function crmMasker(session: MaskingSession, table: CrmTable, masker: typeof tableMasker): Pick<RowMasker, 'mask'> {
  const rules = parseRules(crmShape(1).rules(), 'bench-rules-crm.yaml').rules!.tables.get(`public.${table.name}`)!;
  const masked = new Map([...rules.columns.values()].filter((rule) => rule.transform !== 'keep').map((rule) => [rule.column, rule] as const));
  const columns = table.columns.map(([name, , family, type]) => {
    const limit = /\((\d+)\)/.exec(type);
    return { name, family, elementFamily: undefined, type, maxLength: limit ? Number(limit[1]) : undefined };
  });
  return masker({ key: `public.${table.name}`, columns, masked }, session)!;
}

/** A rewriter of `table`'s rows in `format` that masks each row with `masker`. */
export function crmRewriter(format: 'text' | 'binary', table: CrmTable, masker: Pick<RowMasker, 'mask'>, lib: RowPathLibrary) {
  const name = `public.${table.name}`;
  return format === 'text'
    ? lib.createRowRewriter({ table: name, columns: table.columns.length, rewrite: (row) => masker.mask(row) })
    : lib.createBinaryRowRewriter({ table: name, forms: table.columns.map(([, form]) => form), rewrite: (row) => masker.mask(row) });
}
