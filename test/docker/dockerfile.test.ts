import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Dockerfile instructions with line continuations joined. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

describe('Dockerfile', () => {
  const steps = instructions(readFileSync('Dockerfile', 'utf8'));

  it('is multi-stage on a slim Node LTS image, with pg_dump, a non-root user and the pgmask entrypoint', () => {
    const froms = steps.filter((s) => s.op === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from.args).toMatch(/^node:\$\{NODE_VERSION\}-\S*slim/);
    expect(steps.find((s) => s.op === 'ARG' && s.args.startsWith('NODE_VERSION='))?.args).toMatch(/=(20|22|24)$/);
    expect(steps.some((s) => s.op === 'RUN' && /postgresql-client/.test(s.args))).toBe(true);
    const user = steps.filter((s) => s.op === 'USER').at(-1);
    expect(user?.args).toBeDefined();
    expect(user!.args).not.toMatch(/^(root|0)$/);
    expect(steps.find((s) => s.op === 'ENTRYPOINT')?.args).toBe('["pgmask"]');
  });

  it("carries Skatteverket's test lists beside dist/, where pgmask looks for them, with no build argument and no folder of its own to point at", () => {
    expect(steps.some((s) => s.op === 'COPY' && /^data \.\/data$/.test(s.args))).toBe(true);
    expect(steps.some((s) => s.op === 'ARG' && /TESTDATA/.test(s.args))).toBe(false);
    expect(steps.some((s) => s.op === 'ENV' && /PGMASK_TESTDATA_DIR/.test(s.args))).toBe(false);
    expect(existsSync('data/skatteverket/testpersonnummer.txt')).toBe(true);
  });

  it('copies only paths that exist in the repository', () => {
    const copies = steps.filter((s) => s.op === 'COPY' && !s.args.startsWith('--from'));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const path of parts.slice(0, -1)) expect(existsSync(path), path).toBe(true);
    }
  });

  it('links the entrypoint to the built CLI', () => {
    const link = steps.find((s) => s.op === 'RUN' && /ln -s/.test(s.args));
    expect(link?.args).toMatch(/ln -s \/app\/bin\/pgmask\.js \/usr\/local\/bin\/pgmask/);
    expect(readFileSync('bin/pgmask.js', 'utf8')).toContain("'../dist/cli/main.js'");
    expect(existsSync('src/cli/main.ts')).toBe(true);
    expect(JSON.parse(readFileSync('tsconfig.build.json', 'utf8')).compilerOptions.outDir).toBe('dist');
    // Stage two copies the build stage's dist/ and bin/.
    expect(steps.some((s) => s.op === 'COPY' && /--from=build \/app\/dist/.test(s.args))).toBe(true);
  });
});
