import type { Identifier, Patient, PatientLink } from '@medplum/fhirtypes';
import { RESIDENT_ID_SYSTEM } from '@yiyun/fhir';

/** Tag on golden records (the regional person as a Patient), and the mark of links the registry adds. */
export const GOLDEN_TAG = {
  system: 'https://yiyun.dev/fhir/CodeSystem/mpi',
  code: 'golden',
  display: '区域居民主索引',
};
export const REGISTRY_LINK_EXTENSION = 'https://yiyun.dev/fhir/StructureDefinition/registry-link';

function latest(records: readonly Patient[]): Patient[] {
  return [...records].sort((a, b) => (b.meta?.lastUpdated ?? '').localeCompare(a.meta?.lastUpdated ?? ''));
}

/** The most frequent value (ties: the most recently updated record's). */
function vote<T>(
  records: readonly Patient[],
  pick: (p: Patient) => T | undefined,
  key: (v: T) => string = String,
): T | undefined {
  const counts = new Map<string, { value: T; n: number; order: number }>();
  latest(records).forEach((p, order) => {
    const v = pick(p);
    if (v === undefined) return;
    const k = key(v);
    const c = counts.get(k);
    if (c) c.n++;
    else counts.set(k, { value: v, n: 1, order });
  });
  return [...counts.values()].sort((a, b) => b.n - a.n || a.order - b.order)[0]?.value;
}

/**
 * The golden record of a regional person, composed on read from the source records the caller may
 * see (survivorship: the most frequent value, ties to the latest): never stored, so it cannot drift
 * from its sources and never rewrites them. `link` lists the sources (type `seealso`).
 */
export function goldenPatient(personId: string, records: readonly Patient[], updated: string): Patient {
  const ids = new Map<string, Identifier>();
  for (const p of latest(records))
    for (const i of p.identifier ?? [])
      if (i.system && i.value && i.system !== 'https://yiyun.dev/fhir/sid/mrn' && !ids.has(i.system))
        ids.set(i.system, i);
  const name = vote(
    records,
    (p) => p.name?.find((n) => n.use === 'official') ?? p.name?.[0],
    (n) => JSON.stringify([n.family, n.given, n.text]),
  );
  const names = latest(records).flatMap((p) => p.name ?? []);
  const others = names.filter((n) => n !== name && n.use === 'usual').slice(0, 1);
  const links: PatientLink[] = records.map((p) => ({
    other: { reference: `Patient/${p.id}` },
    type: 'seealso',
  }));
  const gender = vote(records, (p) => p.gender);
  const birthDate = vote(records, (p) => p.birthDate);
  const telecom = latest(records).find((p) => p.telecom?.length)?.telecom;
  const address = latest(records).find((p) => p.address?.length)?.address;
  const deceased = records.find((p) => p.deceasedDateTime || p.deceasedBoolean);
  return {
    resourceType: 'Patient',
    id: personId,
    meta: { versionId: '1', lastUpdated: updated, tag: [GOLDEN_TAG] },
    identifier: [...ids.values()].sort(
      (a, b) => Number(b.system === RESIDENT_ID_SYSTEM) - Number(a.system === RESIDENT_ID_SYSTEM),
    ),
    active: true,
    ...(name ? { name: [name, ...others] } : {}),
    ...(telecom ? { telecom } : {}),
    ...(gender ? { gender } : {}),
    ...(birthDate ? { birthDate } : {}),
    ...(deceased?.deceasedDateTime
      ? { deceasedDateTime: deceased.deceasedDateTime }
      : deceased
        ? { deceasedBoolean: true }
        : {}),
    ...(address ? { address } : {}),
    link: links,
  };
}

/** A source record as served: with a `refer` link to its golden record (marked, so writes drop it). */
export function withGoldenLink(patient: Patient, personId: string): Patient {
  const own = (patient.link ?? []).filter(
    (l) => !l.extension?.some((e) => e.url === REGISTRY_LINK_EXTENSION),
  );
  return {
    ...patient,
    link: [
      ...own,
      {
        extension: [{ url: REGISTRY_LINK_EXTENSION, valueBoolean: true }],
        other: { reference: `Patient/${personId}` },
        type: 'refer',
      },
    ],
  };
}

/** Drops the links the registry added on read (a client writing back what it read). */
export function withoutRegistryLinks(patient: Patient): Patient {
  if (!patient.link?.some((l) => l.extension?.some((e) => e.url === REGISTRY_LINK_EXTENSION))) return patient;
  const link = patient.link.filter((l) => !l.extension?.some((e) => e.url === REGISTRY_LINK_EXTENSION));
  const { link: _drop, ...rest } = patient;
  return link.length ? { ...rest, link } : rest;
}
