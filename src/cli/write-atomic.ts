import { rename, writeFile } from 'node:fs/promises';
import { isRegularFileOrAbsent } from './output-file.js';

/**
 * Writes a file so that it appears whole or not at all: a temporary file, then a rename.
 * A device or a pipe (such as /dev/null) is written in place.
 */
export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  if (!isRegularFileOrAbsent(path)) return writeFile(path, data);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, data, { mode: 0o600 });
  await rename(temporary, path);
}
