/** Events a running copy sends to whoever shows progress. */
export interface ProgressListener {
  /** The plan is known: every table with its row estimate. */
  planned?(tables: readonly { readonly table: string; readonly rowEstimate: number }[]): void;
  /** A phase starts: `validate`, `schema`, `data`, `post-data`, `sequences`, `verify`, `swap`. */
  phase?(name: string): void;
  tableStarted?(table: string): void;
  /** Rows and bytes so far for a running table (called often; cheap). */
  tableProgress?(table: string, rows: number, bytes: number): void;
  tableFinished?(table: string, result: { readonly rows: number; readonly seconds: number; readonly status: string }): void;
}
