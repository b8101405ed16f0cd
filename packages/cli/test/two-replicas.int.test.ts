/**
 * Two `yiyun serve` processes on one PostgreSQL database (how a city runs Yiyun behind a load
 * balancer). This suite always uses the PostgreSQL server, whichever store the pass is for:
 * two processes cannot share one embedded database.
 */

import { randomBytes } from 'node:crypto';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { createTestDatabase } from '@yiyun/store/testing';
import { describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from './server-process.ts';

const JSON_HEADERS = { 'content-type': 'application/fhir+json' };

async function incrementWithIfMatch(base: ServerProcess, id: string): Promise<number> {
  let conflicts = 0;
  for (;;) {
    const read = await base.fetch(`/fhir/R4/Patient/${id}`);
    const patient = (await read.json()) as Patient;
    const etag = read.headers.get('etag')!;
    const count = Number(patient.multipleBirthInteger ?? 0);
    const put = await base.fetch(`/fhir/R4/Patient/${id}`, {
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
    // Replicas behind one load balancer: one public URL (the token issuer) and one master key.
    const shared = {
      YIYUN_BASE_URL: 'http://yiyun.lb.test',
      YIYUN_MASTER_KEY: randomBytes(32).toString('base64'),
    };
    await using a = await startServerProcess(
      ['--database-url', db.url, '--data', '/tmp/yiyun-replica-a'],
      shared,
    );
    await using b = await startServerProcess(
      ['--database-url', db.url, '--data', '/tmp/yiyun-replica-b'],
      shared,
    );
    const created = await a.fetch('/fhir/R4/Patient/counter', {
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
        for (let i = 0; i < perWorker; i++) conflicts += await incrementWithIfMatch(w % 2 ? a : b, 'counter');
        return conflicts;
      }),
    );
    const final = (await (await b.fetch('/fhir/R4/Patient/counter')).json()) as Patient;
    expect(final.multipleBirthInteger).toBe(workers * perWorker);
    expect(final.meta?.versionId).toBe(String(workers * perWorker + 1));
    expect(results.reduce((x, y) => x + y, 0)).toBeGreaterThan(0); // the race really happened

    const identifier = `urn:yiyun:test|${Date.now()}`;
    const creates = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        (i % 2 ? a : b).fetch('/fhir/R4/Patient', {
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
      await a.fetch(`/fhir/R4/Patient?identifier=${encodeURIComponent(identifier)}&_total=accurate`)
    ).json()) as Bundle;
    expect(found.total).toBe(1);
  });
});
