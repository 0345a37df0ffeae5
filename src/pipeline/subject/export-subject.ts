import { rowJsonSql } from '../../subject/row-json-sql.js';
import { SubjectError } from '../../subject/subject-error.js';
import { type FindSubjectOptions, type SubjectFindings, searchSubject } from './find-subject.js';

/** The export of one person's rows: their data by nature. */
export interface SubjectExport {
  readonly exportedAt: string;
  /** `user@host:port/database` of the source. */
  readonly source: string;
  /** What the person was found by (the identifier itself is in their rows, not here). */
  readonly by: SubjectFindings['by'];
  /** Per table with rows of the person: every column of each row, its type kept. */
  readonly tables: readonly { readonly table: string; readonly rows: readonly Readonly<Record<string, unknown>>[] }[];
}

/**
 * Finds one person's rows as `findSubject` does and reads every column of each, in the same
 * transaction, into one JSON-ready document for an access or portability request: integers and
 * booleans as JSON, int8 and numerics as strings, dates and timestamps ISO 8601, json as
 * documents, bytea base64. The document holds the person's data: write it where only its
 * recipient can read it.
 *
 * @example
 * const { document } = await exportSubject({ source, rules, identifier: { kind: 'email', value } });
 */
export async function exportSubject(options: FindSubjectOptions): Promise<{ findings: SubjectFindings; document: SubjectExport }> {
  const { findings, read } = await searchSubject(options, async (session, graph, selection) => {
    const tables: SubjectExport['tables'][number][] = [];
    for (const table of selection.tables) {
      const selectionTable = selection.selectionTables.get(table.table);
      if (!selectionTable) throw new SubjectError('SUBJECT_EXPORT', `subject export: the rows found in ${table.table} are not held (a bug)`);
      const rows = await session.query<{ row: string }>(rowJsonSql(graph, table.table, selectionTable));
      tables.push({ table: table.table, rows: rows.map((r) => JSON.parse(r.row) as Record<string, unknown>) });
    }
    return tables;
  });
  return { findings, document: { exportedAt: new Date().toISOString(), source: findings.source, by: findings.by, tables: read } };
}
