import { describe, expect, it } from 'vitest';
import { type StallError, StallWatchdog } from '../../../src/pipeline/run/stall-watchdog.js';

describe('StallWatchdog', () => {
  it('calls onStall once, with the table and the side, when the progress count stops growing for the timeout', async () => {
    const watchdog = new StallWatchdog(0.3);
    let bytes = 0;
    const growing = setInterval(() => (bytes += 1), 20);
    const stalls: StallError[] = [];
    const unwatch = watchdog.watch({ table: 'public.orders', progress: () => bytes, side: () => 'target', onStall: (e) => stalls.push(e) });
    await new Promise((r) => setTimeout(r, 600));
    expect(stalls).toEqual([]);
    clearInterval(growing);
    await new Promise((r) => setTimeout(r, 600));
    unwatch();
    expect(stalls).toHaveLength(1);
    expect(stalls[0]).toMatchObject({ code: 'STALL', exitCode: 3, table: 'public.orders', side: 'target' });
    expect(stalls[0]!.message).toMatch(/^table public\.orders: no progress on the target side for 0\.3 s/);
    watchdog.stop();
  });

  it('during: a statement that does not settle in time rejects with the StallError, and one that does settles as it is', async () => {
    const watchdog = new StallWatchdog(0.2);
    let stalled = 0;
    await expect(
      watchdog.during(
        undefined,
        'source',
        () => stalled++,
        () => new Promise(() => {}),
      ),
    ).rejects.toThrow(/a statement: no progress on the source side/);
    expect(stalled).toBe(1);
    await expect(
      watchdog.during(
        undefined,
        'source',
        () => stalled++,
        async () => 42,
      ),
    ).resolves.toBe(42);
    expect(stalled).toBe(1);
    // A timeout of 0 watches nothing.
    const off = new StallWatchdog(0);
    await expect(
      off.during(
        undefined,
        'source',
        () => stalled++,
        () => new Promise((r) => setTimeout(() => r('late'), 300)),
      ),
    ).resolves.toBe('late');
    watchdog.stop();
  });
});
