/**
 * Index rows carry a 32-bit key for (resource type, parameter code) instead of the names: 4 bytes
 * per row, the resource type implied, no lookup table to keep coherent between server replicas.
 * FNV-1a over the UTF-8 bytes; collisions between known parameters are checked in a test.
 */
export function paramKey(resourceType: string, code: string): number {
  let hash = 0x811c9dc5;
  const text = `${resourceType}.${code}`;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    // Parameter codes and type names are ASCII; fold anything else into its low byte, which is
    // still deterministic.
    c &= 0xff;
    hash ^= c;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
