import { isIPv4, isIPv6 } from 'node:net';

/**
 * The bucket a client address is rate-limited in: an IPv4 address as is (IPv4-mapped IPv6 unwrapped),
 * an IPv6 address by its /64 prefix (one subscriber usually holds a whole /64, RFC 6177), anything
 * else (a missing or malformed value) as one shared bucket.
 */
export function addressBucket(ip: string): string {
  const value = ip
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (isIPv4(value)) return value;
  if (!isIPv6(value)) return 'unknown';
  return `${expandIPv6(value).slice(0, 4).join(':')}::/64`;
}

/** Eight 16-bit groups, lower-case hex without leading zeros. */
function expandIPv6(value: string): string[] {
  let text = value.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (v4) {
    const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
    text = text.replace(v4, `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`);
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((g) => Number.parseInt(g, 16).toString(16));
}
