import { assertPasswordPolicy, ROLES } from '@yiyun/auth';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_SPECS, randomDemoPassword } from './demo-accounts.ts';

describe('demo accounts', () => {
  it('cover every role a person signs in with, under distinct usernames', () => {
    const roles = DEMO_ACCOUNT_SPECS.map((s) => s.role);
    expect(new Set(roles)).toEqual(new Set(ROLES.filter((r) => r !== 'integration-system')));
    expect(new Set(DEMO_ACCOUNT_SPECS.map((s) => s.username)).size).toBe(DEMO_ACCOUNT_SPECS.length);
  });

  it('get random passwords that pass the password policy', () => {
    const passwords = Array.from({ length: 200 }, randomDemoPassword);
    expect(new Set(passwords).size).toBe(200);
    for (const p of passwords) {
      expect(p).toMatch(/^[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){3}$/);
      expect(() => assertPasswordPolicy(p)).not.toThrow();
    }
  });
});
