import { describe, expect, it } from 'vitest';
import { OrderedOutput } from '../../../src/masking/lanes/ordered-output.js';

describe('OrderedOutput', () => {
  it('holds chunks written after a reserved slot until the slot is filled, whatever order slots are filled in', async () => {
    const out: string[] = [];
    const errors: Error[] = [];
    const output = new OrderedOutput(
      (c) => out.push(c.toString()),
      (e) => errors.push(e),
    );
    output.write(Buffer.from('a'));
    const first = output.reserve();
    output.write(Buffer.from('b'));
    const second = output.reserve();
    output.write(Buffer.from('c'));
    expect(out).toEqual(['a']);
    expect(output.open).toBe(2);
    const settled = output.settled(0);
    second.fill((push) => push(Buffer.from('2')));
    expect(out).toEqual(['a']);
    first.fill((push) => {
      push(Buffer.from('1'));
      push(Buffer.from('1+'));
    });
    expect(out).toEqual(['a', '1', '1+', 'b', '2', 'c']);
    await settled;
    expect(output.open).toBe(0);
    expect(errors).toEqual([]);
  });

  it('fails on a slot that fails or whose writing throws: waiters are rejected and nothing more goes out', async () => {
    const out: string[] = [];
    const errors: Error[] = [];
    const output = new OrderedOutput(
      (c) => out.push(c.toString()),
      (e) => errors.push(e),
    );
    const slot = output.reserve();
    output.write(Buffer.from('after'));
    const waiting = output.settled(0);
    slot.fill(() => {
      throw new Error('assembly failed');
    });
    await expect(waiting).rejects.toThrow('assembly failed');
    await expect(output.settled(5)).rejects.toThrow('assembly failed');
    expect(out).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual(['assembly failed']);

    const other = new OrderedOutput(
      () => {},
      (e) => errors.push(e),
    );
    other.reserve().fail(new Error('thread failed'));
    expect(errors.map((e) => e.message)).toEqual(['assembly failed', 'thread failed']);
  });
});
