import { type FileHandle, open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { loadRules } from '../../config/load-rules.js';
import { UsageError } from '../../errors.js';
import { maskDump, refuseSubset } from '../../pipeline/dump/mask-dump.js';
import type { Command, FlagValues } from '../command.js';
import { keyFileFlag, maskThreadFlag, maskThreadValue, readKey, stallTimeoutFlag, stallTimeoutValue, testdataDirFlag } from '../masking-flags.js';
import { openOutput } from '../output-file.js';
import { reportedRun } from '../reported-run.js';
import { version } from '../version.js';

const text = (flags: FlagValues, name: string): string | undefined => flags[name] as string | undefined;

/** Opens `--in FILE|-` (default stdin), failing early with a usage error when it cannot be read. */
async function openInput(path: string | undefined): Promise<Readable> {
  if (path === undefined || path === '-') {
    if (process.stdin.isTTY) throw new UsageError('pgmask mask reads a pg_dump plain-format dump from stdin: pipe one in (pg_dump ... | pgmask mask ...) or give --in FILE');
    return process.stdin;
  }
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'read error');
    throw new UsageError(`cannot read --in ${path}: ${reason}`);
  }
  if ((await handle.stat()).isDirectory()) {
    await handle.close();
    throw new UsageError(`--in ${path} is a directory (a directory-format dump?); pgmask mask reads plain-format SQL: pg_restore -f - ${path} | pgmask mask ...`);
  }
  return handle.createReadStream();
}

/**
 * `pgmask mask`: masks a pg_dump plain-format SQL stream, stdin to stdout by default, so that
 * `pg_dump prod | pgmask mask --rules r.yaml | psql dev` works with no database of its own.
 * Exit codes: 1 when the rules do not cover a COPY block (or are invalid), 2 for usage errors
 * and dumps of the wrong kind (custom/tar/compressed format, INSERT statements, not UTF8),
 * 3 for malformed or truncated data and I/O failures.
 */
export const maskCommand: Command = {
  name: 'mask',
  summary: 'Mask a pg_dump plain-format SQL stream (stdin to stdout), no database needed',
  usage: 'pgmask mask --rules FILE [--in FILE|-] [--out FILE|-] [--report FILE] [--testdata-dir DIR] [--mask-thread auto|on|off] [--stall-timeout SECONDS] [--key-file PATH]',
  flags: [
    { name: 'rules', type: 'string', value: 'FILE', description: 'The YAML rules file' },
    { name: 'in', type: 'string', value: 'FILE|-', description: 'The plain-format dump to read (default stdin)' },
    { name: 'out', type: 'string', value: 'FILE|-', description: 'Where the masked dump goes (default stdout); a file appears only when the whole dump was masked' },
    { name: 'report', type: 'string', value: 'FILE', description: 'Write a JSON run report (no data values)' },
    testdataDirFlag,
    maskThreadFlag,
    stallTimeoutFlag,
    keyFileFlag,
  ],
  async run(flags, _positionals, io) {
    const rulesFile = text(flags, 'rules');
    if (!rulesFile) throw new UsageError('--rules FILE is required');
    const maskThread = maskThreadValue(flags);
    const stallTimeout = stallTimeoutValue(flags);
    const key = readKey(flags, io);
    const rules = await loadRules(rulesFile);
    refuseSubset(rules);
    const input = await openInput(text(flags, 'in'));
    const output = openOutput(text(flags, 'out'), io.stdout);
    const testdataDir = text(flags, 'testdata-dir');
    await reportedRun({ io, reportFile: text(flags, 'report'), output }, async () => {
      try {
        return await maskDump({
          input,
          output: output.stream,
          rules,
          key,
          env: io.env,
          signal: io.signal,
          version,
          ...(testdataDir ? { testdataDir } : {}),
          ...(maskThread ? { maskThread } : {}),
          ...(stallTimeout !== undefined ? { stallTimeout } : {}),
          ...(stallTimeout !== undefined ? { stallTimeout } : {}),
        });
      } catch (error) {
        input.destroy();
        throw error;
      }
    });
    return 0;
  },
};
