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
  const server = await startTestServer();
  project.provide('databaseUrl', server.url);
  project.provide('databaseSource', server.source);
  process.stderr.write(`pgmask tests: PostgreSQL from ${server.source}\n`);
  return () => server.stop();
}
