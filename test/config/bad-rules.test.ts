import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../src/config/parse-rules.js';
import { testTransformers } from './fake-transformers.js';

const folder = new URL('../fixtures/rules/bad/', import.meta.url);
const files = readdirSync(folder)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** `# expect: error CODE line:column` lines at the top of a fixture. */
function expectations(text: string): { severity: string; code: string; line: number; column: number }[] {
  return [...text.matchAll(/^# expect: (error|warning|info) ([A-Z_]+) (\d+):(\d+)$/gm)].map((m) => ({
    severity: m[1]!,
    code: m[2]!,
    line: Number(m[3]),
    column: Number(m[4]),
  }));
}

describe('bad rules files', () => {
  it('has at least 25 fixtures, each with an expectation', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    for (const file of files) expect(expectations(readFileSync(new URL(file, folder), 'utf8')), file).not.toEqual([]);
  });

  for (const file of files) {
    it(`${file}: exact codes and positions`, () => {
      const text = readFileSync(new URL(file, folder), 'utf8');
      const { rules, findings } = parseRules(text, `bad/${file}`, { transformers: testTransformers });
      expect(rules).toBeUndefined();
      const got = findings.map((f) => ({ severity: f.severity, code: f.code, line: f.file?.line, column: f.file?.column }));
      const want = expectations(text);
      expect(got.sort(byPosition)).toEqual(want.sort(byPosition));
      for (const f of findings) {
        expect(f.file?.file).toBe(`bad/${file}`);
        expect(f.message.length).toBeGreaterThan(10);
      }
    });
  }
});

const byPosition = (a: { line?: number; column?: number; code: string }, b: { line?: number; column?: number; code: string }): number =>
  (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.code.localeCompare(b.code);
