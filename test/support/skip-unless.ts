import type { TestOptions } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** Why the test (or every test of the suite) is skipped; the run's summary counts skipped tests by it. */
    skipReason?: string;
  }
}

/**
 * Test or suite options that skip it unless `condition` holds, with the reason the run's
 * summary gives (test/support/skip-summary-reporter.ts), e.g.
 * `it('…', skipUnless(canDump, 'they need pg_dump'), async () => …)`.
 */
export function skipUnless(condition: boolean, reason: string): TestOptions {
  return condition ? {} : { skip: true, meta: { skipReason: reason } };
}
