/** Loads many small instances through STOW-RS, several per request, a few requests in flight. */
import type { PacsTarget } from './phases.ts';

const BOUNDARY = 'yiyun-bench-load-3c9a';
const PER_REQUEST = 50;
const IN_FLIGHT = 4;

function body(instances: readonly Buffer[]): Uint8Array<ArrayBuffer> {
  const parts: Buffer[] = [];
  for (const instance of instances)
    parts.push(
      Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/dicom\r\n\r\n`),
      instance,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return new Uint8Array(Buffer.concat(parts));
}

export async function loadSmall(target: PacsTarget, source: Iterator<Buffer>, total: number) {
  const started = performance.now();
  let sent = 0;
  let lastReport = started;
  const next = (): Buffer[] => {
    const batch: Buffer[] = [];
    while (batch.length < PER_REQUEST) {
      const r = source.next();
      if (r.done) break;
      batch.push(r.value);
    }
    return batch;
  };
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let batch = next(); batch.length; batch = next()) {
        const res = await fetch(`${target.dicomweb}/studies`, {
          method: 'POST',
          headers: {
            ...(await target.headers()),
            'content-type': `multipart/related; type="application/dicom"; boundary=${BOUNDARY}`,
            accept: 'application/dicom+json',
          },
          body: body(batch),
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`STOW ${res.status} while loading`);
        sent += batch.length;
        if (performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          console.log(`  ${target.name}: ${sent}/${total} loaded`);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { instances: sent, seconds, perSecond: sent / seconds };
}
