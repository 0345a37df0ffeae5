import type { ConnectionInfo } from '../../db/connection.js';

/** What happened to one table. */
export interface TableReport {
  readonly table: string;
  status: 'pending' | 'running' | 'copied' | 'skipped' | 'failed';
  rows: number;
  bytes: number;
  seconds: number;
  /** The transformer of every copied column (`keep` where nothing masks it). */
  readonly columns: Readonly<Record<string, string>>;
  /** 2 when a second thread masked some of its columns (`--mask-thread`); absent otherwise. */
  threads?: number;
  /** `binary` when pgmask copy moved its rows in COPY's binary format; absent otherwise. */
  format?: 'binary';
  /** Why it failed: an error message that holds no value from the data. */
  error?: string;
}

/** What a `subset:` section selected: rows selected of the total, per table of the subset. */
export interface SubsetReport {
  /** Rounds of the closure until one added nothing. */
  readonly rounds: number;
  readonly tables: readonly { readonly table: string; readonly selected: number; readonly total: number; readonly totalExact: boolean }[];
}

/** What `copy --swap` did. */
export interface SwapReport {
  /** Tables replaced (partitions counted). */
  readonly tables: number;
  /** Seconds the swap held its locks: the longest a reader of a swapped table waited. */
  readonly lockSeconds: number;
  /** Attempts it took to get the locks (each waits at most 2 s). */
  readonly lockAttempts: number;
  /** Bytes the shadow tables took, indexes included: the disk the run needed beside the old tables. */
  readonly shadowBytes: number;
  /** Views moved over to the new tables, and foreign keys of tables not copied. */
  readonly views: number;
  readonly foreignKeys: number;
  /** Schemas of an earlier, killed run that this run dropped before it began. */
  readonly leftoversDropped: number;
}

/** The JSON run report: names, counts and timings, never a value from the data. */
export interface RunReport {
  readonly pgmask: string;
  readonly command: 'copy' | 'dump' | 'mask';
  readonly startedAt: string;
  endedAt?: string;
  outcome: 'running' | 'succeeded' | 'failed' | 'interrupted' | 'planned';
  error?: { readonly code: string; readonly message: string; readonly table?: string | undefined };
  readonly rules: { readonly file: string; readonly sha256: string };
  readonly key: { readonly fingerprint: string };
  readonly source?: Omit<ConnectionInfo, 'user'> | undefined;
  readonly target?: Omit<ConnectionInfo, 'user'> | undefined;
  schema?: 'create' | 'existing';
  jobs?: number;
  readonly tables: TableReport[];
  /** With a `subset:` section: what it selected. */
  subset?: SubsetReport;
  /** `copy --swap`: what the swap replaced, how long it held its locks, the disk the shadows took. */
  swap?: SwapReport;
  /** After a failed `copy --schema create`: how many tables the run had made in the target and dropped again (none keeps rows). */
  droppedTables?: number;
  readonly warnings: { readonly code: string; readonly message: string }[];
}

/** Host, port and database: what a report says about a server. */
export function reportServer(info: ConnectionInfo): Omit<ConnectionInfo, 'user'> {
  return { host: info.host, port: info.port, database: info.database };
}

/** A new report for a run that is starting. */
export function startReport(
  command: RunReport['command'],
  options: { readonly version: string; readonly rules: { readonly file: string; readonly sha256: string }; readonly key: { readonly fingerprint: string } },
): RunReport {
  return {
    pgmask: options.version,
    command,
    startedAt: new Date().toISOString(),
    outcome: 'running',
    rules: { file: options.rules.file, sha256: options.rules.sha256 },
    key: { fingerprint: options.key.fingerprint },
    tables: [],
    warnings: [],
  };
}
