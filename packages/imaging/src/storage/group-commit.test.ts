import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';

describe('GroupCommit', () => {
  it('runs the first item at once and groups the ones that arrive meanwhile', async () => {
    const batches: string[][] = [];
    const commit = new GroupCommit<string, string>({
      keyOf: (s) => s,
      run: async (batch) => {
        batches.push([...batch]);
        await new Promise((r) => setTimeout(r, 5));
        return batch.map((s) => s.toUpperCase());
      },
    });
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((s) => commit.add(s)));
    expect(results).toEqual(['A', 'B', 'C', 'D']);
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('never puts one key twice in a batch; a failed batch is retried item by item', async () => {
    const batches: string[][] = [];
    const commit = new GroupCommit<string, number>({
      keyOf: (s) => s,
      maxBatch: 2,
      run: async (batch) => {
        batches.push([...batch]);
        if (batch.includes('boom')) throw new Error('db down');
        return batch.map((s) => s.length);
      },
    });
    const first = commit.add('x');
    const rest = ['x', 'y', 'boom', 'z'].map((s) => commit.add(s).catch((e: Error) => e.message));
    expect(await first).toBe(1);
    expect(await Promise.all(rest)).toEqual([1, 1, 'db down', 1]);
    expect(batches).toEqual([['x'], ['x', 'y'], ['boom', 'z'], ['boom'], ['z']]);
  });
});
