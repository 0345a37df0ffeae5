import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/main.js';
import { ExitCode, UsageError } from '../../src/errors.js';
import { asPgmaskError } from '../../src/pipeline/run/as-pgmask-error.js';

function stderr(): { write(text: string): boolean; text: string } {
  return {
    text: '',
    write(text: string) {
      this.text += text;
      return true;
    },
  };
}

describe('exit codes', () => {
  it('a bug exits 70, naming its kind and where it was thrown, never its message', () => {
    const err = stderr();
    const bug = new TypeError('Cannot read properties of undefined (reading "Karin Andersson")');
    expect(reportError(bug, { stderr: err as unknown as NodeJS.WriteStream })).toBe(ExitCode.internal);
    expect(ExitCode.internal).toBe(70);
    expect(err.text).toMatch(/^pgmask: internal error \(a bug in pgmask: please report it\): TypeError\n\s+at /);
    expect(err.text).not.toContain('Karin');
  });

  it('a bug inside a run is an internal error too; a lost connection stays a runtime error', () => {
    const bug = asPgmaskError(new ReferenceError('value is not defined'), 'public.customers');
    expect(bug.exitCode).toBe(ExitCode.internal);
    expect(bug.message).not.toContain('value is not defined');
    expect(asPgmaskError(new Error('Connection terminated unexpectedly'), 'public.customers').exitCode).toBe(ExitCode.runtime);
  });

  it("pgmask's own errors keep their code and message", () => {
    const err = stderr();
    expect(reportError(new UsageError('--rules FILE is required'), { stderr: err as unknown as NodeJS.WriteStream })).toBe(ExitCode.usage);
    expect(err.text).toBe('pgmask: --rules FILE is required\n');
  });
});
