import { Document, Scalar, YAMLMap } from 'yaml';
import { columnEntries } from './column-entries.js';
import type { TableProposal } from './proposal.js';

/** The rules file's JSON Schema, for editors (as the README's example points at it). */
export const RULES_SCHEMA_URL = 'https://raw.githubusercontent.com/pgmask/pgmask/main/rules/schema.json';

/** Options of `writeRules`. */
export interface WriteRulesOptions {
  /** What was scanned, for the header: a database name or a description, never a password. */
  readonly source: string;
  /** When the scan ran; now by default. Written as a UTC date. */
  readonly generatedAt?: Date;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The header's summary: tables, columns, personal columns, columns to review. */
function summary(tables: readonly TableProposal[]): string {
  const columns = tables.flatMap((t) => t.columns);
  const personal = columns.filter((c) => c.kind !== undefined).length;
  const review = columns.filter((c) => c.review !== undefined).length;
  const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(tables.length, 'table')}, ${plural(columns.length, 'column')}, ${count(personal)} personal, ${count(review)} to review`;
}

/**
 * A new rules file from a scan's proposals, as YAML text: a header naming the source, the date
 * and the counts, `version: 1`, `unlisted: fail` and an entry per table (in the given order,
 * columns in theirs). Each rule carries its evidence as a trailing comment, `review: ...` first
 * when a person should look. A table without columns gets `columns: {}`. The text holds names
 * and counts only, never a value from the data.
 *
 * @example
 * const text = writeRules(proposals, { source: 'database crm on db.example.com' });
 */
export function writeRules(tables: readonly TableProposal[], options: WriteRulesOptions): string {
  const date = (options.generatedAt ?? new Date()).toISOString().slice(0, 10);
  const document = new Document();
  const root = new YAMLMap();
  root.add(document.createPair('version', 1));
  root.add(document.createPair('unlisted', 'fail'));
  const tablesMap = new YAMLMap();
  for (const table of tables) {
    const entry = new YAMLMap();
    entry.add(document.createPair('columns', columnEntries(document, table.columns, 6)));
    tablesMap.add(document.createPair(new Scalar(table.key), entry));
  }
  root.add(document.createPair('tables', tablesMap));
  root.commentBefore = [
    ` yaml-language-server: $schema=${RULES_SCHEMA_URL}`,
    ` Written by pgmask scan from ${options.source.replace(/[\r\n]+/g, ' ')} on ${date}: ${summary(tables)}.`,
    ' Review every line marked "review:" before using this file.',
  ].join('\n');
  document.contents = root;
  return document.toString({ lineWidth: 0 });
}
