import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sqlIdent, sqlTableName } from '../../../src/catalog/names.js';
import { tableKey } from '../../../src/catalog/table-key.js';
import type { PiiKind } from '../../../src/scan/pii-kind.js';
import { saasTables } from './held-out-saas.js';
import { schoolTables } from './held-out-school.js';
import type { CellValue, TableSpec } from './held-out-table.js';
import { makeValues } from './held-out-values.js';

/** The true label of one column of the held-out database, as a data-protection officer reads its data. */
export interface HeldOutLabel {
  /** `schema.table` exactly as pgmask's `tableKey` prints it. */
  table: string;
  column: string;
  /** The kind of personal data the column holds; null when it holds none pgmask has a kind for. */
  kind: PiiKind | null;
  /** Why, where the label is a judgement call. */
  note?: string;
}

/** The tables of the held-out database, in creation order (parents before children). */
export function heldOutTables(seed?: number): TableSpec[] {
  const v = makeValues(seed);
  return [...schoolTables(v), ...saasTables(v)];
}

function escapeCopy(text: string): string {
  return text.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/** One value as a field of COPY's text format. */
function copyField(value: CellValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeCopy(value);
  if (Array.isArray(value)) return escapeCopy(arrayLiteral(value as readonly string[]));
  const json = (value as { json: unknown }).json;
  return json === null ? '\\N' : escapeCopy(JSON.stringify(json));
}

function createSql(t: TableSpec): string[] {
  const name = sqlTableName(t.schema, t.name);
  const lines = [...t.columns.map((c) => `${sqlIdent(c.name)} ${c.type}${c.sql ? ` ${c.sql}` : ''}`), ...(t.constraints ?? [])];
  const sql = [`CREATE TABLE ${name} (\n  ${lines.join(',\n  ')}\n)${t.partitions ? ` PARTITION BY ${t.partitions.by}` : ''}`];
  for (const [part, bounds] of Object.entries(t.partitions?.parts ?? {})) {
    sql.push(`CREATE TABLE ${sqlTableName(t.schema, part)} PARTITION OF ${name} FOR VALUES ${bounds}`);
  }
  if (t.comment) sql.push(`COMMENT ON TABLE ${name} IS ${pg.escapeLiteral(t.comment)}`);
  for (const c of t.columns) if (c.comment) sql.push(`COMMENT ON COLUMN ${name}.${sqlIdent(c.name)} IS ${pg.escapeLiteral(c.comment)}`);
  return sql;
}

/**
 * Builds the held-out scan test database into the (empty) database at `url`: a Swedish school
 * system (schema `skola`) and an English-named SaaS/HR product (schema `app`), deterministic for
 * a fixed seed, and returns the true label of every column (partitions are covered by their
 * parent's labels). Labelled by what the data holds, written without looking at scan's code,
 * dictionaries or tuning fixtures: a measure of scan on data it was not tuned on, so keep it so.
 */
export async function buildHeldOutDatabase(url: string): Promise<HeldOutLabel[]> {
  const tables = heldOutTables();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const kept = new Map<string, Record<string, CellValue>[]>();
  const rows = (table: string) => {
    const found = kept.get(table);
    if (!found) throw new Error(`held-out table ${table} has no kept rows (is it created later?)`);
    return found;
  };
  try {
    for (const schema of new Set(tables.map((t) => t.schema))) await client.query(`CREATE SCHEMA IF NOT EXISTS ${sqlIdent(schema)}`);
    for (const t of tables) {
      for (const sql of createSql(t)) await client.query(sql);
      const filled = t.columns.filter((c) => c.gen);
      const keep: Record<string, CellValue>[] = [];
      if (t.rows > 0) {
        function* lines(): Generator<string> {
          let chunk = '';
          for (let i = 0; i < t.rows; i++) {
            const p = t.prepare?.(i) ?? {};
            const row: Record<string, CellValue> = {};
            for (const c of filled) row[c.name] = c.gen!({ i, p, rows });
            if (t.keepRows !== false) keep.push(row);
            chunk += `${filled.map((c) => copyField(row[c.name] ?? null)).join('\t')}\n`;
            if (chunk.length > 65_536) {
              yield chunk;
              chunk = '';
            }
          }
          if (chunk) yield chunk;
        }
        const copy = `COPY ${sqlTableName(t.schema, t.name)} (${filled.map((c) => sqlIdent(c.name)).join(', ')}) FROM STDIN`;
        await pipeline(Readable.from(lines()), client.query(copyFrom(copy)));
      }
      kept.set(`${t.schema}.${t.name}`, keep);
    }
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  return tables.flatMap((t) => t.columns.map((c) => ({ table: tableKey(t.schema, t.name), column: c.name, kind: c.kind, ...(c.note ? { note: c.note } : {}) })));
}
