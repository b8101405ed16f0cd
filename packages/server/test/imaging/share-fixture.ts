/**
 * Test support for the tele-consultation share tests: small CT instances written with dcmjs, and
 * DICOMweb calls (STOW-RS, QIDO-RS, WADO-RS) over real HTTP against an imaging-enabled platform
 * (`createAccessFixture({ imaging: {} })`).
 */
import type { Resource } from '@medplum/fhirtypes';
import { withCustodian } from '@yiyun/fhir';
import { part10 } from '@yiyun/imaging/testing';
import type { Store } from '@yiyun/store';

export interface InstanceUids {
  readonly study: string;
  readonly series: string;
  readonly sop: string;
}

/** One small CT image (2×2, Explicit VR Little Endian) of patient `patientId`. */
export function ctInstance(uids: InstanceUids, patientId = 'MRN-SHARE-1'): Promise<Uint8Array> {
  return part10({
    StudyInstanceUID: uids.study,
    SeriesInstanceUID: uids.series,
    SOPInstanceUID: uids.sop,
    PatientID: patientId,
    PatientName: 'Chen^Jing=陈^静',
    PatientBirthDate: '19750304',
    StudyDate: '20250110',
    StudyTime: '093000',
  });
}

/** STOW-RS (PS3.18 §10.5) of the instances in one multipart/related request. */
export function stow(origin: string, token: string, instances: readonly Uint8Array[]): Promise<Response> {
  const boundary = `share-${Math.random().toString(16).slice(2)}`;
  const parts: Uint8Array[] = [];
  const text = (s: string) => new TextEncoder().encode(s);
  for (const bytes of instances) {
    parts.push(text(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), bytes, text('\r\n'));
  }
  parts.push(text(`--${boundary}--\r\n`));
  return fetch(`${origin}/dicomweb/studies`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      accept: 'application/dicom+json',
    },
    body: Buffer.concat(parts),
  });
}

/** QIDO-RS studies matching `StudyInstanceUID` (PS3.18 §10.6): the matches' UIDs. */
export async function qidoStudies(origin: string, token: string, studyUid: string): Promise<string[]> {
  const res = await fetch(`${origin}/dicomweb/studies?StudyInstanceUID=${studyUid}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/dicom+json' },
  });
  if (res.status !== 200) throw new Error(`QIDO-RS: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { '0020000D'?: { Value?: string[] } }[];
  return body.map((s) => s['0020000D']?.Value?.[0] ?? '');
}

/** WADO-RS of one instance as bare `application/dicom` (PS3.18 §10.4). */
export function wadoInstance(origin: string, token: string, uids: InstanceUids): Promise<Response> {
  return fetch(`${origin}/dicomweb/studies/${uids.study}/series/${uids.series}/instances/${uids.sop}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/dicom' },
  });
}

/** Directory entries (Organizations) written unrestricted, each its own custodian. */
export async function seedOrganizations(
  store: Store,
  names: Readonly<Record<string, string>>,
): Promise<void> {
  const repo = store.repository();
  for (const [id, name] of Object.entries(names)) {
    const org: Resource = { resourceType: 'Organization', id, name };
    await repo.update(withCustodian(org, id));
  }
}

/** A Parameters body of named values. */
export function parameters(values: Readonly<Record<string, Record<string, unknown>>>): string {
  return JSON.stringify({
    resourceType: 'Parameters',
    parameter: Object.entries(values).map(([name, value]) => ({ name, ...value })),
  });
}
