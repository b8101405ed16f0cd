import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';

/**
 * Chinese-name normalisation: traditional → simplified characters (OpenCC's Hong Kong/Taiwan →
 * mainland tables, so 張偉 and 张伟 are one name), the separators of minority names (阿依古丽·买买提
 * is written with ·, •, ・, ‧ or a full stop), compound surnames, and Hanyu pinyin with the surname
 * readings of polyphonic characters (曾 Zēng, 单 Shàn, 解 Xiè, 仇 Qiú, 区 Ōu …) from pinyin-pro's
 * surname dictionary.
 */
const HAN = /\p{Script=Han}/u;

export interface HanConverter {
  toSimplified(text: string): string;
}

/** Texts remembered per converter: names and addresses repeat across a city's records. */
const MEMO_SIZE = 50_000;

/**
 * Built once in the composition root (loading the tables takes ~15 ms) and passed down. OpenCC's
 * phrase segmentation was a tenth of the linker's CPU time, so results are remembered (bounded:
 * the memo starts afresh when full) and text without Han characters is returned as it is.
 */
export function createHanConverter(): HanConverter {
  const convert = OpenCC.Converter({ from: 'hk', to: 'cn' });
  const tw = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const memo = new Map<string, string>();
  return {
    toSimplified(text) {
      if (!HAN.test(text)) return text;
      const known = memo.get(text);
      if (known !== undefined) return known;
      const simplified = tw(convert(text));
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(text, simplified);
      return simplified;
    },
  };
}

export const isHan = (text: string): boolean => HAN.test(text);

/** Middle dots and look-alikes used between the parts of a transliterated name. */
const NAME_SEPARATORS = /[·•・‧･.．\u00B7\u2022\u2027\u30FB\uFF65]/g;

/** Characters only: separators, spaces and punctuation removed, traditional → simplified. */
export function hanKey(han: HanConverter, text: string): string {
  return han
    .toSimplified(text)
    .replace(NAME_SEPARATORS, '·')
    .replace(/[^\p{Script=Han}·]/gu, '')
    .replace(/^·+|·+$/g, '');
}

/** Parts of a minority name (阿依古丽·买买提 → [阿依古丽, 买买提]); one part for a Han name. */
export function hanParts(key: string): string[] {
  return key.split('·').filter((p) => p.length > 0);
}

/**
 * Two-character surnames (复姓) common enough to matter when a name arrives as one string.
 * Source: the compound surnames of the Hundred Family Surnames (百家姓) still in use.
 */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  ...'欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 司徒 夏侯 端木 长孙 宇文 轩辕 西门 南宫 独孤 百里 呼延 万俟 闻人 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 仲孙 钟离 赫连 东郭 拓跋 第五 左丘 梁丘 东门 段干 司空 司寇 亓官 乐正 巫马 鲜于 闾丘 谷梁 羊舌 微生 夹谷 宰父 漆雕 壤驷 公良 公西 公羊 颛孙 子车'.split(
    ' ',
  ),
]);

/** Splits a full Han name into surname and given name (复姓 first, else the first character). */
export function splitHanName(full: string): { family: string; given: string } {
  const chars = [...full];
  if (chars.length >= 3 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')))
    return { family: chars.slice(0, 2).join(''), given: chars.slice(2).join('') };
  return { family: chars[0] ?? '', given: chars.slice(1).join('') };
}

/** Toneless pinyin syllables with ü written v (as most registration systems type it). */
function syllables(text: string, surname: boolean): string[] {
  return pinyin(text, {
    toneType: 'none',
    type: 'array',
    v: true,
    ...(surname ? { mode: 'surname' as const } : {}),
  }).filter((s) => /^[a-z]+$/.test(s));
}

/**
 * The pinyin readings of a surname: the surname reading first (曾 → zeng), then any other reading
 * of a polyphonic single-character surname a clerk may have typed (曾 → ceng; 单 → dan).
 */
export function surnamePinyin(family: string): string[] {
  const primary = syllables(family, true).join('');
  const readings = [primary];
  if ([...family].length === 1) {
    const all = pinyin(family, { toneType: 'none', type: 'array', multiple: true, v: true });
    for (const r of all) if (/^[a-z]+$/.test(r) && !readings.includes(r)) readings.push(r);
  }
  return readings.filter((r) => r.length > 0);
}

export function givenPinyin(given: string): string {
  return syllables(given, false).join('');
}
