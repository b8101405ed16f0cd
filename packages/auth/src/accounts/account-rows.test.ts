import type { AppError } from '@yiyun/fhir';
import { describe, expect, it } from 'vitest';
import { assertNewAccount, toAccount } from './account-rows.ts';
import type { NewAccount } from './port.ts';

const doctor: NewAccount = {
  username: 'doctor',
  password: 'irrelevant here',
  kind: 'staff',
  displayName: '王伟',
  roles: ['clinician'],
  organization: 'org-h1',
  practitioner: 'pr-1',
  practitionerRole: 'prr-1',
};

const resident: NewAccount = {
  username: 'resident',
  password: 'irrelevant here',
  kind: 'resident',
  displayName: '李娜',
  roles: ['resident'],
  patient: 'pat-1',
};

function refusal(account: NewAccount): string | undefined {
  try {
    assertNewAccount(account);
    return undefined;
  } catch (err) {
    expect((err as AppError).code).toBe('invalid');
    return (err as AppError).message;
  }
}

describe('assertNewAccount', () => {
  it('accepts staff at an institution, a platform administrator, and a resident with their Patient', () => {
    expect(refusal(doctor)).toBeUndefined();
    expect(refusal(resident)).toBeUndefined();
    const admin: NewAccount = { ...doctor, roles: ['platform-admin'], organization: undefined };
    expect(refusal(admin)).toBeUndefined();
  });

  it('refuses roles and links that do not fit the kind of account', () => {
    expect(refusal({ ...doctor, roles: [] })).toMatch(/at least one role/);
    expect(refusal({ ...doctor, roles: ['surgeon' as 'clinician'] })).toMatch(/Unknown role: surgeon/);
    expect(refusal({ ...doctor, roles: ['integration-system'] })).toMatch(/OAuth clients/);
    expect(refusal({ ...doctor, organization: undefined })).toMatch(/belongs to an institution/);
    expect(refusal({ ...doctor, patient: 'pat-1' })).toMatch(/no Patient/);
    expect(refusal({ ...doctor, roles: ['clinician', 'resident'] })).toMatch(/belongs to resident/);
    expect(refusal({ ...resident, patient: undefined })).toMatch(/links to their Patient/);
    expect(refusal({ ...resident, roles: ['resident', 'nurse'] })).toMatch(/'resident' only/);
    expect(refusal({ ...resident, practitioner: 'pr-1' })).toMatch(/no Practitioner/);
    expect(refusal({ ...doctor, displayName: '  ' })).toMatch(/display name/);
    expect(refusal({ ...doctor, organization: 'Organization/org-h1' })).toMatch(/FHIR resource id/);
  });
});

describe('toAccount', () => {
  it('maps a row, leaving absent links out', () => {
    const account = toAccount({
      id: '0b7f1c6e-3a51-4c1b-9a3e-1d2c3b4a5f60',
      username: 'resident',
      kind: 'resident',
      display_name: '李娜',
      roles: ['resident'],
      organization: null,
      practitioner: null,
      practitioner_role: null,
      patient: 'pat-1',
      locale: 'zh-CN',
      disabled: false,
      totp_enabled: true,
    });
    expect(account).toEqual({
      id: '0b7f1c6e-3a51-4c1b-9a3e-1d2c3b4a5f60',
      username: 'resident',
      kind: 'resident',
      displayName: '李娜',
      roles: ['resident'],
      patient: 'pat-1',
      disabled: false,
      totpEnabled: true,
      locale: 'zh-CN',
    });
  });
});
