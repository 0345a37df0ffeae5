import { existsSync } from 'node:fs';
import { UsageError } from '../../errors.js';
import { fetchTestdata, SKATTEVERKET_API } from '../../se/fetch-testdata.js';
import { loadTestNumbers, TESTDATA_FILES, type TestNumberKind, testdataCacheDir, testdataDir, testdataPath } from '../../se/testdata.js';
import type { Command, FlagValues, Io } from '../command.js';

const KINDS: readonly TestNumberKind[] = ['personnummer', 'samordningsnummer'];

async function fetchCommand(flags: FlagValues, io: Io): Promise<number> {
  const dir = typeof flags['dir'] === 'string' ? flags['dir'] : testdataCacheDir(io.env);
  const baseUrl = typeof flags['url'] === 'string' ? flags['url'] : SKATTEVERKET_API;
  io.stderr.write(`pgmask: downloading Skatteverket's test lists from ${baseUrl}\n`);
  let last = '';
  const lists = await fetchTestdata({
    dir,
    baseUrl,
    signal: io.signal,
    onProgress: (kind, fetched, total) => {
      const line = `pgmask: ${kind}: ${fetched}/${total}`;
      if (io.stderr.isTTY) io.stderr.write(`\r${line}`);
      last = line;
    },
  });
  if (io.stderr.isTTY && last) io.stderr.write('\n');
  for (const list of lists) {
    io.stdout.write(`${list.path}: ${list.count} test ${list.kind}${list.dropped ? ` (${list.dropped} with impossible dates left out)` : ''}\n`);
  }
  return 0;
}

function pathCommand(flags: FlagValues, io: Io): number {
  const location = { dir: typeof flags['dir'] === 'string' ? flags['dir'] : undefined, env: io.env };
  const { dir, source } = testdataDir(location);
  io.stdout.write(`${dir}\n`);
  const from = source === 'env' ? 'PGMASK_TESTDATA_DIR' : source === 'dir' ? '--dir' : 'the cache';
  let missing = 0;
  for (const kind of KINDS) {
    const path = testdataPath(kind, location);
    if (!existsSync(path)) {
      missing++;
      io.stderr.write(`pgmask: ${TESTDATA_FILES[kind]}: missing (${from}); run \`pgmask testdata fetch\`\n`);
      continue;
    }
    try {
      const list = loadTestNumbers(kind, location);
      io.stderr.write(`pgmask: ${TESTDATA_FILES[kind]}: ${list.numbers.length} numbers (${from})\n`);
    } catch (error) {
      missing++;
      io.stderr.write(`pgmask: ${(error as Error).message}\n`);
    }
  }
  return missing === 0 ? 0 : 1;
}

/** `pgmask testdata fetch|path`: Skatteverket's test personnummer and samordningsnummer lists. */
export const testdataCommand: Command = {
  name: 'testdata',
  summary: "Download Skatteverket's test personnummer lists (fetch), or show where they are read from (path)",
  usage: 'pgmask testdata fetch [--dir DIR] [--url BASE] | pgmask testdata path [--dir DIR]',
  positionals: true,
  flags: [
    { name: 'dir', type: 'string', value: 'DIR', description: 'Folder for the lists (default: PGMASK_TESTDATA_DIR for path, the cache ~/.cache/pgmask for fetch)' },
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
