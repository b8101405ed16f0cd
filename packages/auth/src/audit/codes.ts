import type { Coding } from '@medplum/fhirtypes';
import type { AuditKind, AuditOutcome } from './record.ts';

/**
 * Code systems and the per-kind event codes of the IHE Basic Audit Log Patterns
 * (https://profiles.ihe.net/ITI/BALP/) on FHIR R4 AuditEvent (http://hl7.org/fhir/R4/auditevent.html).
 */
export const SYSTEMS = {
  dicom: 'http://dicom.nema.org/resources/ontology/DCM',
  eventType: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  interaction: 'http://hl7.org/fhir/restful-interaction',
  participation: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  roleClass: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass',
  securityRole: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type',
  sourceType: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  entityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  objectRole: 'http://terminology.hl7.org/CodeSystem/object-role',
  resourceTypes: 'http://hl7.org/fhir/resource-types',
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  balpEntityType: 'https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType',
  balpAuthz: 'https://profiles.ihe.net/ITI/BALP/CodeSystem/AuthZsubType',
  /** Yiyun's own identifier systems: accounts, OAuth clients, server nodes, platform roles. */
  account: 'urn:yiyun:account',
  client: 'urn:yiyun:client',
  node: 'urn:yiyun:node',
  role: 'urn:yiyun:role',
  auditTag: 'urn:yiyun:audit',
} as const;

/** AuditEvent.outcome codes (http://hl7.org/fhir/R4/valueset-audit-event-outcome.html). */
export const OUTCOME_CODES: Readonly<Record<AuditOutcome, '0' | '4' | '8' | '12'>> = {
  success: '0',
  'minor-failure': '4',
  'serious-failure': '8',
  'major-failure': '12',
};

/**
 * `rest`: a FHIR RESTful interaction (BALP Read/Query/Create/Update/Delete). `security`: an
 * authentication or authorisation event. `transfer`: bulk export / import (DICOM Export/Import).
 */
export type EventFamily = 'rest' | 'security' | 'transfer';

export interface KindCodes {
  readonly family: EventFamily;
  readonly type: Coding;
  readonly subtype?: Coding;
  readonly action: 'C' | 'R' | 'U' | 'D' | 'E';
  /**
   * Whether data flows from the client to the server. DICOM/BALP name the sender "Source Role ID"
   * and the receiver "Destination Role ID": on a read the client is the destination; on a search
   * the query flows to the server, so the client is the source (BALP Query profile note).
   */
  readonly clientIsSource: boolean;
}

const dcm = (code: string, display: string): Coding => ({ system: SYSTEMS.dicom, code, display });
const rest: Coding = { system: SYSTEMS.eventType, code: 'rest', display: 'Restful Operation' };
const interaction = (code: string): Coding => ({ system: SYSTEMS.interaction, code, display: code });

const restKind = (code: string, action: KindCodes['action'], clientIsSource: boolean): KindCodes => ({
  family: 'rest',
  type: rest,
  subtype: interaction(code),
  action,
  clientIsSource,
});

const USER_AUTHENTICATION = dcm('110114', 'User Authentication');
const SECURITY_ALERT = dcm('110113', 'Security Alert');

export const KIND_CODES: Readonly<Record<AuditKind, KindCodes>> = {
  read: restKind('read', 'R', false),
  vread: restKind('vread', 'R', false),
  search: restKind('search', 'E', true),
  history: restKind('history', 'R', false),
  create: restKind('create', 'C', true),
  update: restKind('update', 'U', true),
  patch: restKind('patch', 'U', true),
  delete: restKind('delete', 'D', true),
  operation: restKind('operation', 'E', true),
  export: { family: 'transfer', type: dcm('110106', 'Export'), action: 'R', clientIsSource: false },
  import: { family: 'transfer', type: dcm('110107', 'Import'), action: 'C', clientIsSource: true },
  login: {
    family: 'security',
    type: USER_AUTHENTICATION,
    subtype: dcm('110122', 'Login'),
    action: 'E',
    clientIsSource: true,
  },
  'login-failed': {
    family: 'security',
    type: USER_AUTHENTICATION,
    subtype: dcm('110122', 'Login'),
    action: 'E',
    clientIsSource: true,
  },
  logout: {
    family: 'security',
    type: USER_AUTHENTICATION,
    subtype: dcm('110123', 'Logout'),
    action: 'E',
    clientIsSource: true,
  },
  // BALP AuthZconsent: an authorisation decision using roles and consent, here a deny.
  'access-denied': {
    family: 'security',
    type: SECURITY_ALERT,
    subtype: {
      system: SYSTEMS.balpAuthz,
      code: 'AuthZ-Consent',
      display: 'Authorization Decision using Roles and Consent',
    },
    action: 'E',
    clientIsSource: true,
  },
  'break-the-glass': {
    family: 'security',
    type: SECURITY_ALERT,
    subtype: dcm('110127', 'Emergency Override Started'),
    action: 'E',
    clientIsSource: true,
  },
  'token-revoked': {
    family: 'security',
    type: SECURITY_ALERT,
    subtype: dcm('110137', 'User Security Attributes Changed'),
    action: 'E',
    clientIsSource: true,
  },
};
