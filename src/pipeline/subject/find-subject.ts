import { readCatalog } from '../../catalog/read-catalog.js';
import { isTableKeyError, parseTableKey, tableKey } from '../../catalog/table-key.js';
import type { Rules } from '../../config/rules.js';
import { connectionLabel, Session, safeErrorMessage } from '../../db/connection.js';
import { temporaryTablesRefused } from '../../db/temporary-tables-refused.js';
import { DatabaseError, ExitCode, PgmaskError } from '../../errors.js';
import { findSubjectRows, type SearchOutcome, type SubjectSelection, type SubjectTable } from '../../subject/find-subject-rows.js';
import { SubjectError } from '../../subject/subject-error.js';
import { type IdentifierKind, identifierForms, type SubjectIdentifier } from '../../subject/subject-identifier.js';
import { IDENTIFIER_TRANSFORMERS, type SubjectSearch, subjectSearches } from '../../subject/subject-searches.js';
import { type ReferenceGraph, referenceGraph } from '../../subset/reference-graph.js';
import { virtualKeysOf } from '../run/select-rows.js';

/** Options of `findSubject`. */
export interface FindSubjectOptions {
  /** Connection string of the source database (URL or key=value; PG* variables fill the gaps). */
  readonly source: string | undefined;
  /** The rules: which columns hold which identifier, and the virtual keys of `subset:`. */
  readonly rules: Rules;
  /** The person: an identifier (never printed) or a predicate on one table's rows. */
  readonly identifier: SubjectIdentifier;
}

/** A data subject's rows: tables, primary keys and how each row was found. No value of the identifier. */
export interface SubjectFindings {
  /** `user@host:port/database` of the source. */
  readonly source: string;
  /** What the person was found by. */
  readonly by: SubjectIdentifier['kind'];
  /** Tables with rows of the person, in catalog order; empty when the person has none. */
  readonly tables: readonly SubjectTable[];
  /** Every search run, with the rows it found and whether it read its whole table. */
  readonly searches: readonly SearchOutcome[];
  readonly summary: { readonly tables: number; readonly rows: number; readonly rounds: number; readonly milliseconds: number };
}

/** The graph of every reference, all followed downwards (the found rows' children, transitively). */
function graphOf(catalog: Parameters<typeof referenceGraph>[0], rules: Rules): ReferenceGraph {
  return referenceGraph(catalog, {
    roots: [],
    children: 'all',
    virtualKeys: virtualKeysOf(rules.subset),
  });
}

/** The one search of `--where`: the predicate on its table's rows. */
function whereSearch(graph: ReferenceGraph, identifier: Extract<SubjectIdentifier, { kind: 'where' }>): SubjectSearch {
  const parsed = parseTableKey(identifier.table.trim());
  if (isTableKeyError(parsed)) throw new SubjectError('SUBJECT_TABLE', `--where: "${identifier.table}" is not a table key: ${parsed.error}`, ExitCode.usage);
  const key = tableKey(parsed.schema, parsed.name);
  if (!graph.nodes.has(key)) throw new SubjectError('SUBJECT_TABLE', `--where: ${key} is not a table of the source (a partition: name its partitioned table)`);
  return { node: key, how: { kind: 'where' }, predicate: identifier.predicate, param: undefined };
}

/**
 * Finds one person's rows across a database (`pgmask subject find`): the rows whose columns
 * hold the identifier as the rules say (a column ruled with a transformer of its kind, in every
 * spelling; free text, JSON and arrays that mention it), or the rows a predicate selects, then
 * every row that references those, transitively, through foreign keys and the rules' virtual
 * keys. One REPEATABLE READ transaction, rolled back: the rows found are held in temporary
 * tables inside the server, and only table names, column names and primary keys come back.
 *
 * @throws {SubjectError} for an identifier that is not of its kind (exit code 2, the value not
 *   named) or a `--where` table the source does not hold (exit code 1).
 * @throws {SubjectError} (exit code 3) when the source role may not create temporary tables, or the source is a hot standby.
 * @throws {DatabaseError} when the source cannot be reached or read (exit code 3).
 * @example
 * const rules = await loadRules('rules.yaml');
 * const found = await findSubject({ source: 'postgres://app@db/prod', rules, identifier: { kind: 'email', value: address } });
 */
