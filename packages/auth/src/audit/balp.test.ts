import type { AuditEvent } from '@medplum/fhirtypes';
import { createValidator, type Validator } from '@yiyun/fhir';
import { beforeAll, describe, expect, it } from 'vitest';
import { toAuditEvent } from './balp.ts';
import { AUDIT_KINDS, type AuditRecord, assertValidRecord } from './record.ts';

const SOURCE = { node: 'yiyun-test', site: 'fhir.example.cn' };
const CLINICIAN = {
  account: 'acct-42',
  clientId: 'web-portal',
  who: 'Practitioner/pr-7',
  organization: 'org-3',
  roles: ['clinician'],
  address: '10.1.2.3',
  userAgent: 'Mozilla/5.0',
};

let validator: Validator;
beforeAll(() => {
  validator = createValidator();
});

function errorsOf(event: AuditEvent): string[] {
  return validator
    .validate(event)
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => `${i.expression?.[0] ?? ''}: ${i.details?.text ?? ''}`);
}

const agentType = (event: AuditEvent, code: string) =>
  event.agent.find((a) => a.type?.coding?.some((c) => c.code === code));

describe('toAuditEvent', () => {
  it('gives a valid R4 AuditEvent for every kind', () => {
    for (const kind of AUDIT_KINDS) {
      const record: AuditRecord = {
        kind,
        outcome: kind === 'login-failed' || kind === 'access-denied' ? 'minor-failure' : 'success',
        agent: CLINICIAN,
        patients: ['p-1'],
        entities: [{ reference: 'Observation/o-1' }, { reference: 'Observation', query: 'code=1234-5' }],
        requestId: 'req-1',
        ...(kind === 'break-the-glass' ? { purposeOfUse: 'ETREAT', reviewRequired: true } : {}),
      };
      const event = toAuditEvent(record, SOURCE);
      expect(errorsOf(event), kind).toEqual([]);
      expect(
        errorsOf({ ...event, id: 'a-1', meta: { ...event.meta, lastUpdated: event.recorded } }),
        kind,
      ).toEqual([]);
    }
  });

  it('maps a patient read to the BALP PatientRead shape', () => {
    const recorded = new Date('2024-05-01T08:00:00.000Z');
    const event = toAuditEvent(
      {
        kind: 'read',
        outcome: 'success',
        recorded,
        agent: CLINICIAN,
        patients: ['p-1'],
        entities: [{ reference: 'Condition/c-9' }],
      },
      SOURCE,
    );
    expect(event.type).toMatchObject({
      system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
      code: 'rest',
    });
    expect(event.subtype?.[0]).toMatchObject({
      system: 'http://hl7.org/fhir/restful-interaction',
      code: 'read',
    });
    expect(event.action).toBe('R');
    expect(event.outcome).toBe('0');
    expect(event.recorded).toBe('2024-05-01T08:00:00.000Z');
    // On a read the data flows to the client: it is the Destination Role ID, the server the Source.
    expect(agentType(event, '110152')?.who?.identifier?.value).toBe('web-portal');
    expect(agentType(event, '110152')?.network).toEqual({ address: '10.1.2.3', type: '2' });
    expect(agentType(event, '110153')?.who?.identifier?.value).toBe('yiyun-test');
    const user = agentType(event, 'IRCP');
    expect(user).toMatchObject({
      who: { reference: 'Practitioner/pr-7' },
      altId: 'acct-42',
      requestor: true,
    });
    expect(user?.role?.[0]?.coding?.[0]?.code).toBe('clinician');
    expect(agentType(event, 'PROV')?.who?.reference).toBe('Organization/org-3');
    expect(event.source.observer.identifier?.value).toBe('yiyun-test');
    const patient = event.entity?.find((e) => e.role?.code === '1');
    expect(patient).toMatchObject({ what: { reference: 'Patient/p-1' }, type: { code: '1' } });
    expect(event.entity?.find((e) => e.role?.code === '4')?.what?.reference).toBe('Condition/c-9');
  });

  it('records a search query base64-encoded with identifying values redacted', () => {
    const event = toAuditEvent(
      {
        kind: 'search',
        outcome: 'success',
        agent: CLINICIAN,
        entities: [{ reference: 'Patient', query: 'name=Zhang&identifier=110105194912310021&gender=male' }],
      },
      SOURCE,
    );
    expect(event.action).toBe('E');
    expect(agentType(event, '110153')?.who?.identifier?.value).toBe('web-portal'); // the query flows from the client
    const query = event.entity?.find((e) => e.role?.code === '24');
    expect(Buffer.from(query?.query ?? '', 'base64').toString('utf8')).toBe(
      'name=***&identifier=***&gender=male',
    );
    expect(event.entity?.find((e) => e.type?.code === 'Patient')?.type?.system).toBe(
      'http://hl7.org/fhir/resource-types',
    );
    expect(JSON.stringify(event)).not.toMatch(/Zhang|110105194912310021/);
  });

  it('maps break-the-glass to a Security Alert with emergency purpose, flagged for review', () => {
    const event = toAuditEvent(
      {
        kind: 'break-the-glass',
        outcome: 'success',
        agent: CLINICIAN,
        patients: ['p-2'],
        purposeOfUse: 'ETREAT',
        reviewRequired: true,
      },
      SOURCE,
    );
    expect(event.type).toMatchObject({
      system: 'http://dicom.nema.org/resources/ontology/DCM',
      code: '110113',
    });
    expect(event.subtype?.[0]?.code).toBe('110127');
    expect(event.purposeOfEvent?.[0]?.coding?.[0]).toEqual({
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
      code: 'ETREAT',
    });
    expect(agentType(event, 'IRCP')?.purposeOfUse?.[0]?.coding?.[0]?.code).toBe('ETREAT');
    expect(event.meta?.tag?.[0]?.code).toBe('review-required');
  });

  it('maps a failed login to User Authentication / Login with the failure outcome', () => {
    const event = toAuditEvent(
      {
        kind: 'login-failed',
        outcome: 'serious-failure',
        agent: { account: 'acct-9', address: '192.0.2.1' },
        description: 'bad password',
      },
      SOURCE,
    );
    expect(event.type.code).toBe('110114');
    expect(event.subtype?.[0]?.code).toBe('110122');
    expect(event.outcome).toBe('8');
    expect(event.outcomeDesc).toBe('bad password');
    expect(agentType(event, 'IRCP')?.who?.identifier).toEqual({
      system: 'urn:yiyun:account',
      value: 'acct-9',
    });
    expect(agentType(event, 'authserver')?.requestor).toBe(false);
  });

  it('makes a system client the requestor when no user acts', () => {
    const event = toAuditEvent(
      {
        kind: 'create',
        outcome: 'success',
        agent: { clientId: 'his-1', who: 'Device/his-1', address: '10.0.0.9' },
      },
      SOURCE,
    );
    expect(event.action).toBe('C');
    expect(agentType(event, 'IRCP')).toBeUndefined();
    expect(agentType(event, '110153')).toMatchObject({ who: { reference: 'Device/his-1' }, requestor: true });
  });

  it('never carries ID or phone numbers from free text', () => {
    const event = toAuditEvent(
      {
        kind: 'access-denied',
        outcome: 'minor-failure',
        agent: { ...CLINICIAN, userAgent: 'app 13812345678' },
        description: 'denied for 11010519491231002X',
        entities: [{ description: 'call 010-62345678' }],
      },
      SOURCE,
    );
    expect(JSON.stringify(event)).not.toMatch(/13812345678|11010519491231002X|62345678/);
  });
});

describe('assertValidRecord', () => {
  it('rejects unknown kinds, bad ids and references with AppError invalid', () => {
    const base: AuditRecord = { kind: 'read', outcome: 'success', agent: {} };
    expect(() => assertValidRecord({ ...base, kind: 'peek' as 'read' })).toThrow(/unknown kind/);
    expect(() => assertValidRecord({ ...base, patients: ['张三'] })).toThrow(/patient/);
    expect(() => assertValidRecord({ ...base, agent: { who: 'not a ref' } })).toThrow(/agent.who/);
    expect(() => assertValidRecord({ ...base, recorded: new Date('x') })).toThrow(/recorded/);
    expect(() =>
      assertValidRecord({ ...base, entities: [{ reference: 'Patient/1/_history/2' }] }),
    ).not.toThrow();
  });
});
