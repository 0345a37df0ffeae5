import type { Command } from './command.js';
import { testdataCommand } from './commands/testdata.js';
import { transformersCommand } from './commands/transformers.js';
import { validateCommand } from './commands/validate.js';

/** Every subcommand, in the order `pgmask --help` lists them. */
export const commands: readonly Command[] = [validateCommand, transformersCommand, testdataCommand];
