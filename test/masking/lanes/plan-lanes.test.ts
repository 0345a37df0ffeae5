import { describe, expect, it } from 'vitest';
import { buildTransform, keepsState } from '../../../src/masking/build-transform.js';
import { planLanes } from '../../../src/masking/lanes/plan-lanes.js';
import { isLocalHost, useMaskThread } from '../../../src/masking/lanes/thread-policy.js';
import type { MaskedRule } from '../../../src/masking/table-masker.js';
import type { RuleSpec } from '../../../src/transformers/transformer.js';
import { column, session } from '../../transformers/support.js';

/** A masked column as planLanes sees it: its name, what its rule reads, whether it keeps ordered state. */
function rule(name: string, reads: string[] = [], ordered = false): MaskedRule {
  return { name, index: 0, transform: (v) => v, spec: { transform: 'keep' }, target: {}, reads, ordered };
}

const names = (rules: readonly MaskedRule[]): string[] => rules.map((r) => r.name);

describe('planLanes', () => {
  it('keeps columns with ordered state, and every column in a reading group with one, on the stream thread', () => {
    const columns = [rule('pnr', [], true), rule('first', ['pnr']), rule('birth', ['pnr']), rule('street'), rule('email', [], true), rule('notes')];
    const plan = planLanes(columns);
    expect(names(plan.main)).toEqual(['pnr', 'first', 'birth', 'email']);
    expect(names(plan.worker)).toEqual(['street', 'notes']);
  });

  it('sends every stateless group to the masking thread when no costs are known', () => {
    const plan = planLanes([rule('a'), rule('b', ['c']), rule('c')]);
    expect(plan.main).toEqual([]);
    expect(names(plan.worker)).toEqual(['a', 'b', 'c']);
  });

  it('shares stateless groups out by cost, the costliest first, keeping readers with what they read', () => {
    // Total 10: the stream thread starts at 2.5 (its share of splitting and writing) plus its ordered 1.
    const columns = [rule('u', [], true), rule('big'), rule('mid'), rule('reader', ['small']), rule('small')];
    const plan = planLanes(columns, [1, 4, 3, 1, 1]);
    // big → thread (0 < 3.5); mid → stream (3.5 < 4); reader+small (2) → thread (6.5 > 4).
    expect(names(plan.main)).toEqual(['u', 'mid']);
    expect(names(plan.worker)).toEqual(['big', 'reader', 'small']);
  });

  it('puts each column in exactly one lane', () => {
    const columns = ['a', 'b', 'c', 'd', 'e', 'f'].map((n, i) => rule(n, i % 3 === 1 ? [String.fromCharCode(n.charCodeAt(0) - 1)] : [], i === 4));
    for (const costs of [undefined, [5, 1, 1, 1, 1, 9], [0, 0, 0, 0, 0, 0], [1, 2, 3, 4, 5, 6]]) {
      const plan = planLanes(columns, costs);
      expect([...names(plan.main), ...names(plan.worker)].sort()).toEqual(names(columns));
    }
  });
});

describe('useMaskThread', () => {
  it('starts a second thread on auto only where two CPUs are left beside the streams and a local server', () => {
    expect(useMaskThread('auto', true, 2)).toBe(false);
    expect(useMaskThread('auto', false, 2)).toBe(false);
    expect(useMaskThread('auto', false, 3)).toBe(true);
    expect(useMaskThread('auto', true, 3)).toBe(false);
    expect(useMaskThread('auto', true, 4)).toBe(true);
    expect(useMaskThread('on', true, 1)).toBe(true);
    expect(useMaskThread('off', false, 64)).toBe(false);
  });

  it('counts sockets, localhost and loopback addresses as this machine', () => {
    expect(['/var/run/postgresql', 'localhost', '127.0.0.1', '127.1.2.3', '::1', ''].every(isLocalHost)).toBe(true);
    expect(['db.example.com', '10.0.0.5', '::2'].some(isLocalHost)).toBe(false);
  });
});

describe('keepsState', () => {
  it('marks the transforms of unique rules, also nested ones, as keeping ordered run-wide state', () => {
    const masking = session();
    const build = (spec: RuleSpec): boolean => keepsState(buildTransform(masking, spec, column()));
    expect(build({ transform: 'email' })).toBe(false);
    expect(build({ transform: 'email', unique: true })).toBe(true);
    expect(build({ transform: 'json', options: { paths: { '$.a': 'email' } } })).toBe(false);
    expect(build({ transform: 'json', options: { paths: { '$.a': { transform: 'email', unique: true } } } })).toBe(true);
    expect(build({ transform: 'array', options: { element: { transform: 'uuid', unique: true } } })).toBe(true);
  });
});
