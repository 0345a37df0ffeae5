import type { Reporter, TestModule, Vitest } from 'vitest/node';
import './skip-unless.js';

/** The lines the summary ends with: how many tests were skipped, by reason, most first; those without a reason last. */
export function skipSummary(testModules: ReadonlyArray<TestModule>): string[] {
  const counts = new Map<string, number>();
  for (const module of testModules) {
    for (const test of module.children.allTests('skipped')) {
      const result = test.result();
      const reason = test.meta().skipReason ?? (result.state === 'skipped' ? result.note : undefined) ?? '';
      counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
  }
  return [...counts]
    .sort(([a, m], [b, n]) => Number(a === '') - Number(b === '') || n - m || a.localeCompare(b))
    .map(([reason, n]) => `${n} ${n === 1 ? 'test' : 'tests'} skipped${reason ? `: ${reason}` : ' without a reason given'}`);
}

/** Reports, after the default reporter's summary, how many tests were skipped and why (the reasons come from `skipUnless`). */
export default class SkipSummaryReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const lines = skipSummary(testModules);
    if (lines.length > 0) this.vitest?.logger.log(lines.join('\n'));
  }
}
