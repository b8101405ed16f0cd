/**
 * Latin-alphabet names (pinyin as typed by a clerk, passports, foreign residents): case and
 * diacritics folded (José → jose, Müller → muller), ü/yu spellings of pinyin folded to v
 * (Lyu, Lü, Lv → lv), apostrophes and hyphens dropped (Xi'an → xian, Jean-Luc → jeanluc), and the
 * name kept as tokens so that either order (ZHANG Wei / Wei Zhang) compares equal.
 */
export function latinTokens(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/ü|u\u0308/gi, 'v')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/['’‘`\-‐‑]/g, '')
    .split(/[^a-z]+/)
    .filter((t) => t.length > 0)
    .map(foldPinyinU);
}

/** Passport spelling of ü after l and n (lyu, nyu) as the keyboard spelling (lv, nv). */
function foldPinyinU(token: string): string {
  return token.replace(/^(l|n)yu(?=$|[aeno])/, '$1v');
}

export const hasLatin = (text: string): boolean => /[A-Za-zÀ-ɏ]/.test(text);

/**
 * Every order of a short name's tokens that a registration might use: each rotation of the token
 * list concatenated ("zhang wei" → zhangwei, weizhang; "li xiao long" → lixiaolong, xiaolongli,
 * longlixiao). Rotations, not all permutations: given names keep their internal order.
 */
export function nameForms(tokens: readonly string[]): string[] {
  const forms = new Set<string>();
  const n = Math.min(tokens.length, 4);
  const list = tokens.slice(0, 4);
  for (let r = 0; r < n; r++) forms.add([...list.slice(r), ...list.slice(0, r)].join(''));
  return [...forms].filter((f) => f.length > 0);
}
