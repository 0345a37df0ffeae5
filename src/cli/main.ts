import { parseArgs } from 'node:util';
import { ExitCode, InternalError, PgmaskError, UsageError } from '../errors.js';
import type { Command, FlagValues, Io } from './command.js';
import { commands } from './commands/index.js';
import { commandHelp, programHelp } from './help.js';
import { version } from './version.js';

function parse(command: Command, argv: readonly string[]): { flags: FlagValues; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = { help: { type: 'boolean' } };
  for (const flag of command.flags) {
    options[flag.name] = { type: flag.type, ...(flag.multiple ? { multiple: true } : {}), ...(flag.short ? { short: flag.short } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    if (positionals.length > 0 && !command.positionals) {
      throw new UsageError(`unexpected argument '${positionals[0]}' for 'pgmask ${command.name}'`);
    }
    return { flags: values as FlagValues, positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${(error as Error).message.replace(/\. To specify.*$/s, '')} (see 'pgmask ${command.name} --help')`);
  }
}

/** Runs one command line and returns its exit code. Never calls process.exit. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(programHelp(commands, version));
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version}\n`);
    return ExitCode.ok;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (!command) throw new UsageError(`unknown command '${name}'; run 'pgmask --help' for the list`);
    const { flags, positionals } = parse(command, rest);
    if (flags['help']) {
      io.stdout.write(commandHelp(command));
      return ExitCode.ok;
    }
    return await command.run(flags, positionals, io);
  } catch (error) {
    return reportError(error, io);
  }
}

/** Prints an error and returns its exit code: pgmask's own with their message, any other as an internal error (70). */
export function reportError(error: unknown, io: Pick<Io, 'stderr'>): number {
  const failure = error instanceof PgmaskError ? error : new InternalError(error);
  io.stderr.write(`pgmask: ${failure.message}\n`);
  return failure.exitCode;
}

/** The process entry point: the one place that calls process.exit. */
export function main(argv: readonly string[]): void {
  const controller = new AbortController();
  let signalled: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled !== undefined) process.exit(signalled);
    signalled = signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated;
    controller.abort(new PgmaskError('INTERRUPTED', `stopped by ${signal}`, signalled as ExitCode));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  run(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal }).then(
    (code) => {
      process.exitCode = signalled ?? code;
      // Give stdout a chance to drain, then leave even if a stray handle remains.
      setTimeout(() => process.exit(process.exitCode), 50).unref();
    },
    (error: unknown) => {
      process.exit(reportError(error, process));
    },
  );
}
