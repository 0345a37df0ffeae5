import type { Writable } from 'node:stream';
import { UsageError } from '../errors.js';

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

/** The value of a string flag, or undefined when it is not given. */
export const stringFlag = (flags: FlagValues, name: string): string | undefined => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);

/** The value of a flag that takes one of a few words, or undefined when it is not given; a UsageError names the words otherwise. */
export function oneOf<T extends string>(flags: FlagValues, name: string, choices: readonly T[]): T | undefined {
  const value = flags[name];
  if (value === undefined || choices.includes(value as T)) return value as T | undefined;
  const quoted = choices.map((c) => `'${c}'`);
  throw new UsageError(`--${name} must be ${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`);
}

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
