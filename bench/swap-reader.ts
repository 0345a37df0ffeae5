/**
 * What a reader of the target sees while `pgmask copy` replaces its tables: a connection of its
 * own loops `SELECT count(*)` over a few tables, one statement at a time (autocommit, so each
 * sees what was committed when it started), and records how long each waited and what it
 * counted. A second connection samples the target's size. `bench/swap.ts` runs both beside a copy.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/** A table the reader counts: its rows before the run (`old`) and after it (`new`, the source's). */
export interface WatchedTable {
  /** `schema.table`, quoted for SQL. */
  readonly name: string;
  readonly old: number;
  readonly new: number;
}

/** What the reader saw. */
export interface ReaderResult {
  readonly queries: number;
  /** The longest a single count took, in ms, and the table it counted. */
  readonly maxMs: number;
  readonly maxTable: string | undefined;
  readonly medianMs: number;
  readonly p99Ms: number;
  /** Counts that were neither the table's old nor its new count (an empty or half-loaded table). */
  readonly unexpected: number;
  /** Old counts read after some count had already shown the new rows: the replacement was not atomic across tables. */
  readonly staleAfterNew: number;
  /** Counts that failed, by SQLSTATE. */
  readonly errors: Readonly<Record<string, number>>;
  /** Seconds from the start of the watch to the first count that showed the new rows (undefined when none did, or old = new). */
  readonly firstNewAfterSeconds: number | undefined;
  /** Counts that took longer than 50 ms: when they started (seconds into the watch), how long they took, the table. */
  readonly slow: readonly { readonly atSeconds: number; readonly ms: number; readonly table: string }[];
}

/** A running reader: `stop` ends the loop and returns what it saw. */
export interface Reader {
  stop(): Promise<ReaderResult>;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Starts the reader on `url`: rounds of one count per table, `pauseMs` between rounds. Old and
 * new counts that are equal cannot tell the two apart: such a table checks only that it is never
 * seen empty or half-loaded.
 */
export async function startReader(url: string, tables: readonly WatchedTable[], pauseMs: number): Promise<Reader> {
  const client = new pg.Client({ connectionString: url, application_name: 'pgmask bench reader' });
  await client.connect();
  let stopping = false;
  const latencies: number[] = [];
  let maxMs = 0;
  let maxTable: string | undefined;
  let unexpected = 0;
  let staleAfterNew = 0;
  let sawNew = false;
  let firstNewAfterSeconds: number | undefined;
  const errors: Record<string, number> = {};
  const slow: { atSeconds: number; ms: number; table: string }[] = [];
  const started = performance.now();
  const loop = (async () => {
    while (!stopping) {
      for (const t of tables) {
        const t0 = performance.now();
        let n: number;
        try {
          const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${t.name}`);
          n = Number(r.rows[0]!.n);
        } catch (error) {
          const code = (error as { code?: string }).code ?? 'other';
          errors[code] = (errors[code] ?? 0) + 1;
          continue;
        }
        const ms = performance.now() - t0;
        latencies.push(ms);
        if (ms > 50) slow.push({ atSeconds: Number(((t0 - started) / 1000).toFixed(3)), ms: Math.round(ms), table: t.name });
        if (ms > maxMs) {
          maxMs = ms;
          maxTable = t.name;
        }
        if (t.old !== t.new && n === t.new) {
          if (!sawNew) firstNewAfterSeconds = (performance.now() - started) / 1000;
          sawNew = true;
        } else if (t.old !== t.new && n === t.old) {
          if (sawNew) staleAfterNew++;
        } else if (n !== t.old && n !== t.new) {
          unexpected++;
        }
      }
      if (pauseMs > 0) await sleep(pauseMs);
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      await client.end();
      const sorted = [...latencies].sort((a, b) => a - b);
      return {
        queries: latencies.length,
        maxMs,
        maxTable,
        medianMs: quantile(sorted, 0.5),
        p99Ms: quantile(sorted, 0.99),
        unexpected,
        staleAfterNew,
        errors,
        firstNewAfterSeconds,
        slow,
      };
    },
  };
}

/** A running sampler of the database's size: `stop` returns the largest size seen, in bytes. */
export interface SizeSampler {
  stop(): Promise<number>;
}

/** Samples `pg_database_size` of the database `url` names every `everyMs`. */
export async function startSizeSampler(url: string, everyMs: number): Promise<SizeSampler> {
  const client = new pg.Client({ connectionString: url, application_name: 'pgmask bench size sampler' });
  await client.connect();
  let stopping = false;
  let peak = 0;
  const sample = async (): Promise<void> => {
    const r = await client.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
    peak = Math.max(peak, Number(r.rows[0]!.bytes));
  };
  const loop = (async () => {
    while (!stopping) {
      await sample();
      await sleep(everyMs);
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      await sample();
      await client.end();
      return peak;
    },
  };
}
