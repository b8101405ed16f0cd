/**
 * Two `yiyun serve` processes on one PostgreSQL database (how a city runs Yiyun behind a load
 * balancer). This suite always uses the PostgreSQL server, whichever store the pass is for:
 * two processes cannot share one embedded database.
 */
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { createTestDatabase } from '@yiyun/store/testing';
import { describe, expect, it } from 'vitest';
import { startServerProcess } from './server-process.ts';

const JSON_HEADERS = { 'content-type': 'application/fhir+json' };

async function incrementWithIfMatch(base: string, id: string): Promise<number> {
  let conflicts = 0;
  for (;;) {
    const read = await fetch(`${base}/fhir/R4/Patient/${id}`);
    const patient = (await read.json()) as Patient;
    const etag = read.headers.get('etag')!;
    const count = Number(patient.multipleBirthInteger ?? 0);
    const put = await fetch(`${base}/fhir/R4/Patient/${id}`, {
      method: 'PUT',
      headers: { ...JSON_HEADERS, 'if-match': etag },
      body: JSON.stringify({ ...patient, multipleBirthInteger: count + 1 }),
    });
    if (put.status === 200) return conflicts;
    expect(put.status).toBe(412);
    conflicts++;
  }
}

describe('two server processes on one PostgreSQL database', () => {
  it('lose no update under If-Match and never duplicate a conditional create', async () => {
    await using db = await createTestDatabase();
    await using a = await startServerProcess(['--database-url', db.url, '--data', '/tmp/yiyun-replica-a']);
    await using b = await startServerProcess(['--database-url', db.url, '--data', '/tmp/yiyun-replica-b']);
    const created = await fetch(`${a.url}/fhir/R4/Patient/counter`, {
      method: 'PUT',
      headers: JSON_HEADERS,
      body: JSON.stringify({ resourceType: 'Patient', id: 'counter', multipleBirthInteger: 0 }),
    });
    expect(created.status).toBe(201);

    const workers = 8;
    const perWorker = 10;
    const results = await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        let conflicts = 0;
        for (let i = 0; i < perWorker; i++)
          conflicts += await incrementWithIfMatch(w % 2 ? a.url : b.url, 'counter');
        return conflicts;
      }),
    );
    const final = (await (await fetch(`${b.url}/fhir/R4/Patient/counter`)).json()) as Patient;
    expect(final.multipleBirthInteger).toBe(workers * perWorker);
    expect(final.meta?.versionId).toBe(String(workers * perWorker + 1));
    expect(results.reduce((x, y) => x + y, 0)).toBeGreaterThan(0); // the race really happened

    const identifier = `urn:yiyun:test|${Date.now()}`;
    const creates = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        fetch(`${i % 2 ? a.url : b.url}/fhir/R4/Patient`, {
          method: 'POST',
          headers: { ...JSON_HEADERS, 'if-none-exist': `identifier=${encodeURIComponent(identifier)}` },
          body: JSON.stringify({
            resourceType: 'Patient',
            identifier: [{ system: 'urn:yiyun:test', value: identifier.split('|')[1] }],
          }),
        }),
      ),
    );
    const statuses = creates.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(15);
    const found = (await (
      await fetch(`${a.url}/fhir/R4/Patient?identifier=${encodeURIComponent(identifier)}&_total=accurate`)
    ).json()) as Bundle;
    expect(found.total).toBe(1);
  });
});
