import { PgmaskError, UsageError } from '../../errors.js';
import { type FetchedList, fetchTestdata, SKATTEVERKET_API } from '../../se/fetch-testdata.js';
import { describeTestdataSource, loadTestNumbers, resolveTestdata, type TestdataLocation, type TestNumberKind, testdataCacheDir } from '../../se/testdata.js';
import type { Command, FlagValues, Io } from '../command.js';

const KINDS: readonly TestNumberKind[] = ['personnummer', 'samordningsnummer'];

/** "dated 2024-07-01, 889 days old" */
function dated(date: Date | undefined, now: Date): string {
  if (!date) return 'missing';
  const days = Math.max(0, Math.floor((now.getTime() - date.getTime()) / 86_400_000));
  return `dated ${date.toISOString().slice(0, 10)}, ${days === 0 ? 'today' : `${days.toLocaleString('en-US')} day(s) old`}`;
}

/** What a run would read now, one line per list. */
function inUse(location: TestdataLocation): string {
  return KINDS.map((kind) => {
    const { path, source, date } = resolveTestdata(kind, location);
    return `${kind}: ${path} (${describeTestdataSource(source)}, ${dated(date, new Date())})`;
  }).join('; ');
}

async function fetchCommand(flags: FlagValues, io: Io): Promise<number> {
  const dir = typeof flags['dir'] === 'string' ? flags['dir'] : testdataCacheDir(io.env);
  const baseUrl = typeof flags['url'] === 'string' ? flags['url'] : SKATTEVERKET_API;
  io.stderr.write(`pgmask: downloading Skatteverket's test lists from ${baseUrl}\n`);
  let last = '';
  let lists: readonly FetchedList[];
  try {
    lists = await fetchTestdata({
      dir,
      baseUrl,
      signal: io.signal,
      onProgress: (kind, fetched, total) => {
        const line = `pgmask: ${kind}: ${fetched}/${total}`;
        if (io.stderr.isTTY) io.stderr.write(`\r${line}`);
        last = line;
      },
    });
  } catch (error) {
    if (io.stderr.isTTY && last) io.stderr.write('\n');
    if (!(error instanceof PgmaskError) || error.code === 'INTERRUPTED') throw error;
    // Nothing was written: the lists in use are those of before.
    throw new PgmaskError(error.code, `${error.message}\nnothing was written; pgmask goes on with ${inUse({ env: io.env })}`, error.exitCode, { cause: error });
  }
  if (io.stderr.isTTY && last) io.stderr.write('\n');
  for (const list of lists) {
    io.stdout.write(`${list.path}: ${list.count} test ${list.kind}${list.dropped ? ` (${list.dropped} with impossible dates left out)` : ''}\n`);
  }
  return 0;
}

/** Prints the path of each list a run reads (stdout) and where it comes from, how many numbers it holds and how old it is (stderr). */
function pathCommand(flags: FlagValues, io: Io): number {
  const location = { dir: typeof flags['dir'] === 'string' ? flags['dir'] : undefined, env: io.env };
  let failed = 0;
  for (const kind of KINDS) {
    const { path, source, date } = resolveTestdata(kind, location);
    try {
      const list = loadTestNumbers(kind, location);
      io.stdout.write(`${path}\n`);
      io.stderr.write(`pgmask: ${kind}: ${list.numbers.length.toLocaleString('en-US')} numbers from ${describeTestdataSource(source)}, ${dated(date, new Date())}\n`);
    } catch (error) {
      failed++;
      io.stderr.write(`pgmask: ${(error as Error).message}\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}

/** `pgmask testdata fetch|path`: Skatteverket's test personnummer and samordningsnummer lists. */
export const testdataCommand: Command = {
  name: 'testdata',
  summary: "Download Skatteverket's newest test personnummer lists (fetch), or show which lists a run reads and how old they are (path)",
  usage: 'pgmask testdata fetch [--dir DIR] [--url BASE] | pgmask testdata path [--dir DIR]',
  positionals: true,
  flags: [
    {
      name: 'dir',
      type: 'string',
      value: 'DIR',
      description: 'Folder of the lists (fetch: where to write them, default the cache ~/.cache/pgmask; path: as --testdata-dir would)',
    },
    { name: 'url', type: 'string', value: 'BASE', description: `Base URL of the open-data API (default ${SKATTEVERKET_API})` },
  ],
  async run(flags: FlagValues, positionals: readonly string[], io: Io): Promise<number> {
    const [sub, ...rest] = positionals;
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}' for 'pgmask testdata ${sub}'`);
    if (sub === 'fetch') return fetchCommand(flags, io);
    if (sub === 'path') {
      if (flags['url'] !== undefined) throw new UsageError("--url applies to 'pgmask testdata fetch' only");
      return pathCommand(flags, io);
    }
    throw new UsageError(`'pgmask testdata' needs fetch or path (see 'pgmask testdata --help')`);
  },
};
