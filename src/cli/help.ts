import type { Command, Flag } from './command.js';

const flagLine = (flag: Flag): string => {
  const name = `--${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
  return `  ${name.padEnd(28)}${flag.description}`;
};

/** Help text for one command. */
export function commandHelp(command: Command): string {
  return [
    `Usage: ${command.usage}`,
    '',
    command.summary,
    '',
    'Options:',
    ...command.flags.map(flagLine),
    flagLine({ name: 'help', type: 'boolean', description: 'Show this help' }),
    '',
  ].join('\n');
}

/** Help text for the program. */
export function programHelp(commands: readonly Command[], version: string): string {
  return [
    `pgmask ${version}: copy PostgreSQL into development, test and staging databases, masking every personal column on the way.`,
    '',
    'Usage: pgmask <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(14)}${c.summary}`),
    '',
    'Run `pgmask <command> --help` for the options of a command.',
    '',
    'Exit codes: 0 ok, 1 validation failed, 2 usage error, 3 runtime error, 130 interrupted, 143 terminated.',
    '',
  ].join('\n');
}
