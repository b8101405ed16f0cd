import { resolve } from 'node:path';
import { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { parseBlobStoreUrl } from './open-blob-store.ts';

const name = 'cold';

function problem(url: string, options: Parameters<typeof parseBlobStoreUrl>[1] = { name }): string {
  try {
    parseBlobStoreUrl(url, options);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('invalid');
    return (err as AppError).message;
  }
  throw new Error(`accepted ${url}`);
}

describe('parseBlobStoreUrl', () => {
  it('reads file: URLs and plain paths as FsBlobStore roots', () => {
    expect(parseBlobStoreUrl('file:/var/lib/yiyun/blobs', { name })).toEqual({
      kind: 'fs',
      name,
      root: '/var/lib/yiyun/blobs',
    });
    expect(parseBlobStoreUrl('file:///srv/a%20b', { name })).toMatchObject({ root: '/srv/a b' });
    expect(parseBlobStoreUrl('/data/hot', { name })).toMatchObject({ kind: 'fs', root: '/data/hot' });
    expect(parseBlobStoreUrl('yiyun-data/blobs', { name })).toMatchObject({
      root: resolve('yiyun-data/blobs'),
    });
  });

  it('reads s3: URLs with endpoint, region, path style, prefix and userinfo credentials', () => {
    const config = parseBlobStoreUrl(
      's3://AKID:se%2Fcret@pacs-cold/region-a/images?endpoint=http://127.0.0.1:9000&region=cn-north-1&forcePathStyle=true',
      { name },
    );
    expect(config).toEqual({
      kind: 's3',
      name,
      bucket: 'pacs-cold',
      prefix: 'region-a/images/',
      endpoint: 'http://127.0.0.1:9000',
      region: 'cn-north-1',
      forcePathStyle: true,
      accessKeyId: 'AKID',
      secretAccessKey: 'se/cret',
    });
  });

  it('takes credentials from the options and defaults region and path style', () => {
    const credentials = { accessKeyId: 'k', secretAccessKey: 's' };
    expect(parseBlobStoreUrl('s3://bucket1', { name, credentials })).toEqual({
      kind: 's3',
      name,
      bucket: 'bucket1',
      region: 'us-east-1',
      forcePathStyle: false,
      ...credentials,
    });
    expect(
      parseBlobStoreUrl('s3://bucket1/?endpoint=https://oss.example.cn', { name, credentials }),
    ).toMatchObject({
      forcePathStyle: true,
      endpoint: 'https://oss.example.cn',
    });
  });

  it('names the problem of a bad URL without echoing its secret', () => {
    expect(problem('')).toContain('empty');
    expect(problem('ftp://host/x')).toContain('unsupported scheme "ftp:"');
    expect(
      problem('s3:///prefix', { name, credentials: { accessKeyId: 'k', secretAccessKey: 's' } }),
    ).toContain('no bucket');
    expect(problem('s3://Bad_Bucket')).toContain('not a valid bucket name');
    expect(problem('s3://bucket1')).toContain('needs credentials');
    expect(problem('s3://onlykey@bucket1')).toContain('key:secret');
    expect(problem('s3://k:s@bucket1?endpoint=ftp://x')).toContain('http: or https:');
    expect(problem('s3://k:s@bucket1?endpoint=nope')).toContain('not a URL');
    expect(problem('s3://k:s@bucket1?forcePathStyle=yes')).toContain('forcePathStyle');
    expect(problem('s3://k:s@bucket1?regoin=x')).toContain('unknown parameter "regoin"');
    expect(problem('s3://k:topsecret@bucket1:9000')).not.toContain('topsecret');
  });
});
