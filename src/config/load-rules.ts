import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import type { Finding } from './finding.js';
import { parseRules, type ParsedRules, type ParseRulesOptions } from './parse-rules.js';
import type { Rules } from './rules.js';

/** A rules file that cannot be used. Carries every finding; the message names the first error. */
export class RulesError extends ConfigError {
  readonly findings: readonly Finding[];

  constructor(findings: readonly Finding[]) {
    const errors = findings.filter((f) => f.severity === 'error');
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''}; \`pgmask validate\` lists them all)` : '';
    super(first?.code ?? 'RULES_INVALID', `${first?.message ?? 'the rules file is not valid'}${more}`, first?.file);
    this.findings = findings;
  }
}

/**
 * Reads a rules file from disk and validates it, returning findings instead of throwing:
 * an unreadable file or one that is not UTF-8 is a finding too.
 */
export async function readRulesFile(file: string, options: Omit<ParseRulesOptions, 'sha256'> = {}): Promise<ParsedRules> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? 'read error');
    return { findings: [{ severity: 'error', code: 'RULES_READ', message: `cannot read the rules file ${file}: ${reason}` }] };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, offset).toString('utf8');
    const lines = before.split('\n');
    return {
      findings: [
        {
          severity: 'error',
          code: 'RULES_ENCODING',
          message: 'the rules file is not valid UTF-8; save it as UTF-8',
          file: { file, line: lines.length, column: [...(lines[lines.length - 1] ?? '')].length + 1 },
        },
      ],
    };
  }
  return parseRules(text, file, { ...options, sha256: createHash('sha256').update(bytes).digest('hex') });
}

/** Byte offset of the first byte that does not decode as UTF-8. */
function firstInvalidUtf8(bytes: Buffer): number {
  let low = 0;
  let high = bytes.length;
  // The longest prefix that decodes (a sequence cut at the end is allowed): validity is monotonic.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  return low;
}

/**
 * Reads and validates a rules file.
 *
 * @throws {RulesError} (a ConfigError, exit code 1) naming file:line:column of the first error.
 * @example const rules = await loadRules('rules.yaml');
 */
export async function loadRules(file: string, options: Omit<ParseRulesOptions, 'sha256'> = {}): Promise<Rules> {
  const { rules, findings } = await readRulesFile(file, options);
  if (!rules) throw new RulesError(findings);
  return rules;
}
