import { describe, expect, it } from 'vitest';
import type { AnyResource } from '../../record/timeline.tsx';
import {
  formOf,
  INSTITUTION_TYPE_SYSTEM,
  organizationOf,
  USCC_PATTERN,
  USCC_SYSTEM,
} from './institution-form.tsx';

const LABELS = {
  hospital: '医院',
  'community-health-centre': '社区卫生服务中心',
  'village-clinic': '村卫生室',
  'public-health-unit': '专业公共卫生机构',
};

// As the synthetic region writes its institutions (packages/synth/src/region/emit-region.ts).
const STORED: AnyResource = {
  resourceType: 'Organization',
  id: 'h1',
  meta: { lastUpdated: '2026-11-01T00:00:00Z' },
  identifier: [
    { use: 'official', system: USCC_SYSTEM, value: '12350200400000013A' },
    { system: 'urn:oid:2.16.156.10011.1.5', value: '450001' },
  ],
  active: true,
  type: [
    {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov' },
        { system: INSTITUTION_TYPE_SYSTEM, code: 'hospital', display: '医院' },
      ],
    },
    {
      coding: [{ system: 'https://yiyun.dev/fhir/CodeSystem/hospital-grade', code: '3A' }],
      text: '三级甲等',
    },
  ],
  name: '厦门市第一医院',
  address: [
    { text: '福建省厦门市思明区镇海路55号', line: ['镇海路55号'], district: '思明区', postalCode: '361003' },
  ],
};

describe('the institution form', () => {
  it('reads the fields it edits from a stored Organization', () => {
    expect(formOf(STORED)).toEqual({
      name: '厦门市第一医院',
      uscc: '12350200400000013A',
      kind: 'hospital',
      phone: '',
      address: '福建省厦门市思明区镇海路55号',
      partOf: '',
      active: true,
    });
    expect(formOf(undefined)).toMatchObject({ name: '', kind: '', active: true });
  });

  it('writes the edits back and keeps what it does not edit (grade, other identifiers, structured address)', () => {
    const edited = organizationOf(
      { ...formOf(STORED), name: '厦门大学附属第一医院', phone: '0592-2137000', active: false },
      LABELS,
      STORED,
    );
    expect(edited).toMatchObject({ id: 'h1', name: '厦门大学附属第一医院', active: false });
    expect(edited['identifier']).toEqual(STORED['identifier']);
    expect(edited['type']).toEqual([
      expect.objectContaining({ text: '医院' }),
      (STORED['type'] as unknown[])[1],
    ]);
    expect(edited['telecom']).toEqual([{ system: 'phone', value: '0592-2137000', use: 'work' }]);
    expect(edited['address']).toEqual(STORED['address']);
  });

  it('a changed address replaces the first one; a new institution has no empty arrays', () => {
    const moved = organizationOf({ ...formOf(STORED), address: '厦门市湖里区仙岳路1号' }, LABELS, STORED);
    expect(moved['address']).toEqual([
      { use: 'work', type: 'physical', text: '厦门市湖里区仙岳路1号', country: 'CN' },
    ]);
    const fresh = organizationOf(
      {
        name: ' 何厝村卫生室 ',
        uscc: '',
        kind: 'village-clinic',
        phone: '',
        address: '',
        partOf: 'c1',
        active: true,
      },
      LABELS,
    );
    expect(fresh).toEqual({
      resourceType: 'Organization',
      active: true,
      name: '何厝村卫生室',
      type: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov' },
            { system: INSTITUTION_TYPE_SYSTEM, code: 'village-clinic', display: '村卫生室' },
          ],
          text: '村卫生室',
        },
      ],
      partOf: { reference: 'Organization/c1' },
    });
  });

  it('accepts an 18-character unified social credit code of its character set only', () => {
    expect(USCC_PATTERN.test('12350200400000013A')).toBe(true);
    expect(USCC_PATTERN.test('12350200400000013')).toBe(false);
    expect(USCC_PATTERN.test('1235020040000001OA')).toBe(false);
  });
});
