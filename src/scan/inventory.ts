import { categoriesOf } from './categories-of.js';
import type { InventoryColumn, InventoryTable } from './inventory-table.js';

export type { InventoryColumn, InventoryTable } from './inventory-table.js';

/** Options of `renderInventory`. */
export interface RenderInventoryOptions {
  /** What was scanned: a database name or a description, never a password. */
  readonly source: string;
  /** The rules file whose rules the inventory shows, when there is one. */
  readonly rulesFile?: string;
  /** When the scan ran; now by default. Written as a UTC date. */
  readonly generatedAt?: Date;
}

/** Past this many, tables without personal data are counted rather than named. */
const MAX_NAMED_CLEAN_TABLES = 50;

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;

/** A name as inline code that survives backticks and table pipes. */
function code(name: string): string {
  const text = name.replace(/[\r\n]+/g, ' ').replaceAll('|', '\\|');
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 || text.startsWith(' ') || text.endsWith(' ') ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** Plain text for a Markdown line: no line breaks, no table pipes. */
const plain = (text: string): string => text.replace(/[\r\n]+/g, ' ').replaceAll('|', '\\|');

/** `email` → `email`, with a mark when the column is copied unchanged or needs review. */
function columnCell(column: InventoryColumn): string {
  const marks = [column.transform === 'keep' ? '**kept unmasked**' : undefined, column.review !== undefined ? 'review' : undefined].filter(Boolean);
  return `${code(column.column)} → ${code(column.transform)}${marks.length > 0 ? ` (${marks.join(', ')})` : ''}`;
}

/**
 * The inventory of personal data as Markdown, for a data-protection officer: where personal
 * data lives (per table: rows, categories, each personal column and the rule that masks it),
 * personal columns the rules copy unchanged called out first, columns a person should review,
 * and the tables where none was found. Names and counts only, never a value from the data.
 *
 * @example
 * process.stdout.write(renderInventory(tables, { source: 'crm', rulesFile: 'rules.yaml' }));
 */
export function renderInventory(tables: readonly InventoryTable[], options: RenderInventoryOptions): string {
  const date = (options.generatedAt ?? new Date()).toISOString().slice(0, 10);
  const personal = tables.filter((t) => t.columns.length > 0);
  const clean = tables.filter((t) => t.columns.length === 0);
  const columns = personal.flatMap((t) => t.columns.map((c) => ({ table: t.key, column: c })));
  const kept = columns.filter(({ column }) => column.transform === 'keep');
  const review = columns.filter(({ column }) => column.review !== undefined);

  const lines: string[] = [`# Personal data inventory: ${plain(options.source)}`, ''];
  lines.push(`Scanned by pgmask scan on ${date}${options.rulesFile !== undefined ? `; rules from ${code(options.rulesFile)}` : ''}.`, '');
  lines.push(
    `**${count(personal.length)} of ${plural(tables.length, 'table')} hold personal data: ${plural(columns.length, 'personal column')}, ${count(kept.length)} kept unmasked, ${count(review.length)} to review.**`,
    '',
  );
  if (kept.length > 0) {
    lines.push('## Kept unmasked', '', 'These personal columns are copied unchanged by the rules:', '');
    for (const { table, column } of kept) lines.push(`- ${code(table)} ${code(column.column)} (${column.kind.replaceAll('_', ' ')})`);
    lines.push('');
  }
  if (personal.length > 0) {
    lines.push('## Where personal data lives', '', '| Table | Rows | Categories | Columns |', '|---|---:|---|---|');
    for (const table of personal) {
      lines.push(`| ${code(table.key)} | ${count(table.rows)} | ${categoriesOf(table.columns).join(', ')} | ${table.columns.map(columnCell).join(', ')} |`);
    }
    lines.push('');
  }
  if (review.length > 0) {
    lines.push('## To review', '');
    for (const { table, column } of review) lines.push(`- ${code(table)} ${code(column.column)}: ${plain(column.review ?? '')}`);
    lines.push('');
  }
  if (clean.length > 0) {
    lines.push('## Tables without personal data found', '');
    lines.push(clean.length > MAX_NAMED_CLEAN_TABLES ? `${plural(clean.length, 'table')}.` : clean.map((t) => code(t.key)).join(', '));
    lines.push('');
  }
  return lines.join('\n');
}
