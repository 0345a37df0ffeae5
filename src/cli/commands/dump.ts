import { loadRules } from '../../config/load-rules.js';
import { UsageError } from '../../errors.js';
import { dumpDatabase } from '../../pipeline/dump/dump-database.js';
import type { Command } from '../command.js';
import { keyFileFlag, maskThreadFlag, maskThreadValue, readKey, stallTimeoutFlag, stallTimeoutValue, testdataDirFlag } from '../masking-flags.js';
import { openOutput } from '../output-file.js';
import { reportedRun } from '../reported-run.js';
import { sourceFlag } from '../source-flag.js';
import { version } from '../version.js';

export const dumpCommand: Command = {
  name: 'dump',
  summary: 'Write a masked plain-format SQL dump of a database',
  usage: 'pgmask dump --source URL --rules FILE [--out FILE|-] [--report FILE] [--testdata-dir DIR] [--mask-thread auto|on|off] [--stall-timeout SECONDS] [--key-file PATH]',
  flags: [
    sourceFlag,
    { name: 'rules', type: 'string', value: 'FILE', description: 'The YAML rules file' },
    { name: 'out', type: 'string', value: 'FILE|-', description: 'Where the dump goes (default stdout); a file appears only when the dump succeeded' },
    { name: 'report', type: 'string', value: 'FILE', description: 'Write a JSON run report (no data values, no passwords)' },
    testdataDirFlag,
    maskThreadFlag,
    stallTimeoutFlag,
    keyFileFlag,
  ],
  async run(flags, _positionals, io) {
    const rulesFile = flags['rules'] as string | undefined;
    if (!rulesFile) throw new UsageError('--rules FILE is required');
    const maskThread = maskThreadValue(flags);
    const stallTimeout = stallTimeoutValue(flags);
    const key = readKey(flags, io);
    const rules = await loadRules(rulesFile);
    const output = openOutput(flags['out'] as string | undefined, io.stdout);
    const testdataDir = flags['testdata-dir'] as string | undefined;
    await reportedRun({ io, reportFile: flags['report'] as string | undefined, output }, () =>
      dumpDatabase({
        source: flags['source'] as string | undefined,
        rules,
        key,
        out: output.stream,
        env: io.env,
        signal: io.signal,
        version,
        ...(testdataDir ? { testdataDir } : {}),
        ...(maskThread ? { maskThread } : {}),
        ...(stallTimeout !== undefined ? { stallTimeout } : {}),
      }),
    );
    return 0;
  },
};
