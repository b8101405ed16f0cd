/**
 * Xiamen's six districts with their GB/T 2260 codes and resident populations from the 7th census
 * (厦门市第七次全国人口普查公报 No. 2, 2021-05-27: 思明 1,073,315; 海沧 582,519; 湖里 1,036,974;
 * 集美 1,035,791; 同安 855,920; 翔安 579,451 — total 5,163,970). Subdistricts (街道) and towns (镇)
 * are real; communities (社区/村) are generated from plausible place-name syllables.
 */
export interface Subdistrict {
  readonly name: string;
  /** 镇 (town) subdistricts have villages and village clinics; 街道 have urban communities. */
  readonly rural: boolean;
}

export interface District {
  readonly code: string;
  readonly name: string;
  readonly population: number;
  readonly postalCode: string;
  readonly subdistricts: readonly Subdistrict[];
}

function subs(urban: string, rural = ''): Subdistrict[] {
  const u = urban
    .split(' ')
    .filter(Boolean)
    .map((name) => ({ name, rural: false }));
  const r = rural
    .split(' ')
    .filter(Boolean)
    .map((name) => ({ name, rural: true }));
  return [...u, ...r];
}

export const CITY = { name: '厦门市', province: '福建省', code: '350200' } as const;

export const XIAMEN_DISTRICTS: readonly District[] = [
  {
    code: '350203',
    name: '思明区',
    population: 1_073_315,
    postalCode: '361001',
    subdistricts: subs(
      '中华街道 厦港街道 鹭江街道 开元街道 梧村街道 筼筜街道 莲前街道 嘉莲街道 滨海街道 鼓浪屿街道',
    ),
  },
  {
    code: '350205',
    name: '海沧区',
    population: 582_519,
    postalCode: '361026',
    subdistricts: subs('海沧街道 新阳街道 嵩屿街道', '东孚镇'),
  },
  {
    code: '350206',
    name: '湖里区',
    population: 1_036_974,
    postalCode: '361006',
    subdistricts: subs('湖里街道 殿前街道 禾山街道 江头街道 金山街道'),
  },
  {
    code: '350211',
    name: '集美区',
    population: 1_035_791,
    postalCode: '361021',
    subdistricts: subs('集美街道 侨英街道 杏林街道 杏滨街道', '灌口镇 后溪镇'),
  },
  {
    code: '350212',
    name: '同安区',
    population: 855_920,
    postalCode: '361100',
    subdistricts: subs('大同街道 祥平街道', '西柯镇 新民镇 五显镇 洪塘镇 汀溪镇 莲花镇'),
  },
  {
    code: '350213',
    name: '翔安区',
    population: 579_451,
    postalCode: '361101',
    subdistricts: subs('新店街道 香山街道 金海街道 凤翔街道', '马巷镇 内厝镇 新圩镇'),
  },
];

/** Syllables for community and village names (our own list of common Minnan place-name parts). */
export const PLACE_SYLLABLES = [...'东西南北前后上下新旧金银石竹莲湖海山溪田塘洋埔厝坑林兴安和龙凤槐榕梧桐'];
export const PLACE_SUFFIX = [...'里园湾坂头尾亭塘埭'];
