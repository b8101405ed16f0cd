import { FOREIGN_PERMANENT_RESIDENCE_SYSTEM, PASSPORT_SYSTEM_PREFIX } from '@yiyun/fhir';

/** Code systems and identifier systems used in the generated data (one place, so consumers can match). */
export const SYSTEMS = {
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  atc: 'http://www.whocc.no/atc',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  dicomDcm: 'http://dicom.nema.org/resources/ontology/DCM',
  dicomUid: 'urn:dicom:uid',
  rfc3986: 'urn:ietf:rfc:3986',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  diagnosticServiceSection: 'http://terminology.hl7.org/CodeSystem/v2-0074',
  organizationType: 'http://terminology.hl7.org/CodeSystem/organization-type',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  v2Degree: 'http://terminology.hl7.org/CodeSystem/v2-0360',
  iso3166: 'urn:iso:std:iso:3166', // ISO 3166-1 alpha-2 and alpha-3 country codes
  // Passports: this prefix + ISO 3166-1 alpha-3 of the issuing country (`passportSystem` in @yiyun/fhir).
  passportPrefix: PASSPORT_SYSTEM_PREFIX,
  foreignPermanentResidence: FOREIGN_PERMANENT_RESIDENCE_SYSTEM, // 外国人永久居留身份证
  // Yiyun's own systems (no national FHIR namings exist for these yet).
  residentId: 'https://yiyun.dev/fhir/sid/cn-resident-id', // 公民身份号码, GB 11643
  healthCard: 'https://yiyun.dev/fhir/sid/cn-health-card', // 居民健康卡号
  uscc: 'https://yiyun.dev/fhir/sid/cn-uscc', // 统一社会信用代码, GB 32100
  practitionerLicence: 'https://yiyun.dev/fhir/sid/cn-practitioner-licence', // 医师执业证书编码
  mrn: 'https://yiyun.dev/fhir/sid/mrn', // per-institution medical record number; value prefixed by org id
  institutionType: 'https://yiyun.dev/fhir/CodeSystem/institution-type',
  hospitalGrade: 'https://yiyun.dev/fhir/CodeSystem/hospital-grade',
  practitionerRole: 'https://yiyun.dev/fhir/CodeSystem/practitioner-role',
  episodeType: 'https://yiyun.dev/fhir/CodeSystem/episode-type',
  encounterType: 'https://yiyun.dev/fhir/CodeSystem/encounter-type',
  nipVaccine: 'https://yiyun.dev/fhir/CodeSystem/cn-nip-vaccine', // 国家免疫规划疫苗
  careTeamRole: 'https://yiyun.dev/fhir/CodeSystem/care-team-role',
} as const;
