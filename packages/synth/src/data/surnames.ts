/**
 * Surname frequencies (% of the population). Ranks 1–3 (王 7.25, 李 7.19, 张 6.83) and the statement
 * that the 100 commonest surnames cover 84.77 % of people are from the Ministry of Public Security's
 * 2007 release on household-registration data (公安部治安管理局, 2007-04-24). Ranks 4–100 follow the
 * MPS 2020 ranking (《2020年全国姓名报告》) with frequencies from the same 2007 release where
 * published and smoothed interpolation below rank 20 (approximate; documented in the README).
 * Whatever the table leaves of 100 % is spread evenly over the TAIL list so that 王/李/张 keep their national shares.
 * (Fujian, and so Xiamen, has far more 陈 and 林 than the national table; we keep the national shape.)
 */
export const TOP_SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 7.25],
  ['李', 7.19],
  ['张', 6.83],
  ['刘', 5.38],
  ['陈', 4.53],
  ['杨', 3.08],
  ['黄', 2.23],
  ['赵', 2.19],
  ['吴', 2.05],
  ['周', 2.04],
  ['徐', 1.34],
  ['孙', 1.3],
  ['马', 1.22],
  ['朱', 1.18],
  ['胡', 1.16],
  ['郭', 1.15],
  ['何', 1.06],
  ['林', 1.03],
  ['高', 1.0],
  ['罗', 0.95],
  ['郑', 0.9],
  ['梁', 0.87],
  ['谢', 0.74],
  ['宋', 0.72],
  ['唐', 0.71],
  ['许', 0.64],
  ['韩', 0.63],
  ['冯', 0.62],
  ['邓', 0.62],
  ['曹', 0.6],
  ['彭', 0.58],
  ['曾', 0.58],
  ['肖', 0.57],
  ['田', 0.56],
  ['董', 0.53],
  ['袁', 0.52],
  ['潘', 0.51],
  ['于', 0.51],
  ['蒋', 0.5],
  ['蔡', 0.49],
  ['余', 0.48],
  ['杜', 0.47],
  ['叶', 0.46],
  ['程', 0.45],
  ['苏', 0.44],
  ['魏', 0.43],
  ['吕', 0.42],
  ['丁', 0.41],
  ['任', 0.41],
  ['沈', 0.4],
  ['姚', 0.39],
  ['卢', 0.39],
  ['姜', 0.38],
  ['崔', 0.37],
  ['钟', 0.36],
  ['谭', 0.36],
  ['陆', 0.35],
  ['汪', 0.34],
  ['范', 0.34],
  ['金', 0.33],
  ['石', 0.33],
  ['廖', 0.32],
  ['贾', 0.32],
  ['夏', 0.31],
  ['韦', 0.3],
  ['付', 0.3],
  ['方', 0.29],
  ['白', 0.29],
  ['邹', 0.28],
  ['孟', 0.28],
  ['熊', 0.27],
  ['秦', 0.27],
  ['邱', 0.26],
  ['江', 0.26],
  ['尹', 0.25],
  ['薛', 0.25],
  ['闫', 0.24],
  ['段', 0.24],
  ['雷', 0.23],
  ['侯', 0.23],
  ['龙', 0.22],
  ['史', 0.22],
  ['陶', 0.21],
  ['黎', 0.21],
  ['贺', 0.2],
  ['顾', 0.2],
  ['毛', 0.19],
  ['郝', 0.19],
  ['龚', 0.18],
  ['邵', 0.18],
  ['万', 0.17],
  ['钱', 0.17],
  ['严', 0.16],
  ['覃', 0.16],
  ['武', 0.16],
  ['戴', 0.15],
  ['莫', 0.15],
  ['孔', 0.15],
  ['向', 0.14],
  ['汤', 0.14],
];

export const TOP100_SHARE = 84.77;

const TAIL =
  '常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝';

/** Top 100 plus an even tail, as weights in percent summing to 100. */
export function surnameWeights(): (readonly [string, number])[] {
  const top = TOP_SURNAMES.reduce((s, [, w]) => s + w, 0);
  const tailChars = [...TAIL];
  // Published shares are kept as they are; whatever the table leaves of 100 % goes to the tail.
  const each = (100 - top) / tailChars.length;
  return [...TOP_SURNAMES, ...tailChars.map((s) => [s, each] as const)];
}
