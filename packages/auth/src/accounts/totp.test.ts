import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { matchTotp, newTotpSecret, TOTP_ISSUER, totpCode, totpStep, totpUri } from './totp.ts';

/** RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890". */
const RFC_SEED = Secret.fromLatin1('12345678901234567890');
const RFC_SHA1_VECTORS: readonly [seconds: number, step: string, totp: string][] = [
  [59, '0000000000000001', '94287082'],
  [1_111_111_109, '00000000023523EC', '07081804'],
  [1_111_111_111, '00000000023523ED', '14050471'],
  [1_234_567_890, '000000000273EF07', '89005924'],
  [2_000_000_000, '0000000003F940AA', '69279037'],
  [20_000_000_000, '0000000027BC86AA', '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it('computes the Appendix B SHA-1 test vectors, and six-digit codes are their last six digits', () => {
    for (const [seconds, step, expected] of RFC_SHA1_VECTORS) {
      expect(totpStep(seconds * 1000)).toBe(Number.parseInt(step, 16));
      expect(totpCode(RFC_SEED, seconds * 1000, 8)).toBe(expected);
      expect(totpCode(RFC_SEED, seconds * 1000)).toBe(expected.slice(2));
    }
  });

  it('accepts the code of the current step and one step either side, naming the step', () => {
    const secret = newTotpSecret();
    const now = 1_750_000_015_000;
    const step = totpStep(now);
    const codeAt = (s: number) => totpCode(Secret.fromBase32(secret), s * 30_000);
    expect(matchTotp(secret, codeAt(step), now)).toBe(step);
    expect(matchTotp(secret, codeAt(step - 1), now)).toBe(step - 1);
    expect(matchTotp(secret, codeAt(step + 1), now)).toBe(step + 1);
    const far = [codeAt(step - 2), codeAt(step + 2)].filter(
      (c) => ![step - 1, step, step + 1].map(codeAt).includes(c),
    );
    for (const code of far) expect(matchTotp(secret, code, now)).toBeUndefined();
  });

  it('refuses malformed codes and tolerates spaces', () => {
    const secret = newTotpSecret();
    const now = 1_750_000_000_000;
    const code = totpCode(Secret.fromBase32(secret), now);
    expect(matchTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toBe(totpStep(now));
    for (const bad of ['', '12345', '1234567', 'abcdef', `${code}0`])
      expect(matchTotp(secret, bad, now)).toBeUndefined();
  });

  it('makes 160-bit secrets and an otpauth URI with the issuer and account', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = new URL(totpUri(secret, 'family-doctor'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe(`/${TOTP_ISSUER}:family-doctor`);
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe(TOTP_ISSUER);
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
  });
});
