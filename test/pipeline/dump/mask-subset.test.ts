import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../src/config/parse-rules.js';
import { ConfigError } from '../../../src/errors.js';
import { maskDump } from '../../../src/pipeline/dump/mask-dump.js';
import { maskingKeyFromBytes } from '../../../src/random/key.js';
import { runCli } from '../../support/cli.js';
import { writeRulesFile } from '../../support/rules-file.js';

const RULES = 'version: 1\nunlisted: keep\ntables: {}\nsubset:\n  roots: [{ table: public.customers, limit: 10 }]\n';
const MESSAGE = 'mask reads a dump stream and cannot select a subset; use pgmask copy or pgmask dump';

describe('pgmask mask refuses rules with subset:', () => {
  it('maskDump throws a ConfigError at the subset: key before reading the stream', async () => {
    const { rules } = parseRules(RULES, 'rules.yaml');
    const input = new Readable({ read: () => expect.unreachable('the stream was read') });
    const error = await maskDump({ input, output: new PassThrough(), rules: rules!, key: maskingKeyFromBytes(Buffer.alloc(32, 7)), version: 'test' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'SUBSET_NOT_SUPPORTED', message: `rules.yaml:4:1: ${MESSAGE}`, position: { file: 'rules.yaml', line: 4, column: 1 } });
  });

  it('the command exits 1 with the message, writing nothing', async () => {
    const { file } = writeRulesFile('pgmask-mask-subset-', RULES);
    const result = await runCli(['mask', '--rules', file], { input: '-- a dump\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(MESSAGE);
    expect(result.stdout).toBe('');
  });
});
