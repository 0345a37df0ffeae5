import type { Writable } from 'node:stream';

/** One command-line flag, described once for parsing and for `--help`. */
export interface Flag {
  readonly name: string;
  readonly type: 'string' | 'boolean';
  readonly description: string;
  readonly value?: string;
  readonly multiple?: boolean;
  readonly short?: string;
}

/** Where a command writes: stdout for results, stderr for progress and diagnostics. */
export interface Io {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

/** A subcommand: a small object over a library function. It returns an exit code. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly flags: readonly Flag[];
  /** Subcommands that take positional words, such as `testdata fetch`. */
  readonly positionals?: boolean;
  run(flags: FlagValues, positionals: readonly string[], io: Io): Promise<number>;
}
