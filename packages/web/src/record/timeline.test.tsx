import { describe, expect, it } from 'vitest';
import {
  type AnyResource,
  type Bundle,
  buildRecord,
  filterEntries,
  institutionSummaries,
} from './timeline.tsx';
import { buildTrends } from './trends.tsx';

const loinc = (code: string, text: string) => ({ text, coding: [{ system: 'http://loinc.org', code }] });
const glucose = (id: string, subject: string, date: string, value: number): AnyResource => ({
  resourceType: 'Observation',
  id,
  subject: { reference: `Patient/${subject}` },
  effectiveDateTime: date,
  code: loinc('14771-0', '空腹血糖'),
  valueQuantity: { value, unit: 'mmol/L' },
});
const bp = (id: string, date: string, sys: number, dia: number): AnyResource => ({
  resourceType: 'Observation',
  id,
  subject: { reference: 'Patient/a' },
  effectiveDateTime: date,
  code: loinc('85354-9', '血压'),
  component: [
    { code: loinc('8480-6', '收缩压'), valueQuantity: { value: sys, unit: 'mmHg' } },
    { code: loinc('8462-4', '舒张压'), valueQuantity: { value: dia, unit: 'mmHg' } },
  ],
});

const bundle: Bundle = {
  resourceType: 'Bundle',
  entry: [
    {
      resource: { resourceType: 'Patient', id: 'a', managingOrganization: { reference: 'Organization/h1' } },
    },
    {
      resource: { resourceType: 'Patient', id: 'b', managingOrganization: { reference: 'Organization/h2' } },
    },
    { resource: { resourceType: 'Organization', id: 'h1', name: '厦门市第一医院' } },
    { resource: { resourceType: 'Organization', id: 'h2', name: '思明区社区卫生服务中心' } },
    { resource: glucose('g1', 'a', '2026-01-05', 6.1) },
    { resource: glucose('g2', 'b', '2026-03-05', 7.4) },
    { resource: glucose('g3', 'a', '2025-11-05', 5.9) },
    { resource: bp('p1', '2026-01-05', 150, 95) },
    { resource: bp('p2', '2026-02-05', 142, 90) },
    { resource: bp('p3', '2026-03-05', 135, 85) },
    {
      resource: {
        resourceType: 'ImagingStudy',
        id: 'i1',
        subject: { reference: 'Patient/b' },
        started: '2026-02-01T09:00:00+08:00',
        description: '胸部CT',
        modality: [{ code: 'CT' }],
        identifier: [{ system: 'urn:dicom:uid', value: 'urn:oid:1.2.3' }],
      },
    },
  ],
};

describe('regional record', () => {
  it('orders entries newest first and badges each with the institution holding its Patient record', () => {
    const record = buildRecord(bundle);
    expect(record.entries.map((e) => e.key).slice(0, 3)).toEqual([
      'Observation/g2',
      'Observation/p3',
      'Observation/p2',
    ]);
    expect(record.entries.find((e) => e.key === 'Observation/g2')).toMatchObject({
      institution: 'Organization/h2',
      title: '空腹血糖',
      detail: '7.4 mmol/L',
    });
    expect(record.entries.find((e) => e.kind === 'imaging')).toMatchObject({
      studyUid: '1.2.3',
      title: '胸部CT',
    });
    expect(record.institutions.get('h1')).toBe('厦门市第一医院');
    expect(record.records).toHaveLength(2);
  });

  it('filters by kind, institution and date', () => {
    const { entries } = buildRecord(bundle);
    expect(filterEntries(entries, { kinds: new Set(['imaging']) }).map((e) => e.key)).toEqual([
      'ImagingStudy/i1',
    ]);
    expect(
      filterEntries(entries, { kinds: new Set(), institution: 'h2' })
        .map((e) => e.key)
        .sort(),
    ).toEqual(['ImagingStudy/i1', 'Observation/g2']);
    expect(filterEntries(entries, { kinds: new Set(), since: '2026-03-01' })).toHaveLength(2);
  });

  it('summarises the institutions holding the record, most recently seen first, then in pinyin order', () => {
    const referenced = { resource: { resourceType: 'Organization', id: 'h9', name: '转诊目标医院' } };
    const withReferenced = { ...bundle, entry: [...(bundle.entry ?? []), referenced] };
    expect(institutionSummaries(buildRecord(withReferenced))).toEqual([
      // Both last seen on 2026-03-05: 厦 (ICU's zh collation reads it shà) before 思 (sī).
      { id: 'h1', name: '厦门市第一医院', entries: 5, latest: '2026-03-05' },
      { id: 'h2', name: '思明区社区卫生服务中心', entries: 2, latest: '2026-03-05' },
    ]);
  });

  it('makes trends of repeated results, blood pressure first with both lines, oldest to newest', () => {
    const trends = buildTrends(buildRecord(bundle).entries);
    expect(trends.map((t) => t.code)).toEqual(['85354-9', '14771-0']);
    expect(trends[0]!.lines.map((l) => l.label)).toEqual(['systolic', 'diastolic']);
    expect(trends[0]!.lines[0]!.points.map((p) => p.value)).toEqual([150, 142, 135]);
    expect(trends[1]!.lines[0]!.points.map((p) => p.date)).toEqual([
      '2025-11-05',
      '2026-01-05',
      '2026-03-05',
    ]);
  });
});
