import { type Interaction, type LaunchScope, parseScope, type ScopeContext } from './scopes.ts';

export type Locale = 'zh-CN' | 'en';

const LAUNCH: Readonly<Record<LaunchScope, Record<Locale, string>>> = {
  openid: { 'zh-CN': '确认您的身份', en: 'Confirm who you are' },
  profile: { 'zh-CN': '查看您的姓名', en: 'See your name' },
  fhirUser: { 'zh-CN': '查看您的用户档案（医务人员或居民）', en: 'See your user record (staff or resident)' },
  launch: {
    'zh-CN': '从医院系统获取当前患者和就诊',
    en: 'Receive the current patient and encounter from the EHR',
  },
  'launch/patient': {
    'zh-CN': '选择一名患者作为应用的上下文',
    en: 'Choose a patient for the app to work on',
  },
  'launch/encounter': {
    'zh-CN': '选择一次就诊作为应用的上下文',
    en: 'Choose an encounter for the app to work on',
  },
  offline_access: {
    'zh-CN': '在您退出登录后继续访问（长期授权）',
    en: 'Keep access after you sign out (long-lived)',
  },
  online_access: { 'zh-CN': '在您登录期间保持访问', en: 'Keep access while you are signed in' },
};

const CONTEXT: Readonly<Record<ScopeContext, Record<Locale, string>>> = {
  patient: { 'zh-CN': '所选患者的', en: 'of the selected patient' },
  user: { 'zh-CN': '您有权访问的', en: 'that you may access' },
  system: { 'zh-CN': '整个平台的', en: 'on the whole platform' },
};

const VERBS: Readonly<Record<Interaction, Record<Locale, string>>> = {
  c: { 'zh-CN': '新建', en: 'create' },
  r: { 'zh-CN': '读取', en: 'read' },
  u: { 'zh-CN': '修改', en: 'update' },
  d: { 'zh-CN': '删除', en: 'delete' },
  s: { 'zh-CN': '搜索', en: 'search' },
};

const TYPES: Readonly<Record<string, Record<Locale, string>>> = {
  '*': { 'zh-CN': '所有健康数据', en: 'all health data' },
  Patient: { 'zh-CN': '基本信息', en: 'demographics' },
  Observation: { 'zh-CN': '检查检验结果与体征', en: 'results and vital signs' },
  Condition: { 'zh-CN': '诊断', en: 'conditions' },
  MedicationRequest: { 'zh-CN': '处方', en: 'prescriptions' },
  AllergyIntolerance: { 'zh-CN': '过敏史', en: 'allergies' },
  Encounter: { 'zh-CN': '就诊记录', en: 'encounters' },
  Immunization: { 'zh-CN': '预防接种', en: 'immunizations' },
  DiagnosticReport: { 'zh-CN': '检查报告', en: 'reports' },
  DocumentReference: { 'zh-CN': '文档', en: 'documents' },
  ImagingStudy: { 'zh-CN': '影像检查', en: 'imaging studies' },
  Procedure: { 'zh-CN': '手术与操作', en: 'procedures' },
};

/** A requested scope in plain language for the consent page. */
export function describeScope(scope: string, locale: Locale): string {
  const parsed = parseScope(scope);
  if (parsed.kind === 'launch') return LAUNCH[parsed.name][locale];
  if (parsed.kind === 'unknown') return scope;
  const verbs = [...parsed.interactions].map((i) => VERBS[i][locale]);
  const type = TYPES[parsed.resourceType]?.[locale] ?? parsed.resourceType;
  const restricted = parsed.query ? ` (${parsed.query})` : '';
  if (locale === 'zh-CN') return `${verbs.join('、')}${CONTEXT[parsed.context][locale]}${type}${restricted}`;
  return `${capitalise(verbs.join(', '))} ${type} ${CONTEXT[parsed.context][locale]}${restricted}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
