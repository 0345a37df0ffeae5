/**
 * Why the server refused to make a temporary table, as a sentence's end ("…, which the source
 * role may not create …"), or undefined for any other error: 42501, the role lacks TEMPORARY on
 * the database; 25006, a read-only server (a hot standby).
 */
export function temporaryTablesRefused(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (code === '42501') return 'the source role may not create (grant it TEMPORARY on the database)';
  if (code === '25006') return 'a read-only server (a hot standby) does not allow: read from the primary';
  return undefined;
}
