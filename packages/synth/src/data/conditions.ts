/**
 * Chronic conditions with age-specific prevalence (probability of having the condition by the given
 * age, linear between the points). Calibrated so that crude adult rates on the 7th-census pyramid land
 * on the published national figures:
 * - Hypertension I10: 27.5 % of adults ≥ 18 — 《中国居民营养与慢性病状况报告（2020年）》 (NHC, 2020-12);
 *   age gradient from the China Hypertension Survey (Wang Z et al., Circulation 2018;137:2344).
 * - Type 2 diabetes E11: 11.9 % of adults — same NHC 2020 report (Li Y et al., BMJ 2020;369:m997: 12.8 %).
 * - COPD J44: 8.6 % of adults ≥ 20, 13.7 % of adults ≥ 40 — China Pulmonary Health study
 *   (Wang C et al., Lancet 2018;391:1706).
 * - Coronary heart disease I25: ~1.2 % of adults, rising steeply after 60 — 《中国心血管健康与疾病报告2022》
 *   (11.39 M prevalent cases).
 * - Ischaemic stroke I63: 2.6 % of adults ≥ 40 — China Stroke Statistics 2019 / NESS-China (Wang W, Circulation 2017).
 * - Hyperlipidaemia E78.5: ~ 35 % dyslipidaemia is common, but only diagnosed cases are coded: 8 % of adults.
 */
export interface ChronicCondition {
  readonly key: 'htn' | 'dm' | 'copd' | 'chd' | 'stroke' | 'lipid';
  readonly icd10: string;
  readonly display: string;
  readonly zh: string;
  /** [age, prevalence] knots, ascending by age. */
  readonly prevalence: readonly (readonly [number, number])[];
}

export const CHRONIC_CONDITIONS: readonly ChronicCondition[] = [
  {
    key: 'htn',
    icd10: 'I10',
    display: 'Essential (primary) hypertension',
    zh: '原发性高血压',
    prevalence: [
      [18, 0.037],
      [30, 0.083],
      [40, 0.176],
      [50, 0.315],
      [60, 0.463],
      [70, 0.555],
      [80, 0.611],
      [100, 0.629],
    ],
  },
  {
    key: 'dm',
    icd10: 'E11.9',
    display: 'Type 2 diabetes mellitus without complications',
    zh: '2型糖尿病',
    prevalence: [
      [18, 0.02],
      [30, 0.04],
      [40, 0.08],
      [50, 0.14],
      [60, 0.2],
      [70, 0.24],
      [80, 0.24],
      [100, 0.22],
    ],
  },
  {
    key: 'copd',
    icd10: 'J44.9',
    display: 'Chronic obstructive pulmonary disease, unspecified',
    zh: '慢性阻塞性肺疾病',
    prevalence: [
      [20, 0.01],
      [30, 0.014],
      [40, 0.035],
      [50, 0.07],
      [60, 0.14],
      [70, 0.21],
      [80, 0.252],
      [100, 0.266],
    ],
  },
  {
    key: 'chd',
    icd10: 'I25.1',
    display: 'Atherosclerotic heart disease',
    zh: '冠状动脉粥样硬化性心脏病',
    prevalence: [
      [35, 0],
      [45, 0.004],
      [55, 0.012],
      [65, 0.03],
      [75, 0.05],
      [100, 0.07],
    ],
  },
  {
    key: 'stroke',
    icd10: 'I63.9',
    display: 'Cerebral infarction, unspecified',
    zh: '脑梗死',
    prevalence: [
      [40, 0.004],
      [50, 0.012],
      [60, 0.03],
      [70, 0.05],
      [80, 0.07],
      [100, 0.08],
    ],
  },
  {
    key: 'lipid',
    icd10: 'E78.5',
    display: 'Hyperlipidaemia, unspecified',
    zh: '高脂血症',
    prevalence: [
      [18, 0.01],
      [30, 0.03],
      [40, 0.07],
      [50, 0.11],
      [60, 0.14],
      [80, 0.14],
      [100, 0.12],
    ],
  },
];

export function prevalenceAt(knots: readonly (readonly [number, number])[], age: number): number {
  const first = knots[0];
  if (!first || age < first[0]) return 0;
  for (let i = 1; i < knots.length; i++) {
    const a = knots[i - 1];
    const b = knots[i];
    if (a && b && age <= b[0]) return a[1] + ((b[1] - a[1]) * (age - a[0])) / (b[0] - a[0]);
  }
  return knots[knots.length - 1]?.[1] ?? 0;
}

/** Acute outpatient diagnoses, weighted by how often they bring people to a clinic. */
export const ACUTE_CONDITIONS: readonly (readonly [
  { icd10: string; display: string; zh: string },
  number,
])[] = [
  [{ icd10: 'J06.9', display: 'Acute upper respiratory infection, unspecified', zh: '急性上呼吸道感染' }, 30],
  [{ icd10: 'J20.9', display: 'Acute bronchitis, unspecified', zh: '急性支气管炎' }, 10],
  [{ icd10: 'K29.7', display: 'Gastritis, unspecified', zh: '胃炎' }, 10],
  [
    { icd10: 'A09', display: 'Other gastroenteritis and colitis of infectious origin', zh: '感染性胃肠炎' },
    8,
  ],
  [{ icd10: 'M54.5', display: 'Low back pain', zh: '腰痛' }, 8],
  [{ icd10: 'L30.9', display: 'Dermatitis, unspecified', zh: '皮炎' }, 6],
  [{ icd10: 'N39.0', display: 'Urinary tract infection, site not specified', zh: '泌尿道感染' }, 5],
  [{ icd10: 'H10.9', display: 'Conjunctivitis, unspecified', zh: '结膜炎' }, 4],
  [{ icd10: 'K02.9', display: 'Dental caries, unspecified', zh: '龋病' }, 4],
];

/** Reasons for admission other than stroke/CHD events. */
export const ADMISSION_CONDITIONS: readonly (readonly [
  { icd10: string; display: string; zh: string },
  number,
])[] = [
  [{ icd10: 'J18.9', display: 'Pneumonia, unspecified', zh: '肺炎' }, 30],
  [{ icd10: 'K80.2', display: 'Calculus of gallbladder without cholecystitis', zh: '胆囊结石' }, 12],
  [{ icd10: 'K35.8', display: 'Acute appendicitis, other and unspecified', zh: '急性阑尾炎' }, 10],
  [{ icd10: 'S72.0', display: 'Fracture of neck of femur', zh: '股骨颈骨折' }, 8],
  [{ icd10: 'I50.9', display: 'Heart failure, unspecified', zh: '心力衰竭' }, 8],
];

export const ILI = {
  icd10: 'J11.1',
  display: 'Influenza with other respiratory manifestations, virus not identified',
  zh: '流行性感冒（流感样病例）',
} as const;

/**
 * Relative ILI consultation rate by month for Xiamen (subtropical: winter peak plus a smaller
 * summer peak, the pattern China CDC's sentinel surveillance reports for southern provinces).
 */
export const ILI_MONTH_WEIGHTS = [2.4, 1.9, 1.2, 0.8, 0.7, 1.0, 1.2, 0.9, 0.6, 0.6, 0.8, 1.7] as const;
