/** The benchmark's phases, each against a running server over HTTP. */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import type { BenchFetch } from '../lib/client.ts';
import { type LoadResult, runLoad } from '../lib/load.ts';

const FHIR_JSON = { 'content-type': 'application/fhir+json' };

export interface ImportResult {
  readonly resources: number;
  readonly uploadSeconds: number;
  readonly importSeconds: number;
  readonly perSecond: number;
}

/** Uploads every NDJSON file, then one `$import` of them all; times the import job. */
export async function importViaHttp(http: BenchFetch, files: readonly string[]): Promise<ImportResult> {
  const t0 = performance.now();
  const inputs: { type: string; url: string }[] = [];
  for (const file of files) {
    const res = await http(`/bulk/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+ndjson', 'content-length': String(statSync(file).size) },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
    inputs.push({ type: basename(file, '.ndjson'), url: ((await res.json()) as { url: string }).url });
  }
  const t1 = performance.now();
  const kick = await http(`/fhir/R4/$import`, {
    method: 'POST',
    headers: { ...FHIR_JSON, prefer: 'respond-async' },
    body: JSON.stringify({
      resourceType: 'Parameters',
      parameter: inputs.map((i) => ({
        name: 'input',
        part: [
          { name: 'type', valueCode: i.type },
          { name: 'url', valueUri: i.url },
        ],
      })),
    }),
  });
  if (kick.status !== 202) throw new Error(`$import kick-off failed: ${kick.status} ${await kick.text()}`);
  const status = kick.headers.get('content-location')!;
  let manifest: { totals: { created: number; updated: number; failed: number } };
  for (;;) {
    const res = await http(status);
    if (res.status === 200) {
      manifest = (await res.json()) as typeof manifest;
      break;
    }
    if (res.status !== 202) throw new Error(`$import failed: ${res.status} ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const t2 = performance.now();
  if (manifest.totals.failed > 0) console.warn(`$import rejected ${manifest.totals.failed} resources`);
  const resources = manifest.totals.created + manifest.totals.updated;
  const importSeconds = (t2 - t1) / 1000;
  return { resources, uploadSeconds: (t1 - t0) / 1000, importSeconds, perSecond: resources / importSeconds };
}

export async function transactionIngest(http: BenchFetch, bundles: readonly Bundle[], concurrency: number) {
  let next = 0;
  let resources = 0;
  const result = await runLoad({
    concurrency,
    durationMs: 10 * 60_000,
    maxRequests: bundles.length,
    fn: async () => {
      const bundle = bundles[next++];
      if (!bundle) return true;
      const res = await http(`/fhir/R4`, {
        method: 'POST',
        headers: { ...FHIR_JSON, prefer: 'return=minimal' },
        body: JSON.stringify(bundle),
      });
      await res.arrayBuffer();
      if (res.status === 200) resources += bundle.entry?.length ?? 0;
      return res.status === 200;
    },
  });
  return { ...result, resources, resourcesPerSecond: resources / result.seconds };
}

function pick<T>(items: readonly T[], i: number): T {
  return items[(i * 7919 + 13) % items.length]!;
}

/** 60 % read, 15 % create, 15 % update (read + PUT with If-Match), 10 % search by identifier. */
export async function crudMix(
  http: BenchFetch,
  patients: readonly Patient[],
  concurrency: number,
  durationMs: number,
) {
  const reads: number[] = [];
  const result = await runLoad({
    concurrency,
    durationMs,
    fn: async (worker, i) => {
      const roll = (i * 31 + worker * 17) % 100;
      const p = pick(patients, i * concurrency + worker);
      if (roll < 60) {
        const t = performance.now();
        const res = await http(`/fhir/R4/Patient/${p.id}`);
        await res.arrayBuffer();
        reads.push(performance.now() - t);
        return res.status === 200;
      }
      if (roll < 75) {
        const res = await http(`/fhir/R4/Observation`, {
          method: 'POST',
          headers: { ...FHIR_JSON, prefer: 'return=minimal' },
          body: JSON.stringify({
            resourceType: 'Observation',
            status: 'final',
            code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
            subject: { reference: `Patient/${p.id}` },
            effectiveDateTime: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
            valueQuantity: {
              value: 60 + (i % 40),
              unit: '/min',
              system: 'http://unitsofmeasure.org',
              code: '/min',
            },
          } satisfies Observation),
        });
        await res.arrayBuffer();
        return res.status === 201;
      }
      if (roll < 90) {
        const read = await http(`/fhir/R4/Patient/${p.id}`);
        const body = (await read.json()) as Patient;
        const res = await http(`/fhir/R4/Patient/${p.id}`, {
          method: 'PUT',
          headers: { ...FHIR_JSON, 'if-match': read.headers.get('etag') ?? '', prefer: 'return=minimal' },
          body: JSON.stringify({ ...body, active: !body.active }),
        });
        await res.arrayBuffer();
        return res.status === 200 || res.status === 412;
      }
      const id = p.identifier?.find((x) => x.system?.endsWith('cn-resident-id'));
      const res = await http(
        `/fhir/R4/Patient?identifier=${encodeURIComponent(`${id?.system}|${id?.value}`)}`,
      );
      await res.arrayBuffer();
      return res.status === 200;
    },
  });
  reads.sort((a, b) => a - b);
  const at = (q: number) => reads[Math.min(reads.length - 1, Math.floor(q * reads.length))] ?? Number.NaN;
  return { ...result, readP50: at(0.5), readP99: at(0.99) };
}

/** One search shape under load: `query(i)` gives the i-th request's path and query. */
export function searchLoad(
  http: BenchFetch,
  query: (i: number) => string,
  concurrency: number,
  durationMs: number,
): Promise<LoadResult> {
  return runLoad({
    concurrency,
    durationMs,
    fn: async (worker, i) => {
      const res = await http(`/fhir/R4/${query(i * concurrency + worker)}`);
      const body = (await res.json()) as Bundle;
      return res.status === 200 && body.resourceType === 'Bundle';
    },
  });
}
