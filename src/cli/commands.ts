import type { Command } from './command.js';
import { validateCommand } from './commands/validate.js';

/** Every subcommand, in the order `pgmask --help` lists them. */
export const commands: readonly Command[] = [validateCommand];