export async function findSubject(options: FindSubjectOptions): Promise<SubjectFindings> {
  return (await searchSubject(options, async () => undefined)).findings;
}

/** What a subject request reads of the rows it found, in the same transaction, before it is rolled back. */
export type ReadFound<T> = (session: Session, graph: ReferenceGraph, selection: SubjectSelection) => Promise<T>;

/**
 * `findSubject`, then `read` in the same transaction (the found rows still in its temporary
 * tables). The transaction is rolled back, unless `commit` (an erasure that was asked to run)
 * says to commit what `read` did; on any error it is rolled back.
 */
export async function searchSubject<T>(
  options: FindSubjectOptions,
  read: ReadFound<T>,
  commit: (read: T) => boolean = () => false,
): Promise<{ findings: SubjectFindings; read: T }> {
  const started = performance.now();
  const { identifier, rules } = options;
  const forms = identifier.kind === 'where' ? undefined : identifierForms(identifier as { kind: IdentifierKind; value: string });
  const session = await Session.connect(options.source, 'source');
  const source = connectionLabel(session.info);
  try {
    await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ WRITE');
    const catalog = await readCatalog(session);
    const graph = graphOf(catalog, rules);
    const transformOf = (table: string, column: string): string | undefined => {
      const rule = rules.tables.get(table);
      return rule && !rule.skip ? rule.columns.get(column)?.transform : undefined;
    };
    const searches = identifier.kind === 'where' ? [whereSearch(graph, identifier)] : subjectSearches(graph, transformOf, forms!);
    const identifierTransforms = new Set(Object.values(IDENTIFIER_TRANSFORMERS).flat());
    const selection = await findSubjectRows(session, graph, searches, {
      // A primary key that holds an identifier is the person's data: such rows are named by ctid.
      personalKey: (node) => (node.table.primaryKey ?? []).some((c) => identifierTransforms.has(transformOf(node.key, c) ?? '')),
    });
    const extra = await read(session, graph, selection);
    if (!commit(extra)) await session.query('ROLLBACK');
    else {
      await session.query('COMMIT').catch((error: unknown) => {
        throw new SubjectError('SUBJECT_ERASE_FAILED', `the erasure could not be committed and was rolled back, nothing changed: ${safeErrorMessage(error)}`, ExitCode.runtime);
      });
    }
    const rows = selection.tables.reduce((n, t) => n + t.rows.length, 0);
    const findings: SubjectFindings = {
      source,
      by: identifier.kind,
      tables: selection.tables,
      searches: selection.searches,
      summary: { tables: selection.tables.length, rows, rounds: selection.rounds, milliseconds: Math.round(performance.now() - started) },
    };
    return { findings, read: extra };
  } catch (error) {
    // Closing the connection would roll back as well: said here, so that nothing is left half done.
    await session.query('ROLLBACK').catch(() => undefined);
    if (error instanceof PgmaskError) throw error;
    const refused = temporaryTablesRefused(error);
    if (refused) {
      throw new SubjectError(
        'SUBJECT_NEEDS_TEMPORARY_TABLES',
        `the rows found are held in temporary tables of the source, which ${refused}: ${safeErrorMessage(error)}`,
        ExitCode.runtime,
      );
    }
    // The error of a search names its SQL at most, whose parameters (the identifier) pg does not put in messages.
    throw new DatabaseError('SUBJECT_FIND', `cannot search the source database ${source}: ${safeErrorMessage(error)}`, { cause: error });
  } finally {
    await session.end();
  }
}
