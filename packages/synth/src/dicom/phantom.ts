import type { Rng } from '../random/prng.ts';

/**
 * A 64×64 synthetic slice in CT numbers stored as HU + 1024: air outside, a soft-tissue body
 * ellipse, and a body-part feature (skull ring for the head, two lungs for the chest, a liver for
 * the abdomen), with a little noise.
 */
export function phantom(rng: Rng, bodyPart: string): Uint16Array {
  const n = 64;
  const px = new Uint16Array(n * n);
  const head = bodyPart === 'HEAD' || bodyPart === 'BRAIN';
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const dx = (x - 31.5) / (head ? 24 : 29);
      const dy = (y - 31.5) / (head ? 28 : 21);
      const r = dx * dx + dy * dy;
      let hu = -1000;
      if (r <= 1) {
        hu = 40;
        if (head && r > 0.8) hu = 900;
        if (bodyPart === 'CHEST' && Math.abs(Math.abs(x - 31.5) - 12) < 8 && Math.abs(y - 31.5) < 14)
          hu = -800;
        if (bodyPart === 'ABDOMEN' && x < 30 && y < 34 && y > 18) hu = 60;
      }
      px[y * n + x] = Math.max(0, Math.round(hu + 1024 + rng.normal(0, 8)));
    }
  }
  return px;
}
