import { describe, expect, it } from 'vitest';
import { appUrls } from './web-client.ts';

describe('the portal client’s redirect URIs', () => {
  it('accepts both loopback spellings on a local base, only the base elsewhere', () => {
    expect(appUrls('http://127.0.0.1:8080')).toEqual([
      'http://127.0.0.1:8080/app/',
      'http://localhost:8080/app/',
    ]);
    expect(appUrls('https://yiyun.xm.gov.cn/')).toEqual(['https://yiyun.xm.gov.cn/app/']);
    expect(appUrls('https://health.example.cn/portal')).toEqual(['https://health.example.cn/portal/app/']);
  });
});
