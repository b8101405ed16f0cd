import { describe, expect, it } from 'vitest';
import { resolveBaseUrl } from './dicomweb-client.tsx';

describe('resolveBaseUrl', () => {
  const page = 'https://yiyun.example/app/#/viewer?study=1.2';
  it('resolves the default and relative bases against the page, without a trailing slash', () => {
    expect(resolveBaseUrl('/dicomweb', page)).toBe('https://yiyun.example/dicomweb');
    expect(resolveBaseUrl('/dicomweb/', page)).toBe('https://yiyun.example/dicomweb');
    expect(resolveBaseUrl('https://pacs.example/wado', page)).toBe('https://pacs.example/wado');
  });
});
