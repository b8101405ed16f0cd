import { describe, expect, it } from 'vitest';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

type Tree = { [key: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`.replace(/_(one|other)$/, '')] : keys(v, `${prefix}${k}.`),
  );
}

/** The app's own sources (Vite's glob, resolved when the test is transformed), tests left out. */
const SOURCES = import.meta.glob(['./**/*.tsx', '!./**/*.test.tsx'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('translations', () => {
  const zh = new Set(keys(zhCN as Tree));
  const english = new Set(keys(en as Tree));

  it('zh-CN and en have the same keys', () => {
    expect([...zh].filter((k) => !english.has(k))).toEqual([]);
    expect([...english].filter((k) => !zh.has(k))).toEqual([]);
  });

  it('every literal key the app uses exists (zh-CN is the default, issue #7 §6)', () => {
    const used = new Set<string>();
    for (const text of Object.values(SOURCES) as string[]) {
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.-]*)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/label: '([a-z]+\.[a-zA-Z.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !zh.has(k)).sort()).toEqual([]);
  });
});
