import { transformersMarkdown, transformersText } from '../../masking/transformers-markdown.js';
import type { Command, FlagValues, Io } from '../command.js';

/** `pgmask transformers`: lists the transformers a rules file may name. */
export const transformersCommand: Command = {
  name: 'transformers',
  summary: 'List the transformers a rules file may use (--markdown for the full reference)',
  usage: 'pgmask transformers [--markdown]',
  flags: [{ name: 'markdown', type: 'boolean', description: 'Print the reference as Markdown, with options and examples' }],
  async run(flags: FlagValues, _positionals: readonly string[], io: Io): Promise<number> {
    io.stdout.write(flags['markdown'] === true ? transformersMarkdown(io.env) : transformersText());
    return 0;
  },
};
