import type { Command } from '../command.js';
import { copyCommand } from './copy.js';
import { dumpCommand } from './dump.js';
import { maskCommand } from './mask.js';
import { scanCommand } from './scan.js';
import { subjectCommand } from './subject.js';
import { testdataCommand } from './testdata.js';
import { transformersCommand } from './transformers.js';
import { validateCommand } from './validate.js';

/** Every subcommand, in the order `pgmask --help` lists them. */
export const commands: readonly Command[] = [copyCommand, dumpCommand, maskCommand, validateCommand, scanCommand, subjectCommand, transformersCommand, testdataCommand];
