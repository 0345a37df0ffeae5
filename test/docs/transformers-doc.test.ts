import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { transformersMarkdown } from '../../src/masking/transformers-markdown.js';

describe('docs/transformers.md', () => {
  it('is what `pgmask transformers --markdown` generates from the registry (regenerate it when this fails)', () => {
    const generated = transformersMarkdown(process.env);
    const checkedIn = readFileSync('docs/transformers.md', 'utf8');
    expect(checkedIn, 'run: node bin/pgmask.js transformers --markdown > docs/transformers.md').toBe(generated);
    expect(checkedIn).toContain('## se.personnummer');
    expect(checkedIn).not.toContain('not computed here');
  });
});
