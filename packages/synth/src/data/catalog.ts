/**
 * Orders the generator can place: lab tests (LOINC, UCUM in the units Chinese labs report — molar
 * units, so the LOINC codes are the [Moles/volume] ones: fasting glucose 14771-0 rather than the
 * mg/dL code 1558-6), medicines (WHO ATC codes), imaging (LOINC procedure codes, DICOM modality and
 * SOP classes) and the national immunisation schedule.
 */

export interface LabTest {
  readonly loinc: string;
  readonly display: string;
  readonly zh: string;
  readonly unit: string;
}

export const LABS = {
  glucose: {
    loinc: '14771-0',
    display: 'Fasting glucose [Moles/volume] in Serum or Plasma',
    zh: '空腹血糖',
    unit: 'mmol/L',
  },
  hba1c: {
    loinc: '4548-4',
    display: 'Hemoglobin A1c/Hemoglobin.total in Blood',
    zh: '糖化血红蛋白',
    unit: '%',
  },
  cholesterol: {
    loinc: '14647-2',
    display: 'Cholesterol [Moles/volume] in Serum or Plasma',
    zh: '总胆固醇',
    unit: 'mmol/L',
  },
  ldl: {
    loinc: '22748-8',
    display: 'Cholesterol in LDL [Moles/volume] in Serum or Plasma',
    zh: '低密度脂蛋白胆固醇',
    unit: 'mmol/L',
  },
  hdl: {
    loinc: '14646-4',
    display: 'Cholesterol in HDL [Moles/volume] in Serum or Plasma',
    zh: '高密度脂蛋白胆固醇',
    unit: 'mmol/L',
  },
  triglyceride: {
    loinc: '14927-8',
    display: 'Triglyceride [Moles/volume] in Serum or Plasma',
    zh: '甘油三酯',
    unit: 'mmol/L',
  },
  creatinine: {
    loinc: '14682-9',
    display: 'Creatinine [Moles/volume] in Serum or Plasma',
    zh: '肌酐',
    unit: 'umol/L',
  },
} as const satisfies Record<string, LabTest>;

/** Panels reported as one DiagnosticReport. */
export const LAB_PANELS = {
  glucose: {
    loinc: '14771-0',
    display: 'Fasting glucose [Moles/volume] in Serum or Plasma',
    zh: '空腹血糖',
    tests: ['glucose'],
  },
  hba1c: {
    loinc: '4548-4',
    display: 'Hemoglobin A1c/Hemoglobin.total in Blood',
    zh: '糖化血红蛋白',
    tests: ['hba1c'],
  },
  lipids: {
    loinc: '57698-3',
    display: 'Lipid panel with direct LDL - Serum or Plasma',
    zh: '血脂四项',
    tests: ['cholesterol', 'ldl', 'hdl', 'triglyceride'],
  },
  renal: {
    loinc: '14682-9',
    display: 'Creatinine [Moles/volume] in Serum or Plasma',
    zh: '肾功能（肌酐）',
    tests: ['creatinine'],
  },
} as const;
export type LabPanelKey = keyof typeof LAB_PANELS;
export type LabKey = keyof typeof LABS;

export const VITALS = {
  bpPanel: { loinc: '85354-9', display: 'Blood pressure panel with all children optional' },
  systolic: { loinc: '8480-6', display: 'Systolic blood pressure' },
  diastolic: { loinc: '8462-4', display: 'Diastolic blood pressure' },
  heartRate: { loinc: '8867-4', display: 'Heart rate' },
  weight: { loinc: '29463-7', display: 'Body weight' },
  height: { loinc: '8302-2', display: 'Body height' },
  bmi: { loinc: '39156-5', display: 'Body mass index (BMI) [Ratio]' },
} as const;

export interface Medicine {
  readonly atc: string;
  readonly display: string;
  readonly zh: string;
  readonly dosage: string;
}

/** First-line drugs per the Chinese hypertension and diabetes guidelines (2018/2020 editions). */
export const MEDICINES = {
  amlodipine: { atc: 'C08CA01', display: 'amlodipine', zh: '苯磺酸氨氯地平片', dosage: '5 mg 口服 每日一次' },
  nifedipine: { atc: 'C08CA05', display: 'nifedipine', zh: '硝苯地平控释片', dosage: '30 mg 口服 每日一次' },
  losartan: { atc: 'C09CA01', display: 'losartan', zh: '氯沙坦钾片', dosage: '50 mg 口服 每日一次' },
  metformin: { atc: 'A10BA02', display: 'metformin', zh: '盐酸二甲双胍片', dosage: '0.5 g 口服 每日三次' },
  glargine: {
    atc: 'A10AE04',
    display: 'insulin glargine',
    zh: '甘精胰岛素注射液',
    dosage: '10 单位 皮下注射 每晚一次',
  },
  atorvastatin: {
    atc: 'C10AA05',
    display: 'atorvastatin',
    zh: '阿托伐他汀钙片',
    dosage: '20 mg 口服 每晚一次',
  },
  aspirin: {
    atc: 'B01AC06',
    display: 'acetylsalicylic acid',
    zh: '阿司匹林肠溶片',
    dosage: '100 mg 口服 每日一次',
  },
  tiotropium: {
    atc: 'R03BB04',
    display: 'tiotropium bromide',
    zh: '噻托溴铵粉吸入剂',
    dosage: '18 μg 吸入 每日一次',
  },
  amoxicillin: { atc: 'J01CA04', display: 'amoxicillin', zh: '阿莫西林胶囊', dosage: '0.5 g 口服 每日三次' },
  oseltamivir: {
    atc: 'J05AH02',
    display: 'oseltamivir',
    zh: '磷酸奥司他韦胶囊',
    dosage: '75 mg 口服 每日两次 共5天',
  },
  omeprazole: {
    atc: 'A02BC01',
    display: 'omeprazole',
    zh: '奥美拉唑肠溶胶囊',
    dosage: '20 mg 口服 每日一次',
  },
} as const satisfies Record<string, Medicine>;
export type MedicineKey = keyof typeof MEDICINES;

