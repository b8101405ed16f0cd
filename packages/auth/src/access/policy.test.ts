import { describe, expect, it } from 'vitest';
import type { Principal } from '../principal.ts';
import { authorize } from './policy.ts';

const now = () => new Date('2026-06-30T00:00:00Z');
const user = (roles: Principal['roles'], extra: Partial<Principal> = {}): Principal => ({
  kind: 'user',
  subject: 'acct-1',
  clientId: 'portal',
  roles,
  organization: 'h1',
  scopes: ['openid', 'fhirUser', 'user/*.cruds'],
  ...extra,
});
const policy = { careWindowDays: 90, defaultShare: true, breakGlassMinutes: 60, now };

describe('authorize', () => {
  it('gives a clinician their institution, care relationships within the window and break-the-glass', () => {
    const a = authorize(user(['clinician']), policy);
    expect(a.scope).toEqual({
      kind: 'restricted',
      nonPatientData: true,
      custodian: 'h1',
      writeCustodian: 'h1',
      careRelationship: { organization: 'h1', since: new Date('2026-04-01T00:00:00Z'), defaultShare: true },
      breakGlassAccount: 'acct-1',
    });
    expect(a.allows('c', 'Observation')).toBe(true);
    expect(a.allows('c', 'Organization')).toBe(false);
    expect(a.canBreakGlass).toBe(true);
    expect(a.custodian).toBe('h1');
  });

  it('limits a nurse’s writes to nursing records', () => {
    const a = authorize(user(['nurse']), policy);
    expect(a.allows('c', 'Observation')).toBe(true);
    expect(a.allows('c', 'MedicationRequest')).toBe(false);
    expect(a.allows('r', 'MedicationRequest')).toBe(true);
    expect(a.canBreakGlass).toBe(false);
  });

  it('keeps a resident to their own person and lets them write only Consent', () => {
    const a = authorize(
      user(['resident'], { organization: undefined, patient: 'p1', scopes: ['patient/*.cruds'] }),
      policy,
    );
    expect(a.scope).toMatchObject({ person: 'p1', personRecords: true });
    expect(a.allows('c', 'Consent')).toBe(true);
    expect(a.allows('u', 'Observation')).toBe(false);
    expect(a.custodian).toBeUndefined();
  });

  it('makes analysts aggregate-only and admins directory-only', () => {
    expect(authorize(user(['public-health-analyst']), policy).aggregateOnly).toBe(true);
    const admin = authorize(user(['institution-admin']), policy);
    expect(admin.scope).toEqual({ kind: 'restricted', nonPatientData: true, writeCustodian: 'h1' });
    expect(admin.allows('u', 'Practitioner')).toBe(true);
    expect(admin.allows('c', 'Observation')).toBe(false);
    expect(admin.reviewScope).toBe('organization');
  });

  it('narrows by SMART scopes: readable types and a patient launch context', () => {
    const a = authorize(user(['clinician'], { scopes: ['patient/Observation.rs'], patient: 'p9' }), policy);
    expect(a.scope).toMatchObject({ types: ['Observation'], person: 'p9', custodian: 'h1' });
    expect(a.allows('r', 'Observation')).toBe(true);
    expect(a.allows('r', 'Condition')).toBe(false);
    expect(a.allows('c', 'Observation')).toBe(false);
  });

  it('gives a wildcard platform system client everything and a hospital system its own records', () => {
    const system = (organization?: string): Principal => ({
      kind: 'system',
      subject: 'his',
      clientId: 'his',
      roles: ['integration-system'],
      scopes: ['system/*.cruds'],
      ...(organization ? { organization } : {}),
    });
    const platform = authorize(system(), policy);
    expect(platform.scope).toEqual({ kind: 'all' });
    expect(platform.isPlatformOperator).toBe(true);
    expect(authorize(system('h2'), policy).scope).toEqual({
      kind: 'restricted',
      nonPatientData: true,
      custodian: 'h2',
      writeCustodian: 'h2',
    });
    const readOnly = authorize({ ...system(), scopes: ['system/Patient.rs'] }, policy);
    expect(readOnly.scope).toEqual({
      kind: 'restricted',
      nonPatientData: true,
      everyRecord: true,
      types: ['Patient'],
    });
    expect(readOnly.isPlatformOperator).toBe(false);
  });
});
