/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015: registration authority (1) +
 * organisation type (1) + registering authority's area code (6, GB/T 2260) + subject code (9, the
 * GB 11714 organisation code with its own check character) + check character.
 * Check: weights W_i = 3^(i-1) mod 31 over the 31-character set below (no I, O, S, V, Z);
 * C18 = 31 − (Σ C_i·W_i mod 31), where 31 maps to 0. Worked example in the standard:
 * 91350100M000100Y4 → check '3'.
 */

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(first17.charAt(i));
    if (v < 0 || first17.length !== 17) throw new RangeError('not a 17-character USCC prefix');
    sum += v * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_CHARS.charAt((31 - (sum % 31)) % 31);
}

/** GB 11714-1997 organisation code check: C9 = 11 − (Σ C_i·W_i mod 11); 10 → 'X', 11 → '0'. */
export function orgCodeCheckChar(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = first8.charAt(i);
    const v = c >= '0' && c <= '9' ? Number(c) : c.charCodeAt(0) - 55; // A=10 … Z=35
    sum += v * (ORG_WEIGHTS[i] ?? 0);
  }
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

export function isValidUscc(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  return usccCheckChar(code.slice(0, 17)) === code.charAt(17);
}

/** A USCC for a public institution (事业单位, registered by 机构编制: prefix "12"). */
export function buildUscc(areaCode: string, serial: number): string {
  const org8 = String(40000000 + (serial % 60000000)).padStart(8, '0');
  const first17 = `12${areaCode}${org8}${orgCodeCheckChar(org8)}`;
  return first17 + usccCheckChar(first17);
}
