import type { Today } from '../../se/calendar.js';
import type { ColumnTarget, RuleSpec } from '../../transformers/transformer.js';
import type { MaskingWarning } from '../masking-session.js';

/** What a masking thread starts with: the run's key and settings, and its lane's rules. */
export interface ThreadSetup {
  readonly key: Uint8Array;
  readonly testdataDir: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly today: Today;
  readonly table: string;
  /** Every column of the table, in COPY order. */
  readonly names: readonly string[];
  /** The lane's columns: position and rule. */
  readonly columns: readonly { readonly index: number; readonly spec: RuleSpec; readonly target: Partial<ColumnTarget> }[];
}

/** Whole rows of COPY text, in memory shared with the stream's thread. */
export interface BatchMessage {
  readonly id: number;
  readonly bytes: Uint8Array;
  /** Row number of the first row in its COPY data, and its byte offset there. */
  readonly line: number;
  readonly offset: number;
}

/** Why a batch or the thread failed; never a value from the data. */
export type LaneFailure =
  | { readonly kind: 'transform'; readonly reason: string; readonly column: string; readonly line: number | undefined }
  | { readonly kind: 'format'; readonly reason: string; readonly line: number; readonly offset: number }
  | { readonly kind: 'other'; readonly reason: string };

/** What a masking thread sends back. */
export type ThreadMessage =
  | { readonly ready: true }
  /**
   * A batch masked: its rows written out with the lane's values (the other fields as they came),
   * each row's field starts and end in `out` (`fields + 1` offsets a row, as `LazyRow.bounds`),
   * and where each row started in the batch.
   */
  | { readonly id: number; readonly rows: number; readonly out: Uint8Array; readonly bounds: Int32Array; readonly starts: Int32Array }
  | { readonly id?: number; readonly failure: LaneFailure }
  | { readonly warnings: readonly MaskingWarning[] };
