import type { Command } from './command.js';
import { copyCommand } from './commands/copy.js';
import { dumpCommand } from './commands/dump.js';
import { maskCommand } from './commands/mask.js';
import { testdataCommand } from './commands/testdata.js';
import { transformersCommand } from './commands/transformers.js';
import { validateCommand } from './commands/validate.js';

/** Every subcommand, in the order `pgmask --help` lists them. */
export const commands: readonly Command[] = [copyCommand, dumpCommand, maskCommand, validateCommand, transformersCommand, testdataCommand];
