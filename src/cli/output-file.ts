import { createWriteStream, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** An output that is stdout, or a file that appears only when `commit()` is called (temp file, then rename). */
export interface Output {
  readonly stream: Writable;
  /** Flushes and, for a file, renames it into place. */
  commit(): Promise<void>;
  /** Removes the temporary file; stdout is left alone. */
  discard(): Promise<void>;
}

/** Opens `--out FILE|-` (default stdout). */
export function openOutput(path: string | undefined, stdout: Writable): Output {
  if (path === undefined || path === '-') {
    return { stream: stdout, commit: async () => {}, discard: async () => {} };
  }
  if (!isRegularFileOrAbsent(path)) {
    // A device or a pipe (/dev/null, a FIFO) is written in place: renaming onto it would replace it.
    const stream = createWriteStream(path);
    return {
      stream,
      commit: async () => {
        stream.end();
        await finished(stream);
      },
      discard: async () => void stream.destroy(),
    };
  }
  const temporary = `${path}.${process.pid}.partial`;
  const stream = createWriteStream(temporary, { mode: 0o600 });
  return {
    stream,
    commit: async () => {
      stream.end();
      await finished(stream);
      await rename(temporary, path);
    },
    discard: async () => {
      // The file may still be opening: remove it once the stream has closed it, or it would appear after the removal.
      // (A listener, not events.once: that would reject on the error the stream may have failed with.)
      const closed = stream.closed ? Promise.resolve() : new Promise<void>((resolve) => stream.once('close', () => resolve()));
      stream.destroy();
      await closed;
      await rm(temporary, { force: true });
    },
  };
}

/** Whether `path` is a regular file or does not exist yet: only then is temp-and-rename right. */
export function isRegularFileOrAbsent(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return true;
  }
}
