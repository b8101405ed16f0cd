import { describe, expect, it } from 'vitest';
import { createResourceChannel } from './resource-channel.ts';

const patient = (id: string) => ({ resourceType: 'Patient' as const, id });

async function take(lines: AsyncIterable<string>, n: number): Promise<string[]> {
  const out: string[] = [];
  const it = lines[Symbol.asyncIterator]();
  while (out.length < n) {
    const next = await it.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

describe('createResourceChannel', () => {
  it('hands resources to the reader as NDJSON lines, in order, and ends after close', async () => {
    const channel = createResourceChannel(100);
    for (let i = 0; i < 3; i++) await channel.sink.write(patient(`p${i}`));
    await channel.sink.close();
    const lines: string[] = [];
    for await (const line of channel.lines) lines.push(line);
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['p0', 'p1', 'p2']);
    expect(channel.written()).toBe(3);
  });

  it('holds the writer back at the high-water mark until the reader drains half', async () => {
    const channel = createResourceChannel(4);
    for (let i = 0; i < 3; i++) expect(channel.sink.write(patient(`p${i}`))).toBeUndefined();
    let released = false;
    const held = channel.sink.write(patient('p3'));
    expect(held).toBeInstanceOf(Promise);
    void held?.then(() => {
      released = true;
    });
    const it = channel.lines[Symbol.asyncIterator]();
    await it.next();
    await Promise.resolve();
    expect(released).toBe(false);
    await it.next();
    await held;
    expect(released).toBe(true);
  });

  it('wakes a waiting reader when a resource arrives', async () => {
    const channel = createResourceChannel(10);
    const first = take(channel.lines, 1);
    await new Promise((r) => setTimeout(r, 5));
    await channel.sink.write(patient('late'));
    expect(await first).toEqual([JSON.stringify(patient('late'))]);
  });

  it('fails both sides: a held writer rejects and the reader throws', async () => {
    const channel = createResourceChannel(2);
    void channel.sink.write(patient('a'));
    const held = channel.sink.write(patient('b'));
    const boom = new Error('database gone');
    channel.fail(boom);
    await expect(held).rejects.toBe(boom);
    await expect(take(channel.lines, 5)).rejects.toBe(boom);
    await expect(channel.sink.write(patient('c'))).rejects.toBe(boom);
  });

  it('keeps memory bounded by compacting what was read', async () => {
    const channel = createResourceChannel(5_000);
    const reading = (async () => {
      let n = 0;
      for await (const _ of channel.lines) n++;
      return n;
    })();
    for (let i = 0; i < 20_000; i++) {
      const pending = channel.sink.write(patient(`p${i}`));
      if (pending) await pending;
    }
    await channel.sink.close();
    expect(await reading).toBe(20_000);
  });
});
