import { describe, expect, it } from 'vitest';
import type { DemoAccountsOutcome } from './demo-accounts.ts';
import { formatBanner } from './demo-banner.ts';

const result = {
  residents: 2_000,
  patients: 2_329,
  resources: 84_190,
  created: 84_190,
  updated: 0,
  failed: 0,
  issues: [],
  seconds: 34.2,
};

const accounts: DemoAccountsOutcome = {
  created: 7,
  file: '/srv/yiyun/demo-credentials.json',
  missing: [],
  accounts: [
    {
      role: 'platform-admin',
      username: 'admin',
      password: 'k7dm-2x9q-vr4h-p8ne',
      displayName: '平台管理员',
      id: 'a',
    },
    {
      role: 'family-doctor',
      username: 'family-doctor',
      password: 'abcd-efgh-ijkm-npqr',
      displayName: '林秀英',
      organization: 'org-c1',
      organizationName: '厦门市思明区鹭江街道社区卫生服务中心',
      practitioner: 'pr-1',
      practitionerRole: 'prr-1',
      id: 'b',
    },
  ],
};

describe('formatBanner', () => {
  it('names the FHIR base, the metadata URL and what was loaded', () => {
    const text = formatBanner({
      baseUrl: 'http://127.0.0.1:8080',
      demo: { kind: 'loaded', result, resumed: false },
    });
    expect(text).toContain('http://127.0.0.1:8080/fhir/R4\n');
    expect(text).toContain('http://127.0.0.1:8080/fhir/R4/metadata');
    expect(text).toContain('2,000 residents (2,329 Patient records), 84,190 resources loaded');
    expect(text).toContain('demo accounts  none');
    expect(text).toContain('YIYUN_DEMO_RESIDENTS=0');
    expect(text).not.toContain('WARNING');
  });

  it('warns when generated resources were refused', () => {
    const demo = { kind: 'loaded' as const, result: { ...result, failed: 3 }, resumed: true };
    const text = formatBanner({ baseUrl: 'http://h', demo });
    expect(text).toContain('WARNING        3 generated resources failed validation');
    expect(text).toContain('interrupted load, finished');
  });

  it('says nothing was loaded on a later start, and nothing about the demo when it is off', () => {
    expect(formatBanner({ baseUrl: 'http://h', demo: { kind: 'present' } })).toContain('nothing loaded');
    const off = formatBanner({ baseUrl: 'http://h', demo: { kind: 'off' } });
    expect(off).toContain('http://h/fhir/R4/metadata');
    expect(off).not.toMatch(/demo/);
  });

  it('lists each demo account with its password, the role in English and Chinese, and where it is saved', () => {
    const text = formatBanner({
      baseUrl: 'http://h',
      demo: { kind: 'loaded', result, resumed: false, accounts },
    });
    expect(text).toContain(
      'demo accounts  created now; passwords saved in /srv/yiyun/demo-credentials.json (mode 600)',
    );
    expect(text).toMatch(/^ {4}admin +k7dm-2x9q-vr4h-p8ne +platform admin +平台管理员 平台管理员$/m);
    expect(text).toMatch(
      /^ {4}family-doctor +abcd-efgh-ijkm-npqr +family doctor +家庭医生 林秀英 · 厦门市思明区鹭江街道社区卫生服务中心$/m,
    );
    // Columns line up: the password starts at the same place on every line.
    const lines = text.split('\n').filter((l) => l.includes('-efgh-') || l.includes('k7dm-'));
    expect(new Set(lines.map((l) => l.search(/[a-z0-9]{4}-[a-z0-9]{4}-/)))).toHaveProperty('size', 1);
  });

  it('says where the passwords are when another start created the accounts, and names roles left out', () => {
    const elsewhere: DemoAccountsOutcome = {
      ...accounts,
      created: 0,
      missing: ['nurse'],
      accounts: accounts.accounts.map(({ password: _, ...a }) => a),
    };
    const text = formatBanner({ baseUrl: 'http://h', demo: { kind: 'present', accounts: elsewhere } });
    expect(text).toContain('created by another start: the passwords are in its demo-credentials.json');
    expect(text).toMatch(/^ {4}admin +\(not saved here\) +platform admin/m);
    expect(text).toContain('nurse: not created');
    expect(text).not.toContain('k7dm');
    const none = formatBanner({
      baseUrl: 'http://h',
      demo: { kind: 'present', accounts: { ...accounts, created: 0, accounts: [] } },
    });
    expect(none).toContain('the store held other data');
  });
});
