import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { loadRules } from '../../config/load-rules.js';
import { ExitCode, UsageError } from '../../errors.js';
import { eraseSubject, type SubjectErasure } from '../../pipeline/subject/erase-subject.js';
import { exportSubject } from '../../pipeline/subject/export-subject.js';
import { type FindSubjectOptions, findSubject, type SubjectFindings } from '../../pipeline/subject/find-subject.js';
import { eraseAudit, findAudit, type SubjectAudit } from '../../pipeline/subject/subject-audit.js';
import { describeHowFound } from '../../subject/how-found.js';
import type { SubjectIdentifier } from '../../subject/subject-identifier.js';
import { type Command, type FlagValues, type Io, stringFlag } from '../command.js';
import { keyFileFlag, readKey, testdataDirFlag } from '../masking-flags.js';
import { plural } from '../plural.js';
import { sourceConnection, sourceFlag } from '../source-flag.js';

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
  const given = (['personnummer', 'email', 'phone', 'where'] as const).filter((name) => stringFlag(flags, name) !== undefined);
  if (given.length !== 1) throw new UsageError('give exactly one of --personnummer, --email, --phone and --where');
  const kind = given[0]!;
  const value = stringFlag(flags, kind) === '-' ? await readStdin() : stringFlag(flags, kind)!;
  if (kind !== 'where') return { kind, value };
  const colon = value.indexOf(':');
  if (colon < 0 || value.slice(colon + 1).trim() === '') throw new UsageError('--where takes "table: predicate", e.g. --where "public.customers: id = 42"');
  return { kind, table: value.slice(0, colon).trim(), predicate: value.slice(colon + 1).trim() };
}

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
  const source = sourceConnection(flags, io);
  const rulesFile = stringFlag(flags, 'rules');
  if (!rulesFile) throw new UsageError('--rules FILE is required: the rules say which columns hold which identifier');
  const identifier = await identifierOf(flags);
  return { source, rules: await loadRules(rulesFile), identifier };
}

/** `--audit FILE`, checked before anything runs: never written over. */
function auditFile(flags: FlagValues): string | undefined {
  const file = stringFlag(flags, 'audit');
  if (file !== undefined && existsSync(file)) throw new UsageError(`${file} exists: the audit record is never written over a file`);
  return file;
}

/** Writes the audit record (counts, no value) when --audit asked for it. */
async function writeAudit(file: string | undefined, audit: SubjectAudit, io: Io): Promise<void> {
  if (file === undefined) return;
  await writeFile(file, `${JSON.stringify(audit, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  io.stderr.write(`wrote the audit record to ${file}\n`);
}

async function findCommand(flags: FlagValues, io: Io): Promise<number> {
  const audit = auditFile(flags);
  const options = await request(flags, io);
  const found = await findSubject(options);
  io.stdout.write(flags['json'] === true ? findingsJson(found) : renderFindings(found));
  await writeAudit(audit, findAudit(found, options.rules), io);
  return ExitCode.ok;
}

/** The plan or its outcome: per table, its rows and what its policy does with them. */
export function renderErasure(erasure: SubjectErasure): string {
  const { findings } = erasure;
  if (erasure.tables.length === 0) return `no rows found in ${findings.source} (by ${findings.by}): nothing to erase\n`;
  const verb = erasure.executed ? { delete: 'deleted', mask: 'masked', retain: 'retained' } : { delete: 'to delete', mask: 'to mask', retain: 'to retain' };
  const lines = [
    erasure.executed
      ? `erased the person's rows in ${findings.source} (by ${findings.by}), in one transaction:`
      : `plan for the person's rows in ${findings.source} (by ${findings.by}); nothing changed (--execute runs it):`,
  ];
  for (const t of erasure.tables) {
    const n = t.policy.kind === 'delete' ? t.deleted : t.policy.kind === 'mask' ? t.masked : t.retained;
    lines.push(`  ${t.table}: ${plural(n, 'row')} ${verb[t.policy.kind]}${t.policy.kind === 'retain' ? `: ${t.policy.reason}` : ''}`);
  }
  const total = (k: 'deleted' | 'masked' | 'retained'): number => erasure.tables.reduce((n, t) => n + t[k], 0);
  lines.push(
    `${erasure.executed ? '' : 'would be '}${plural(total('deleted'), 'row')} deleted, ${plural(total('masked'), 'row')} masked, ${plural(total('retained'), 'row')} retained`,
  );
  return `${lines.join('\n')}\n`;
}

