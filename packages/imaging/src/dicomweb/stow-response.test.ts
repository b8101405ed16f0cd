import { describe, expect, it } from 'vitest';
import type { DicomJson, StoreResult } from '../service/port.ts';
import { type StowOutcome, stowAnswer } from './stow-response.ts';

const urls = {
  study: (s: string) => `B/studies/${s}`,
  instance: (r: StoreResult) => `B/i/${r.sopInstanceUid}`,
};
const stored = (
  sop: string,
  warnings: string[] = [],
  study = '1.2',
  warningReason?: number,
): StowOutcome => ({
  kind: 'stored',
  result: {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    sopInstanceUid: sop,
    studyUid: study,
    seriesUid: `${study}.1`,
    outcome: 'stored',
    warnings,
    ...(warningReason === undefined ? {} : { warningReason }),
  },
});
const failed = (sop?: string): StowOutcome => ({
  kind: 'failed',
  ...(sop ? { sopInstanceUid: sop, sopClassUid: '1.2.3' } : {}),
  status: 0xc000,
  reason: 'bad',
});

const seq = (ds: DicomJson, tag: string) => (ds[tag]?.Value ?? []) as DicomJson[];

describe('stowAnswer (PS3.18 §10.5.3)', () => {
  it('200 when all are stored, with the study and each instance URL', () => {
    const a = stowAnswer([stored('1.2.1.1'), stored('1.2.1.2')], urls);
    expect(a.status).toBe(200);
    expect(a.body['00081190']?.Value).toEqual(['B/studies/1.2']);
    expect(seq(a.body, '00081199').map((i) => i['00081190']?.Value?.[0])).toEqual([
      'B/i/1.2.1.1',
      'B/i/1.2.1.2',
    ]);
    expect(a.body['00081198']).toBeUndefined();
    expect(a.warnings).toEqual([]);
  });

  it('202 when some fail or carry warnings; 409 when none is stored', () => {
    expect(stowAnswer([stored('1'), failed('2')], urls).status).toBe(202);
    const warned = stowAnswer([stored('1', ['under-replicated'])], urls);
    expect(warned.status).toBe(202);
    // Under-replication has no DICOM Warning Reason: the text only.
    expect(seq(warned.body, '00081199')[0]!['00081196']).toBeUndefined();
    expect(warned.warnings).toEqual(['1: under-replicated']);
    const deviating = stowAnswer([stored('1', ['no File Meta'], '1.2', 0xb007)], urls);
    expect(deviating.status).toBe(202);
    expect(seq(deviating.body, '00081199')[0]!['00081196']?.Value).toEqual([0xb007]);
    const none = stowAnswer([failed('2'), failed()], urls);
    expect(none.status).toBe(409);
    expect(none.body['00081190']).toBeUndefined();
    const items = seq(none.body, '00081198');
    expect(items.map((i) => i['00081197']?.Value?.[0])).toEqual([0xc000, 0xc000]);
    expect(items[1]!['00081155']).toEqual({ vr: 'UI' });
  });

  it('gives no study Retrieve URL when instances of several studies were stored', () => {
    expect(
      stowAnswer([stored('1', [], '1.2'), stored('2', [], '1.3')], urls).body['00081190'],
    ).toBeUndefined();
  });
});
