import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a rules file into a new temporary folder (for the test's reports too); returns both. */
export function writeRulesFile(prefix: string, yaml: string): { readonly dir: string; readonly file: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'rules.yaml');
  writeFileSync(file, yaml);
  return { dir, file };
}
