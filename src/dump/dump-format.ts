/** Recognising inputs that are not plain-format SQL, from their first bytes. */

/** How many bytes `sniffDumpFormat` looks at. */
export const SNIFF_BYTES = 8;

/** Why an input is not a plain-format dump. */
export interface FormatProblem {
  readonly code: string;
  readonly message: string;
}

const startsWith = (head: Buffer, bytes: readonly number[]): boolean => bytes.every((b, i) => head[i] === b);

/**
 * Looks at the first bytes of an input (up to `SNIFF_BYTES`) and names what it is when it is
 * not plain SQL: a custom-format archive (`PGDMP`), a tar-format archive, or a compressed file.
 * Returns undefined for anything else.
 *
 * @example sniffDumpFormat(Buffer.from('PGDMP\x01\x0f\x00')) // { code: 'DUMP_CUSTOM_FORMAT', ... }
 */
export function sniffDumpFormat(head: Buffer): FormatProblem | undefined {
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') {
    return {
      code: 'DUMP_CUSTOM_FORMAT',
      message:
        'this is a custom-format dump (pg_dump -Fc); pgmask mask reads plain-format SQL: dump with --format=plain, or turn the archive into SQL with pg_restore -f - FILE | pgmask mask ...',
    };
  }
  if (head.subarray(0, 8).toString('latin1') === 'toc.dat\0') {
    return {
      code: 'DUMP_TAR_FORMAT',
      message: 'this is a tar-format dump (pg_dump -Ft); pgmask mask reads plain-format SQL: dump with --format=plain, or pg_restore -f - FILE | pgmask mask ...',
    };
  }
  const compressed = startsWith(head, [0x1f, 0x8b]) ? 'gzip' : startsWith(head, [0x28, 0xb5, 0x2f, 0xfd]) ? 'zstd' : startsWith(head, [0x04, 0x22, 0x4d, 0x18]) ? 'lz4' : undefined;
  if (compressed) {
    return {
      code: 'DUMP_COMPRESSED',
      message: `the input is ${compressed}-compressed; decompress it on the way in (for example ${compressed === 'gzip' ? 'gunzip -c' : compressed === 'zstd' ? 'zstd -dc' : 'lz4 -dc'} FILE | pgmask mask ...)`,
    };
  }
  return undefined;
}
