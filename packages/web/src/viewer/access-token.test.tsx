import { describe, expect, it } from 'vitest';
import { authorizationFor } from './access-token.tsx';

const APP = 'https://yiyun.example';

describe('authorizationFor', () => {
  it('sends the bearer token to the app origin, relative or absolute', () => {
    expect(authorizationFor('/dicomweb/studies', 'abc', APP)).toEqual({ Authorization: 'Bearer abc' });
    expect(authorizationFor(`${APP}/dicomweb/studies`, 'abc', APP)).toEqual({ Authorization: 'Bearer abc' });
  });

  it('never sends it to another origin named by a crafted ?dicomweb= link', () => {
    expect(authorizationFor('https://evil.example/dicomweb/studies', 'abc', APP)).toEqual({});
    expect(authorizationFor('//evil.example/dicomweb', 'abc', APP)).toEqual({});
    expect(authorizationFor('http://yiyun.example/dicomweb', 'abc', APP)).toEqual({}); // scheme differs
  });

  it('sends nothing without a token', () => {
    expect(authorizationFor('/dicomweb/studies', undefined, APP)).toEqual({});
  });
});
