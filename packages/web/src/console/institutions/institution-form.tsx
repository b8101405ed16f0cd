import type { AnyResource, CodeableConcept as Concept } from '../../record/timeline.tsx';

// The systems the region's directory uses (as packages/synth/src/data/systems.ts writes them).
export const USCC_SYSTEM = 'https://yiyun.dev/fhir/sid/cn-uscc';
export const INSTITUTION_TYPE_SYSTEM = 'https://yiyun.dev/fhir/CodeSystem/institution-type';
const ORGANIZATION_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/organization-type';

/** Institution kinds of a Chinese health region, with the HL7 organization-type each maps to. */
export const INSTITUTION_KINDS = {
  hospital: 'prov',
  'community-health-centre': 'prov',
  'village-clinic': 'prov',
  'public-health-unit': 'govt',
} as const;
export type InstitutionKind = keyof typeof INSTITUTION_KINDS;

/** 统一社会信用代码 (GB 32100): 18 characters of its 31-character set (the server keeps what is sent). */
export const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** What the institution form edits; everything else of the Organization is kept as it was. */
export interface InstitutionForm {
  name: string;
  uscc: string;
  kind: InstitutionKind | '';
  phone: string;
  address: string;
  partOf: string;
  active: boolean;
}

const kindOf = (org: AnyResource): InstitutionKind | '' => {
  for (const t of (org['type'] as Concept[] | undefined) ?? [])
    for (const c of t.coding ?? [])
      if (c.system === INSTITUTION_TYPE_SYSTEM && c.code && c.code in INSTITUTION_KINDS)
        return c.code as InstitutionKind;
  return '';
};

export function formOf(org: AnyResource | undefined): InstitutionForm {
  const identifiers = (org?.['identifier'] as { system?: string; value?: string }[] | undefined) ?? [];
  const telecom = (org?.['telecom'] as { system?: string; value?: string }[] | undefined) ?? [];
  const address = (org?.['address'] as { text?: string; line?: string[] }[] | undefined)?.[0];
  return {
    name: String(org?.['name'] ?? ''),
    uscc: identifiers.find((i) => i.system === USCC_SYSTEM)?.value ?? '',
    kind: org ? kindOf(org) : '',
    phone: telecom.find((t) => t.system === 'phone')?.value ?? '',
    address: address?.text ?? address?.line?.join('') ?? '',
    partOf: ((org?.['partOf'] as { reference?: string } | undefined)?.reference ?? '').replace(
      /^Organization\//,
      '',
    ),
    active: org?.['active'] !== false,
  };
}

/**
 * The Organization the form describes: `base` (the stored resource, when editing) with the form's
 * fields replaced, other identifiers, types, contacts and addresses kept.
 */
export function organizationOf(
  form: InstitutionForm,
  labels: Readonly<Record<InstitutionKind, string>>,
  base: AnyResource = { resourceType: 'Organization' },
): AnyResource {
  const keep = <T extends object>(key: string, drop: (item: T) => boolean): T[] =>
    ((base[key] as T[] | undefined) ?? []).filter((item) => !drop(item));
  const otherTypes = keep<Concept>('type', (t) =>
    (t.coding ?? []).some(
      (c) => c.system === INSTITUTION_TYPE_SYSTEM || c.system === ORGANIZATION_TYPE_SYSTEM,
    ),
  );
  const otherIds = keep<{ system?: string }>('identifier', (i) => i.system === USCC_SYSTEM);
  const otherTelecom = keep<{ system?: string }>('telecom', (t) => t.system === 'phone');
  const [firstAddress, ...otherAddresses] = (base['address'] as Record<string, unknown>[] | undefined) ?? [];
  const { partOf: _partOf, ...rest } = base;
  const address = form.address.trim();
  return withoutEmpty({
    ...rest,
    resourceType: 'Organization',
    active: form.active,
    name: form.name.trim(),
    identifier: [
      ...(form.uscc ? [{ use: 'official', system: USCC_SYSTEM, value: form.uscc.trim() }] : []),
      ...otherIds,
    ],
    type: [
      ...(form.kind
        ? [
            {
              coding: [
                { system: ORGANIZATION_TYPE_SYSTEM, code: INSTITUTION_KINDS[form.kind] },
                { system: INSTITUTION_TYPE_SYSTEM, code: form.kind, display: labels[form.kind] },
              ],
              text: labels[form.kind],
            },
          ]
        : []),
      ...otherTypes,
    ],
    telecom: [
      ...(form.phone.trim() ? [{ system: 'phone', value: form.phone.trim(), use: 'work' }] : []),
      ...otherTelecom,
    ],
    address: address
      ? [
          // An edited address replaces the first one's text; its structured parts no longer match it.
          firstAddress && address === formOf(base).address
            ? firstAddress
            : { use: 'work', type: 'physical', text: address, country: 'CN' },
          ...otherAddresses,
        ]
      : otherAddresses,
    ...(form.partOf ? { partOf: { reference: `Organization/${form.partOf}` } } : {}),
  });
}

/** Empty arrays are not valid FHIR: dropped before sending. */
function withoutEmpty(resource: AnyResource): AnyResource {
  return Object.fromEntries(
    Object.entries(resource).filter(([, v]) => !(Array.isArray(v) && v.length === 0)),
  ) as AnyResource;
}
