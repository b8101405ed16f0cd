/**
 * The operator console's institutions page (issue #7 scope 5) writes Organizations through the FHIR
 * API: the platform operator creates and edits any institution, an institution admin edits their
 * own, nobody else writes the directory.
 */
import type { Organization } from '@medplum/fhirtypes';
import { withCustodian } from '@yiyun/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessFixture, createAccessFixture } from './access-fixture.ts';

let fx: AccessFixture;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  fx = await createAccessFixture();
  const repo = fx.store.repository();
  await repo.update(
    withCustodian<Organization>({ resourceType: 'Organization', id: 'h1', name: '厦门市第一医院' }, 'h1'),
  );
  await repo.update(
    withCustodian<Organization>(
      { resourceType: 'Organization', id: 'h2', name: '思明区社区卫生服务中心' },
      'h2',
    ),
  );
  tokens['operator'] = (await fx.userToken({ username: 'operator', roles: ['platform-admin'] })).token;
  tokens['h1Admin'] = (
    await fx.userToken({ username: 'h1-admin', roles: ['institution-admin'], organization: 'h1' })
  ).token;
  tokens['doctor'] = (
    await fx.userToken({ username: 'doc', roles: ['clinician'], organization: 'h1' })
  ).token;
});
afterAll(async () => {
  await fx?.[Symbol.asyncDispose]();
});

const write = (token: string, path: string, method: string, body: unknown) =>
  fx.fhir(path, token, { method, body: JSON.stringify(body) });

describe('institutions through the FHIR API', () => {
  it('the operator creates an institution and edits it', async () => {
    const village: Organization = {
      resourceType: 'Organization',
      name: '何厝村卫生室',
      active: true,
      partOf: { reference: 'Organization/h2' },
    };
    const created = await write(tokens['operator']!, 'Organization', 'POST', village);
    expect(created.status).toBe(201);
    const stored = (await created.json()) as Organization;
    const edited = await write(tokens['operator']!, `Organization/${stored.id}`, 'PUT', {
      ...stored,
      active: false,
    });
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as Organization).active).toBe(false);
  });

  it('an institution admin edits their own institution only', async () => {
    const own = (await (await fx.fhir('Organization/h1', tokens['h1Admin'])).json()) as Organization;
    const res = await write(tokens['h1Admin']!, 'Organization/h1', 'PUT', {
      ...own,
      telecom: [{ system: 'phone', value: '0592-2137000' }],
    });
    expect(res.status).toBe(200);
    const other = await write(tokens['h1Admin']!, 'Organization/h2', 'PUT', {
      resourceType: 'Organization',
      id: 'h2',
      name: '改名',
    });
    expect(other.status).toBeGreaterThanOrEqual(403);
    expect(other.status).toBeLessThan(500);
    const after = (await (await fx.fhir('Organization/h2', tokens['operator'])).json()) as Organization;
    expect(after.name).toBe('思明区社区卫生服务中心');
  });

  it('a clinician does not write the directory; a malformed institution is a 400 with an OperationOutcome', async () => {
    expect(
      (
        await write(tokens['doctor']!, 'Organization/h1', 'PUT', {
          resourceType: 'Organization',
          id: 'h1',
          name: 'x',
        })
      ).status,
    ).toBe(403);
    const bad = await write(tokens['operator']!, 'Organization', 'POST', {
      resourceType: 'Organization',
      name: 42,
      type: [],
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });
});
