/**
 * Where the time of `copy --swap`'s lock window goes: runs one swap in this process with pg's
 * `Client.prototype.query` wrapped, so that from the swap's `LOCK TABLE` to its `COMMIT` every
 * statement is timed alone. The swap sends most of its statements in batches of one query
 * string; inside the window a batch is sent a statement at a time instead (the same statements,
 * in the same transaction and order, a round trip each: a few tenths of a millisecond more per
 * statement locally). Nothing outside the window changes. For `npm run bench:swap -- --profile`.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { loadRules } from '../src/config/load-rules.js';
import { copyDatabase } from '../src/pipeline/copy/copy-database.js';
import { maskingKeyFromBytes } from '../src/random/key.js';

/** The time of one kind of statement inside the window. */
export interface ProfileLine {
  readonly kind: string;
  readonly statements: number;
  readonly seconds: number;
}

/** One swap's window, statement kind by statement kind. */
export interface SwapProfile {
  /** Seconds from the locks held to the commit returned, as this process saw it. */
  readonly windowSeconds: number;
  /**
   * Seconds from the locks held to the moment a reader got through: a count of the first swapped
   * table, sent by another connection as soon as the locks were held, returns when they are let
   * go. A COMMIT lets the locks go before it unlinks the dropped tables' files.
   */
  readonly readerBlockedSeconds: number | undefined;
  /** The report's `swap.lockSeconds` of the same run (measured by pgmask, batched as usual minus the split). */
  readonly reportedLockSeconds: number | undefined;
  readonly lines: readonly ProfileLine[];
}

/** The kind of a statement of the swap, for the profile. */
function kindOf(sql: string): string {
  const s = sql.trim();
  if (/^ALTER TABLE \S+ DROP CONSTRAINT/i.test(s)) return 'drop other tables\u2019 foreign keys';
  if (/^ALTER SEQUENCE .* OWNED BY NONE/i.test(s)) return 'sequences owned by none';
  if (/^ALTER SEQUENCE .* OWNED BY/i.test(s)) return 'sequences owned by the new tables';
  if (/^CREATE SCHEMA/i.test(s)) return 'create pgmask_old_ schemas';
  if (/^ALTER TABLE "?pgmask_shadow_\d+"?\.\S+ SET SCHEMA/i.test(s)) return 'move shadows in (SET SCHEMA)';
  if (/^ALTER TABLE \S+ SET SCHEMA "?pgmask_old_/i.test(s)) return 'move real tables out (SET SCHEMA)';
  if (/^CREATE OR REPLACE VIEW/i.test(s)) return 'views replaced';
  if (/^ALTER TABLE \S+ ADD CONSTRAINT/i.test(s)) return 'other tables\u2019 foreign keys added';
  if (/setval/i.test(s)) return 'sequences set (setval)';
  if (/last_value/i.test(s)) return 'sequences read from the source (values)';
  if (/pg_class/i.test(s)) return 'sequences read from the source (list)';
  if (/^DROP TABLE/i.test(s)) return 'DROP TABLE of the old tables';
  if (/^DROP SCHEMA/i.test(s)) return 'DROP SCHEMA';
  if (/^COMMIT/i.test(s)) return 'COMMIT';
  return s.slice(0, 40).replace(/\s+/g, ' ');
}

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;

/**
 * Runs `pgmask copy --swap` of `sourceUrl` into `targetUrl` (which holds the schema) with the
 * rules in `rulesFile`, and returns the profile of its lock window.
 */
export async function profileSwap(sourceUrl: string, targetUrl: string, rulesFile: string, testdataDir: string): Promise<SwapProfile> {
  const probe = new pg.Client({ connectionString: targetUrl, application_name: 'pgmask bench probe' });
  await probe.connect();
  let probed: Promise<number> | undefined;
  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  const times = new Map<string, { statements: number; seconds: number }>();
  let swapping: pg.Client | undefined;
  let windowStarted = 0;
  let windowSeconds = 0;
  const record = (sql: string, seconds: number): void => {
    const kind = kindOf(sql);
    const line = times.get(kind) ?? { statements: 0, seconds: 0 };
    times.set(kind, { statements: line.statements + 1, seconds: line.seconds + seconds });
  };
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const [text, params] = args;
    // Streams (COPY), configs and callbacks pass through untouched, as does all outside the window.
    if (typeof text !== 'string' || typeof args[args.length - 1] === 'function') return original.apply(this, args);
    if (/^LOCK TABLE .* IN ACCESS EXCLUSIVE MODE$/is.test(text)) {
      return (async () => {
        const result = await original.apply(this, args);
        swapping = this;
        windowStarted = performance.now();
        const first = /^LOCK TABLE (\S+?),? /is.exec(text)![1]!;
        probed = (original.apply(probe, [`SELECT count(*) FROM ${first}`]) as Promise<unknown>).then(() => (performance.now() - windowStarted) / 1000);
        return result;
      })();
    }
    if (!swapping) return original.apply(this, args);
    return (async () => {
      const parts = params === undefined ? text.split(/;\n/) : [text];
      let result: unknown;
      for (const part of parts) {
        const t0 = performance.now();
        result = await original.apply(this, params === undefined ? [part] : args);
        record(part, (performance.now() - t0) / 1000);
      }
      if (this === swapping && /^(COMMIT|ROLLBACK)$/i.test(text.trim())) {
        windowSeconds = (performance.now() - windowStarted) / 1000;
        swapping = undefined;
      }
      return result;
    })();
  };
  try {
    const report = await copyDatabase({
      source: sourceUrl,
      target: targetUrl,
      rules: await loadRules(rulesFile),
      key: maskingKeyFromBytes(randomBytes(32)),
      schema: 'existing',
      swap: true,
      yes: true,
      testdataDir,
      env: process.env,
      version: 'bench',
    });
    const lines = [...times].map(([kind, t]) => ({ kind, ...t })).sort((a, b) => b.seconds - a.seconds);
    const readerBlockedSeconds = probed ? await probed : undefined;
    return { windowSeconds, readerBlockedSeconds, reportedLockSeconds: report.swap?.lockSeconds, lines };
  } finally {
    proto.query = original;
    await probe.end();
  }
}
