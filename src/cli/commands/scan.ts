import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { formatFinding } from '../../config/finding.js';
import { ConfigError, ExitCode, UsageError } from '../../errors.js';
import { type ScanResult, scanDatabase } from '../../pipeline/scan/scan-database.js';
import { renderInventory } from '../../scan/inventory.js';
import { inventoryJson } from '../../scan/inventory-json.js';
import { PII_CATEGORY } from '../../scan/pii-kind.js';
import { type Command, type FlagValues, type Io, stringFlag } from '../command.js';
import { plural } from '../plural.js';
import { sourceConnection, sourceFlag } from '../source-flag.js';
import { writeFileAtomic } from '../write-atomic.js';

function sampleSize(flags: FlagValues): number | undefined {
  const value = stringFlag(flags, 'sample');
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 100_000) throw new UsageError('--sample must be a whole number of rows from 1 to 100000');
  return n;
}

async function readExisting(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError('RULES_UNREADABLE', `cannot read the rules file ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}`);
  }
}

/** The `--json` document: every decision with its evidence, the inventory, what was added. */
function jsonReport(result: ScanResult, written: string | undefined): string {
  return `${JSON.stringify(
    {
      source: result.source,
      ...(written ? { rulesFile: written } : { rules: result.rules }),
      summary: result.summary,
      tables: result.tables.map((t) => ({
        table: t.key,
        rows: t.rows,
        columns: t.columns.map((c) => ({
          column: c.column,
          rule: c.rule,
          ...(c.kind ? { kind: c.kind, category: PII_CATEGORY[c.kind] } : {}),
          evidence: c.evidence,
          ...(c.review ? { review: c.review } : {}),
        })),
      })),
      ...(result.added ? { added: result.added } : {}),
      inventory: inventoryJson(result.inventory),
      findings: result.findings.map((f) => ({
        severity: f.severity,
        code: f.code,
        message: f.message,
        ...(f.table ? { table: f.table } : {}),
        ...(f.column ? { column: f.column } : {}),
      })),
    },
    null,
    2,
  )}\n`;
}

/** `pgmask scan`: finds the personal data in a database and writes (or completes) the rules file. */
export const scanCommand: Command = {
  name: 'scan',
  summary: 'Find the personal data in a database and write the rules for it (or add what a rules file is missing)',
  usage: 'pgmask scan --source URL [--rules FILE] [--out FILE] [--sample N] [--inventory FILE] [--json]',
  flags: [
    sourceFlag,
    {
      name: 'rules',
      type: 'string',
      value: 'FILE',
      description: 'An existing rules file: only what it is missing is added (to FILE itself, or to --out), every rule and comment kept',
    },
    { name: 'out', type: 'string', value: 'FILE', description: 'Write the rules here (never over an existing file); default stdout, or FILE of --rules' },
    { name: 'sample', type: 'string', value: 'N', description: 'Rows sampled per table (default 1000; a bounded cost whatever the table size)' },
    { name: 'inventory', type: 'string', value: 'FILE', description: 'Write an inventory of the personal data per table (Markdown), with how the rules mask it' },
    { name: 'json', type: 'boolean', description: 'Print every decision, its evidence and the inventory as JSON on stdout' },
  ],
  async run(flags: FlagValues, _positionals: readonly string[], io: Io): Promise<number> {
    const source = sourceConnection(flags, io);
    const rulesFile = stringFlag(flags, 'rules');
    const out = stringFlag(flags, 'out');
    const inventory = stringFlag(flags, 'inventory');
    const json = flags['json'] === true;
    const sample = sampleSize(flags);
    if (out && !rulesFile && existsSync(out)) {
      throw new UsageError(`${out} exists: scan does not write over a rules file; use --rules ${out} to add what it is missing, or remove it first`);
    }
    const existing = rulesFile ? { text: await readExisting(rulesFile), file: rulesFile } : undefined;
    const result = await scanDatabase({ source, ...(existing ? { existing } : {}), ...(sample ? { sample } : {}) });

    const target = out ?? rulesFile;
    if (target) await writeFileAtomic(target, result.rules);
    if (inventory) await writeFile(inventory, renderInventory(result.inventory, { source: result.source, ...(target ? { rulesFile: target } : {}) }));
    if (json) io.stdout.write(jsonReport(result, target));
    else if (!target) io.stdout.write(result.rules);

    const { summary } = result;
    const lines = [
      `scanned ${plural(summary.tables, 'table')} and ${plural(summary.columns, 'column')} of ${result.source} in ${(summary.milliseconds / 1000).toFixed(1)} s (${plural(summary.rowsSampled, 'row')} sampled): ${summary.personal.toLocaleString('en-US')} personal, ${summary.review.toLocaleString('en-US')} to review`,
    ];
    if (result.added) {
      lines.push(result.added.length === 0 ? `${rulesFile}: nothing missing` : `added to ${target} (review each):`);
      for (const a of result.added) {
        const rule = result.tables.find((t) => t.key === a.table)?.columns.find((c) => c.column === a.column)?.rule.transform;
        lines.push(a.column === undefined ? `  table ${a.table}` : `  ${a.table}.${a.column}${rule ? `: ${rule}` : ''}`);
      }
    }
    if (target) lines.push(`wrote ${target}`);
    if (inventory) lines.push(`wrote the inventory to ${inventory}`);
    const errors = result.findings.filter((f) => f.severity === 'error');
    for (const finding of errors) lines.push(formatFinding(finding));
    if (errors.length > 0) lines.push(`the rules do not pass validate: ${plural(errors.length, 'error')}`);
    io.stderr.write(`${lines.join('\n')}\n`);
    return errors.length > 0 ? ExitCode.validation : ExitCode.ok;
  },
};
