import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskPhone } from './mask.tsx';

describe('masking', () => {
  it('keeps 4 + 4 of an ID number and 3 + 4 of a mobile number', () => {
    expect(maskIdNumber('350203198003071234')).toBe('3502**********1234');
    expect(maskIdNumber('35020319800307123X')).toBe('3502**********123X');
    expect(maskPhone('13912341234')).toBe('139****1234');
    expect(maskPhone('+86 139-1234-1234')).toBe('139****1234');
  });

  it('never shows a short value in clear', () => {
    expect(maskIdNumber('1234')).toBe('****');
    expect(maskPhone('110')).toBe('***');
    expect(maskPhone('0592-1234567')).toBe('*******4567');
  });
});
