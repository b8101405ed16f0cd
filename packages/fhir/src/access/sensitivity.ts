import type { Coding, Resource } from '@medplum/fhirtypes';

/** HL7 v3 ActCode: the information-sensitivity codes used as `meta.security` labels. */
export const SENSITIVITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';

/**
 * The sensitive categories the platform withholds across institutions unless the resident consents
 * (v3 ActInformationSensitivityPolicy codes): mental health, HIV and other STIs, substance use,
 * violence, sexual and reproductive health, genetic information.
 */
export const SENSITIVE_LABELS = ['PSY', 'BH', 'HIV', 'STD', 'ETH', 'SDV', 'SEX', 'GDIS'] as const;
export type SensitiveLabel = (typeof SENSITIVE_LABELS)[number];

const LABEL_SET: ReadonlySet<string> = new Set(SENSITIVE_LABELS);

export function isSensitiveLabel(code: string): code is SensitiveLabel {
  return LABEL_SET.has(code);
}

/** Codes `from`…`to` (inclusive, compared on the code's first `from.length` characters) → label. */
export interface SensitivityRule {
  readonly system: string;
  readonly from: string;
  readonly to: string;
  readonly label: SensitiveLabel;
}

const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const icd = (from: string, to: string, label: SensitiveLabel): SensitivityRule => ({
  system: ICD10,
  from,
  to,
  label,
});

/**
 * Default rules over ICD-10 (WHO 2019 chapters and blocks): F00–F99 mental and behavioural
 * disorders; F10–F19 substance use; B20–B24 HIV disease and Z21 asymptomatic HIV; A50–A64
 * sexually transmitted infections; O00–O08 pregnancy with abortive outcome, Z30 contraception,
 * N96–N98 infertility; Q90–Q99 chromosomal abnormalities and Z15 genetic susceptibility;
 * T74 maltreatment and Y05 sexual assault. Deployments replace them by configuration.
 */
export const DEFAULT_SENSITIVITY_RULES: readonly SensitivityRule[] = [
  icd('F00', 'F99', 'PSY'),
  icd('F10', 'F19', 'ETH'),
  icd('B20', 'B24', 'HIV'),
  icd('Z21', 'Z21', 'HIV'),
  icd('A50', 'A64', 'STD'),
  icd('O00', 'O08', 'SEX'),
  icd('Z30', 'Z30', 'SEX'),
  icd('N97', 'N98', 'SEX'),
  icd('Q90', 'Q99', 'GDIS'),
  icd('Z15', 'Z15', 'GDIS'),
  icd('T74', 'T74', 'SDV'),
  icd('Y05', 'Y05', 'SDV'),
];

function matches(rule: SensitivityRule, coding: Coding): boolean {
  if (coding.system !== rule.system || typeof coding.code !== 'string') return false;
  const head = coding.code.trim().toUpperCase().slice(0, rule.from.length);
  return head.length === rule.from.length && head >= rule.from && head <= rule.to;
}

/** Every Coding anywhere in the resource (except `meta`, `text` and contained resources' meta). */
function* codings(value: unknown, depth = 0): Generator<Coding> {
  if (depth > 12 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) yield* codings(item, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  if (typeof record['code'] === 'string' && typeof record['system'] === 'string') yield record as Coding;
  for (const [key, child] of Object.entries(record)) {
    if (key === 'meta' || key === 'text') continue;
    if (child !== null && typeof child === 'object') yield* codings(child, depth + 1);
  }
}

/** The sensitivity labels the rules give this resource's codes. */
export function ruleLabels(resource: Resource, rules: readonly SensitivityRule[]): SensitiveLabel[] {
  if (rules.length === 0) return [];
  const found = new Set<SensitiveLabel>();
  for (const coding of codings(resource)) {
    for (const rule of rules) if (matches(rule, coding)) found.add(rule.label);
  }
  return [...found].sort();
}

/** The sensitivity labels in `meta.security`, whoever set them (the sender or the rules). */
export function sensitivityLabels(resource: Resource): SensitiveLabel[] {
  const labels = new Set<SensitiveLabel>();
  for (const s of resource.meta?.security ?? []) {
    if (s.system === SENSITIVITY_SYSTEM && s.code && isSensitiveLabel(s.code)) labels.add(s.code);
  }
  return [...labels].sort();
}

/**
 * Adds to `meta.security` the labels the rules find (keeping the sender's own labels): done on
 * every write, so that stored data carries its sensitivity and exports keep it. Returns the
 * resource itself when nothing is added.
 */
export function labelSensitivity<T extends Resource>(resource: T, rules: readonly SensitivityRule[]): T {
  const present = new Set(sensitivityLabels(resource));
  const added = ruleLabels(resource, rules).filter((l) => !present.has(l));
  if (added.length === 0) return resource;
  const security = [
    ...(resource.meta?.security ?? []),
    ...added.map((code) => ({ system: SENSITIVITY_SYSTEM, code })),
  ];
  return { ...resource, meta: { ...resource.meta, security } };
}
