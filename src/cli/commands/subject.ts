import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { loadRules } from '../../config/load-rules.js';
import { ExitCode, UsageError } from '../../errors.js';
import { exportSubject } from '../../pipeline/subject/export-subject.js';
import { type FindSubjectOptions, findSubject, type SubjectFindings } from '../../pipeline/subject/find-subject.js';
import { describeHowFound } from '../../subject/how-found.js';
import type { SubjectIdentifier } from '../../subject/subject-identifier.js';
import type { Command, FlagValues, Io } from '../command.js';

const text = (flags: FlagValues, name: string): string | undefined => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);

/** Rows of a table the summary lists; `--json` lists them all. */
const ROWS_SHOWN = 20;

/** Standard input's text, trimmed: an identifier given as `-`, kept out of the process list and shell history. */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('an identifier given as - is read from stdin: pipe it in (printf %s "$PNR" | pgmask subject find ... --personnummer -)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** The one of --personnummer, --email, --phone and --where given (`-`: read from stdin). Never echoes its value. */
async function identifierOf(flags: FlagValues): Promise<SubjectIdentifier> {
  const given = (['personnummer', 'email', 'phone', 'where'] as const).filter((name) => text(flags, name) !== undefined);
  if (given.length !== 1) throw new UsageError('give exactly one of --personnummer, --email, --phone and --where');
  const kind = given[0]!;
  const value = text(flags, kind) === '-' ? await readStdin() : text(flags, kind)!;
  if (kind !== 'where') return { kind, value };
  const colon = value.indexOf(':');
  if (colon < 0 || value.slice(colon + 1).trim() === '') throw new UsageError('--where takes "table: predicate", e.g. --where "public.customers: id = 42"');
  return { kind, table: value.slice(0, colon).trim(), predicate: value.slice(colon + 1).trim() };
}

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
const keyText = (key: Readonly<Record<string, string>>): string =>
  Object.entries(key)
    .map(([c, v]) => `${c}=${v}`)
    .join(', ');
const searchLabel = (s: SubjectFindings['searches'][number]): string => {
  const how = s.how;
  const column = 'column' in how ? `.${how.column}` : '';
  return `${s.table}${column} (${how.kind === 'column' ? 'equal' : how.kind})`;
};

/** The summary: tables, rows per table and how each was found, then every search and whether it read its whole table. */
export function renderFindings(found: SubjectFindings): string {
  const { summary } = found;
  const lines = [
    summary.rows === 0
      ? `no rows found in ${found.source} (by ${found.by})`
      : `found ${plural(summary.rows, 'row')} in ${plural(summary.tables, 'table')} of ${found.source} (by ${found.by}, ${(summary.milliseconds / 1000).toFixed(1)} s)`,
  ];
  for (const table of found.tables) {
    lines.push(`  ${table.table}: ${plural(table.rows.length, 'row')}${table.stableKey ? '' : ' (by ctid: no primary key to name them by)'}`);
    for (const row of table.rows.slice(0, ROWS_SHOWN)) lines.push(`    ${keyText(row.key)}: ${row.found.map(describeHowFound).join('; ')}`);
    if (table.rows.length > ROWS_SHOWN) lines.push(`    … and ${plural(table.rows.length - ROWS_SHOWN, 'more row')} (--json lists every row)`);
  }
  const scanned = found.searches.filter((s) => s.scanned);
  if (found.searches.length === 0)
    lines.push(`no column of the rules holds a ${found.by === 'email' ? 'e-mail address' : found.by === 'phone' ? 'phone number' : found.by} or free text`);
  else
    lines.push(
      `searched ${plural(found.searches.length, 'column')}${found.by === 'where' ? '' : `; ${scanned.length.toLocaleString('en-US')} read whole (no index serves the search)`}:`,
    );
  for (const s of found.searches) lines.push(`  ${searchLabel(s)}: ${plural(s.rows, 'row')}, ${s.scanned ? 'scanned' : 'by index'}`);
  return `${lines.join('\n')}\n`;
}

/** The `--json` document: per table the rows by primary key and how each was found; the searches. */
export function findingsJson(found: SubjectFindings): string {
  return `${JSON.stringify(
    {
      source: found.source,
      by: found.by,
      summary: found.summary,
      tables: found.tables.map((t) => ({
        table: t.table,
        keyColumns: t.keyColumns,
        stableKey: t.stableKey,
        rows: t.rows.map((r) => ({ key: r.key, found: r.found.map(describeHowFound) })),
      })),
      searches: found.searches.map((s) => ({
        table: s.table,
        ...('column' in s.how ? { column: s.how.column } : {}),
        how: describeHowFound(s.how),
        rows: s.rows,
        scanned: s.scanned,
      })),
    },
    null,
    2,
  )}\n`;
}

/** What find and export both need: the source, the rules and the person. */
async function request(flags: FlagValues, io: Io): Promise<FindSubjectOptions> {
  const source = text(flags, 'source');
  if (!source && !io.env['PGHOST'] && !io.env['PGDATABASE']) throw new UsageError('--source URL is required');
  const rulesFile = text(flags, 'rules');
  if (!rulesFile) throw new UsageError('--rules FILE is required: the rules say which columns hold which identifier');
  const identifier = await identifierOf(flags);
  return { source, rules: await loadRules(rulesFile), identifier };
}

async function findCommand(flags: FlagValues, io: Io): Promise<number> {
  const found = await findSubject(await request(flags, io));
  io.stdout.write(flags['json'] === true ? findingsJson(found) : renderFindings(found));
  return ExitCode.ok;
}

/** `subject export --out FILE`: the person's rows, every column, as one JSON document written mode 0600 (never over a file). */
async function exportCommand(flags: FlagValues, io: Io): Promise<number> {
  const out = text(flags, 'out');
  if (!out) throw new UsageError("subject export needs --out FILE: the export holds the person's data and is written with mode 0600, never to the terminal");
  if (existsSync(out)) throw new UsageError(`${out} exists: subject export does not write over a file`);
  const { findings, document } = await exportSubject(await request(flags, io));
  await writeFile(out, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  const { summary } = findings;
  io.stderr.write(
    `wrote ${plural(summary.rows, 'row')} of ${plural(summary.tables, 'table')} to ${out} with mode 0600: it holds the person's data; hand it over securely and delete it afterwards\n`,
  );
  return ExitCode.ok;
}

/** `pgmask subject find|export`: one person's rows across a database, by identifier or predicate: where they are, or all they hold. */
export const subjectCommand: Command = {
  name: 'subject',
  summary: "Find or export one person's rows across a database (data-subject requests): by personnummer, e-mail, phone or a predicate, and every row referencing them",
  usage: 'pgmask subject find|export --source URL --rules FILE (--personnummer X | --email X | --phone X | --where "table: predicate") [--json] [--out FILE]',
  positionals: true,
  flags: [
    { name: 'source', type: 'string', value: 'URL', description: 'Source connection (libpq URL or key=value; PG* variables fill gaps)' },
    { name: 'rules', type: 'string', value: 'FILE', description: 'The rules file: its transformers say which columns hold which identifier' },
    {
      name: 'personnummer',
      type: 'string',
      value: 'X',
      description: 'The person by personnummer or samordningsnummer (any spelling; matched in every spelling, never printed; - reads it from stdin)',
    },
    { name: 'email', type: 'string', value: 'X', description: 'The person by e-mail address (matched case-insensitively, never printed; - reads it from stdin)' },
    { name: 'phone', type: 'string', value: 'X', description: 'The person by Swedish phone number (matched in any format, never printed; - reads it from stdin)' },
    { name: 'where', type: 'string', value: '"T: P"', description: 'The person as the rows of table T where SQL predicate P holds' },
    { name: 'json', type: 'boolean', description: 'find: print the rows per table by primary key and how each was found, as JSON' },
    { name: 'out', type: 'string', value: 'FILE', description: 'export: write every column of the rows found here, as JSON, mode 0600 (never over a file)' },
  ],
  async run(flags: FlagValues, positionals: readonly string[], io: Io): Promise<number> {
    const [sub, ...rest] = positionals;
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}' for 'pgmask subject ${sub}'`);
    if (sub === 'find') return findCommand(flags, io);
    if (sub === 'export') return exportCommand(flags, io);
    throw new UsageError(`'pgmask subject' needs find or export (see 'pgmask subject --help')`);
  },
};