export interface ImagingProcedure {
  readonly key: string;
  readonly loinc: string;
  readonly display: string;
  readonly zh: string;
  readonly modality: 'CT' | 'DX' | 'MR' | 'US';
  readonly bodyPart: string;
  /** SNOMED CT body structure. */
  readonly snomed: string;
}

export const IMAGING = {
  ctHead: {
    key: 'ctHead',
    loinc: '24725-4',
    display: 'CT Head',
    zh: '头颅CT平扫',
    modality: 'CT',
    bodyPart: 'HEAD',
    snomed: '69536005',
  },
  ctChest: {
    key: 'ctChest',
    loinc: '24627-2',
    display: 'CT Chest',
    zh: '胸部CT平扫',
    modality: 'CT',
    bodyPart: 'CHEST',
    snomed: '51185008',
  },
  xrChest: {
    key: 'xrChest',
    loinc: '36643-5',
    display: 'XR Chest 2 Views',
    zh: '胸部X线正侧位',
    modality: 'DX',
    bodyPart: 'CHEST',
    snomed: '51185008',
  },
  usAbdomen: {
    key: 'usAbdomen',
    loinc: '24558-9',
    display: 'US Abdomen',
    zh: '腹部彩超',
    modality: 'US',
    bodyPart: 'ABDOMEN',
    snomed: '818983003',
  },
  mrBrain: {
    key: 'mrBrain',
    loinc: '24590-2',
    display: 'MR Brain',
    zh: '头颅MRI平扫',
    modality: 'MR',
    bodyPart: 'BRAIN',
    snomed: '12738006',
  },
} as const satisfies Record<string, ImagingProcedure>;
export type ImagingKey = keyof typeof IMAGING;

/** DICOM storage SOP classes (PS3.4 Annex B.5). */
export const SOP_CLASS = {
  CT: '1.2.840.10008.5.1.4.1.1.2',
  DX: '1.2.840.10008.5.1.4.1.1.1.1',
  MR: '1.2.840.10008.5.1.4.1.1.4',
  US: '1.2.840.10008.5.1.4.1.1.6.1',
} as const;

export interface VaccineDose {
  readonly code: string;
  readonly zh: string;
  readonly cvx?: string;
  readonly cvxDisplay?: string;
  readonly dose: number;
  /** Age at the dose, in months. */
  readonly months: number;
}

function doses(code: string, zh: string, months: number[], cvx?: [string, string]): VaccineDose[] {
  return months.map((m, i) => ({
    code,
    zh,
    dose: i + 1,
    months: m,
    ...(cvx ? { cvx: cvx[0], cvxDisplay: cvx[1] } : {}),
  }));
}

/**
 * 国家免疫规划疫苗儿童免疫程序（2021年版）, National Health Commission. CVX codes only where the
 * product maps cleanly; the local code is always present.
 */
export const NIP_SCHEDULE: readonly VaccineDose[] = [
  ...doses('HepB', '乙肝疫苗', [0, 1, 6], ['08', 'Hep B, adolescent or pediatric']),
  ...doses('BCG', '卡介苗', [0], ['19', 'BCG']),
  ...doses('IPV', '脊灰灭活疫苗', [2, 3], ['10', 'IPV']),
  ...doses('bOPV', '二价脊灰减毒活疫苗', [4, 48]),
  ...doses('DTaP', '百白破疫苗', [3, 4, 5, 18], ['20', 'DTaP']),
  ...doses('DT', '白破疫苗', [72], ['28', 'DT (pediatric)']),
  ...doses('MMR', '麻腮风疫苗', [8, 18], ['03', 'MMR']),
  ...doses('JE-L', '乙脑减毒活疫苗', [8, 24]),
  ...doses('MPSV-A', 'A群流脑多糖疫苗', [6, 9]),
  ...doses('MPSV-AC', 'A群C群流脑多糖疫苗', [36, 72]),
  ...doses('HepA-L', '甲肝减毒活疫苗', [18]),
];
