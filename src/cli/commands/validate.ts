import { type Finding, formatFinding } from '../../config/finding.js';
import { ExitCode, PgmaskError, UsageError } from '../../errors.js';
import { type ValidationResult, validate } from '../../pipeline/checks/validate.js';
import type { Command, FlagValues, Io } from '../command.js';
import { testdataDirFlag } from '../masking-flags.js';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function humanReport(result: ValidationResult, sourceGiven: boolean): string {
  const lines = result.findings.map(formatFinding);
  const { errors, warnings } = result.summary;
  const against = result.source
    ? ` against ${result.source}${result.checked ? ` (${plural(result.checked.tables, 'table')})` : ''}`
    : sourceGiven
      ? ' (not checked against the database: the file itself has errors)'
      : ' (file only; add --source to check against a database)';
  const verdict = result.ok ? 'ok' : 'failed';
  lines.push(`${result.rulesFile}: ${verdict}${against}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return `${lines.join('\n')}\n`;
}

/** The `--json` document: stable keys for machines. */
function jsonReport(result: ValidationResult): string {
  const findings = result.findings.map((f: Finding) => ({
    severity: f.severity,
    code: f.code,
    message: f.message,
    ...(f.file ? { file: f.file } : {}),
    ...(f.table !== undefined ? { table: f.table } : {}),
    ...(f.column !== undefined ? { column: f.column } : {}),
  }));
  return `${JSON.stringify(
    {
      ok: result.ok,
      rulesFile: result.rulesFile,
      ...(result.source ? { source: result.source } : {}),
      findings,
      summary: result.summary,
    },
    null,
    2,
  )}\n`;
}

/** `pgmask validate`: checks a rules file, alone or against a source database. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check a rules file, alone or against the source database (fail closed)',
  usage: 'pgmask validate --rules FILE [--source URL] [--json] [--testdata-dir DIR]',
  flags: [
    { name: 'rules', type: 'string', value: 'FILE', description: 'The rules file (YAML)' },
    { name: 'source', type: 'string', value: 'URL', description: 'Source database to check the rules against (libpq URL or key=value; PG* variables fill the gaps)' },
    { name: 'json', type: 'boolean', description: 'Print the result as JSON' },
    testdataDirFlag,
  ],
  async run(flags: FlagValues, _positionals: readonly string[], io: Io): Promise<number> {
    const rulesFile = flags['rules'];
    if (typeof rulesFile !== 'string' || rulesFile === '') throw new UsageError("missing --rules FILE (see 'pgmask validate --help')");
    const source = typeof flags['source'] === 'string' ? flags['source'] : undefined;
    const json = flags['json'] === true;
    let result: ValidationResult;
    try {
      const testdataDir = typeof flags['testdata-dir'] === 'string' ? flags['testdata-dir'] : undefined;
      result = await validate({ rulesFile, source, env: io.env, testdataDir });
    } catch (error) {
      if (json && error instanceof PgmaskError) {
        io.stdout.write(`${JSON.stringify({ ok: false, rulesFile, error: { code: error.code, message: error.message } }, null, 2)}\n`);
      }
      throw error;
    }
    io.stdout.write(json ? jsonReport(result) : humanReport(result, source !== undefined));
    return result.ok ? ExitCode.ok : ExitCode.validation;
  },
};
