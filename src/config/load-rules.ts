import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import type { Finding } from './finding.js';
import { type ParsedRules, type ParseRulesOptions, parseRules } from './parse-rules.js';
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

/** Byte offset where the first malformed UTF-8 sequence starts (RFC 3629 well-formedness). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Length and the allowed range of the second byte (excluding overlongs and surrogates).
    const [length, low, high] =
      b >= 0xc2 && b <= 0xdf
        ? [2, 0x80, 0xbf]
        : b === 0xe0
          ? [3, 0xa0, 0xbf]
          : b === 0xed
            ? [3, 0x80, 0x9f]
            : b >= 0xe1 && b <= 0xef
              ? [3, 0x80, 0xbf]
              : b === 0xf0
                ? [4, 0x90, 0xbf]
                : b >= 0xf1 && b <= 0xf3
                  ? [4, 0x80, 0xbf]
                  : b === 0xf4
                    ? [4, 0x80, 0x8f]
                    : [0, 0, 0];
    if (length === 0 || i + length > bytes.length) return i;
    const second = bytes[i + 1]!;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += length;
  }
  return i;
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
