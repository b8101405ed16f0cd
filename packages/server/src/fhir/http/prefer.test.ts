import { describe, expect, it } from 'vitest';
import { parsePrefer } from './prefer.ts';

describe('parsePrefer', () => {
  it('returns nothing for an absent header', () => {
    expect(parsePrefer(undefined)).toEqual({});
  });

  it('reads return and handling from one header', () => {
    expect(parsePrefer('return=minimal, handling=strict')).toEqual({ return: 'minimal', handling: 'strict' });
  });

  it('keeps the case of OperationOutcome and accepts quotes', () => {
    expect(parsePrefer('return="OperationOutcome"')).toEqual({ return: 'OperationOutcome' });
  });

  it('ignores unknown preferences and values', () => {
    expect(parsePrefer('return=everything, wait=10, handling=maybe')).toEqual({});
  });

  it('reads respond-async', () => {
    expect(parsePrefer('respond-async')).toEqual({ respondAsync: true });
  });
});