/** `subject erase`: the plan, the script (--script, mode 0600) and, with --execute, the erasure in the transaction that found the rows. */
async function eraseCommand(flags: FlagValues, io: Io): Promise<number> {
  const audit = auditFile(flags);
  const script = stringFlag(flags, 'script');
  if (script !== undefined && existsSync(script)) throw new UsageError(`${script} exists: subject erase does not write over a file`);
  const options = await request(flags, io);
  const execute = flags['execute'] === true;
  const erasure = await eraseSubject({
    ...options,
    execute,
    statements: script !== undefined,
    key: () => readKey(flags, io),
    testdataDir: stringFlag(flags, 'testdata-dir'),
    env: io.env,
  });
  io.stdout.write(renderErasure(erasure));
  if (script !== undefined) {
    const body = erasure.statements.length > 0 ? `${erasure.statements.join('\n')}\n` : '-- nothing to erase\n';
    await writeFile(
      script,
      `-- pgmask subject erase (by ${erasure.findings.by}); rows named by primary key, or by ctid where a table has none (valid until the table changes)\nSET standard_conforming_strings = on;\nBEGIN;\n${body}COMMIT;\n`,
      {
        mode: 0o600,
        flag: 'wx',
      },
    );
    io.stderr.write(`wrote the erasure script to ${script} with mode 0600: its keys name the person's rows\n`);
  }
  await writeAudit(audit, eraseAudit(erasure, options.rules), io);
  return ExitCode.ok;
}

/** `subject export --out FILE`: the person's rows, every column, as one JSON document written mode 0600 (never over a file). */
async function exportCommand(flags: FlagValues, io: Io): Promise<number> {
  const out = stringFlag(flags, 'out');
  if (!out) throw new UsageError("subject export needs --out FILE: the export holds the person's data and is written with mode 0600, never to the terminal");
  if (existsSync(out)) throw new UsageError(`${out} exists: subject export does not write over a file`);
  const audit = auditFile(flags);
  const options = await request(flags, io);
  const { findings, document } = await exportSubject(options);
  await writeFile(out, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  const { summary } = findings;
  io.stderr.write(
    `wrote ${plural(summary.rows, 'row')} of ${plural(summary.tables, 'table')} to ${out} with mode 0600: it holds the person's data; hand it over securely and delete it afterwards\n`,
  );
  await writeAudit(audit, findAudit(findings, options.rules, document), io);
  return ExitCode.ok;
}

/** `pgmask subject find|export|erase`: one person's rows across a database, by identifier or predicate: where they are, all they hold, or their erasure. */
export const subjectCommand: Command = {
  name: 'subject',
  summary: "Find, export or erase one person's rows across a database (data-subject requests): by personnummer, e-mail, phone or a predicate, and every row referencing them",
  usage:
    'pgmask subject find|export|erase --source URL --rules FILE (--personnummer X | --email X | --phone X | --where "table: predicate") [--json] [--out FILE] [--execute] [--script FILE] [--audit FILE]',
  positionals: true,
  flags: [
    sourceFlag,
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
    { name: 'execute', type: 'boolean', description: 'erase: run the erasure, in the transaction that found the rows (without it nothing changes: the plan is printed)' },
    { name: 'script', type: 'string', value: 'FILE', description: 'erase: write the erasure as an SQL script (BEGIN … COMMIT, foreign keys respected), mode 0600' },
    {
      name: 'audit',
      type: 'string',
      value: 'FILE',
      description: 'Write the audit record: when, rules sha256, tables and row counts, retained tables and reasons; no value, no key',
    },
    keyFileFlag,
    testdataDirFlag,
  ],
  async run(flags: FlagValues, positionals: readonly string[], io: Io): Promise<number> {
    const [sub, ...rest] = positionals;
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}' for 'pgmask subject ${sub}'`);
    if (sub === 'find') return findCommand(flags, io);
    if (sub === 'export') return exportCommand(flags, io);
    if (sub === 'erase') return eraseCommand(flags, io);
    throw new UsageError(`'pgmask subject' needs find, export or erase (see 'pgmask subject --help')`);
  },
};
