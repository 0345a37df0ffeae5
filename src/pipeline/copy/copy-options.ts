import type { Rules } from '../../config/rules.js';
import type { MaskThreads } from '../../masking/lanes/thread-policy.js';
import type { MaskingKey } from '../../random/key.js';
import type { ProgressListener } from '../run/progress.js';
import type { RunReport } from '../run/report.js';

/** Options of `copyDatabase`. Connections are libpq strings; PG* variables fill the gaps. */
export interface CopyOptions {
  readonly source: string | undefined;
  readonly target: string | undefined;
  readonly rules: Rules;
  readonly key: MaskingKey;
  /** Tables copied at a time; default: the number of CPUs. */
  readonly jobs?: number;
  /** `create`: schema from pg_dump; `existing`: the target's own schema. Default: create when the target has none of the tables. */
  readonly schema?: 'create' | 'existing';
  /**
   * With `schema: 'existing'`: load into shadow tables beside the real ones and swap them in at
   * the end in one transaction (see `swapIn`), instead of emptying and loading the tables in place.
   */
  readonly swap?: boolean;
  /** Overwrite non-empty target tables. */
  readonly yes?: boolean;
  /** Asked when target tables hold rows and `yes` is not set; without it, the run refuses. */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** Plan and check only; write nothing. */
  readonly dryRun?: boolean;
  readonly testdataDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  readonly progress?: ProgressListener;
  readonly version: string;
  /** Called with the report as it is being filled, so that a caller can save it even when the run fails. */
  readonly onReport?: (report: RunReport) => void;
  /**
   * Tables at least this large (bytes) with a masked column are read in ranges of heap blocks, of
   * at least an eighth of it, that a job out of other work can take (PostgreSQL 14+, more than
   * one job); default 64 MiB.
   */
  readonly splitBytes?: number;
  /**
   * Whether a big table's masking is shared with a second thread (see `useMaskThread`); default
   * `auto`: where the machine has a CPU to spare.
   */
  readonly maskThread?: MaskThreads;
  /** Bytes of a table's rows after which its masking is shared with a second thread; default 8 MiB (`LANE_MIN_BYTES`). */
  readonly laneMinBytes?: number;
  /**
   * `auto` (default): tables whose column types allow it move in COPY's binary format when both
   * servers run the same major version (see `copiesBinary`); `text`: every table as text.
   */
  readonly copyFormat?: 'auto' | 'text';
  /**
   * Seconds a table's COPY (or a statement pgmask waits on) may move no byte before the run
   * fails as stalled (`StallError`, exit code 3); default 300, 0 turns the watchdog off.
   */
  readonly stallTimeout?: number;
}
