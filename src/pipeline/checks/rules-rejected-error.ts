import type { Finding } from '../../config/finding.js';
import { ExitCode, PgmaskError } from '../../errors.js';

/** The rules do not fit the database, or need data that is missing (exit code 1): nothing was written. */
export class RulesRejectedError extends PgmaskError {
  constructor(
    readonly findings: readonly Finding[],
    what = 'the rules do not fit the source database',
  ) {
    const errors = findings.filter((f) => f.severity === 'error');
    const lines = errors.slice(0, 20).map((f) => {
      const where = f.file ? `${f.file.file}:${f.file.line}:${f.file.column}` : [f.table, f.column].filter(Boolean).join('.');
      return `  ${where ? `${where}: ` : ''}${f.code} ${f.message}`;
    });
    const more = errors.length > lines.length ? [`  … and ${errors.length - lines.length} more (pgmask validate lists them all)`] : [];
    super('RULES_REJECTED', `${what} (${errors.length} error(s)); nothing was written:\n${[...lines, ...more].join('\n')}`, ExitCode.validation);
  }
}
