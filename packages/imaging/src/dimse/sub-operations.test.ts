import { describe, expect, it } from 'vitest';
import type { InstanceLocation } from '../service/port.ts';
import { proposedContexts } from './sub-association.ts';
import { finalStatus } from './sub-operations.ts';

const location = (sopClassUid: string, transferSyntaxUid: string): InstanceLocation => ({
  studyUid: '1',
  seriesUid: '1.1',
  sopInstanceUid: `1.1.${Math.random()}`,
  sopClassUid,
  transferSyntaxUid,
  blobKey: 'k',
  size: 1,
  numberOfFrames: 1,
});

describe('C-MOVE / C-GET sub-operations (PS3.4 §C.4.2.3)', () => {
  it('proposes each stored syntax as is, plus a little endian fallback per SOP class', () => {
    const contexts = proposedContexts([
      location('CT', '1.2.840.10008.1.2.1'),
      location('CT', '1.2.840.10008.1.2.1'),
      location('CT', '1.2.840.10008.1.2.4.90'),
      location('MR', '1.2.840.10008.1.2'),
      location('XA', '1.2.840.10008.1.2.4.50'),
    ]);
    expect(contexts).toEqual([
      { sopClass: 'CT', syntaxes: ['1.2.840.10008.1.2.1'] },
      { sopClass: 'CT', syntaxes: ['1.2.840.10008.1.2.4.90'] },
      { sopClass: 'MR', syntaxes: ['1.2.840.10008.1.2'] },
      { sopClass: 'XA', syntaxes: ['1.2.840.10008.1.2.4.50'] },
      { sopClass: 'CT', syntaxes: ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'] },
      { sopClass: 'MR', syntaxes: ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'] },
      // Stored only encapsulated: decoded for a peer that accepts no compressed syntax.
      { sopClass: 'XA', syntaxes: ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'] },
    ]);
  });

  it('ends with success, warning (B000), all failed (A702) or cancel (FE00)', () => {
    const result = (completed: number, failed: number, warning: number, cancelled = false) => ({
      counts: { remaining: 0, completed, failed, warning },
      failedSopInstanceUids: [],
      cancelled,
    });
    expect(finalStatus(result(3, 0, 0))).toBe(0x0000);
    expect(finalStatus(result(0, 0, 0))).toBe(0x0000);
    expect(finalStatus(result(2, 1, 0))).toBe(0xb000);
    expect(finalStatus(result(0, 0, 1))).toBe(0xb000);
    expect(finalStatus(result(0, 2, 0))).toBe(0xa702);
    expect(finalStatus(result(1, 0, 0, true))).toBe(0xfe00);
  });
});
