import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { startTestServer } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseSource: string;
  }
}

/** Starts (or finds) one PostgreSQL server for the whole test run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Tests that run the CLI run the built one: build it from the current sources first.
  if (!process.env['PGMASK_TEST_NO_BUILD']) {
    try {
      execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'pipe' });
    } catch (error) {
      // The CLI tests will fail on their own; the other tests can still run.
      process.stderr.write(`pgmask tests: the build failed; CLI tests run an older dist/\n${String((error as { stdout?: Buffer }).stdout ?? '')}\n`);
    }
  }
  const server = await startTestServer();
  project.provide('databaseUrl', server.url);
  project.provide('databaseSource', server.source);
  process.stderr.write(`pgmask tests: PostgreSQL from ${server.source}\n`);
  return () => server.stop();
}
