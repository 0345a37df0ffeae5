import { rename, writeFile } from 'node:fs/promises';

/** Writes a file so that it appears whole or not at all: a temporary file, then a rename. */
export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, data, { mode: 0o600 });
  await rename(temporary, path);
}
