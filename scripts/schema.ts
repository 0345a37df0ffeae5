/**
 * Writes rules/schema.json, the JSON Schema of rules files, from the transformer registry.
 * Run it (`npm run schema`) whenever a transformer or its options change; a test fails when
 * the checked-in file is out of date. `--check` only compares, exiting 1 on a difference.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { rulesSchemaText } from '../src/config/rules-schema-file.js';

const path = new URL('../rules/schema.json', import.meta.url);
const text = rulesSchemaText();
if (process.argv.includes('--check')) {
  const current = await readFile(path, 'utf8').catch(() => '');
  if (current !== text) {
    process.stderr.write('rules/schema.json is out of date: run npm run schema\n');
    process.exit(1);
  }
  process.stdout.write('rules/schema.json is up to date\n');
} else {
  await writeFile(path, text);
  process.stdout.write(`wrote rules/schema.json (${text.length} bytes)\n`);
}
