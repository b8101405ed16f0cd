import type { Sql } from './schema.ts';

/** Which Patient records belong to which regional person (the MPI's `patient_person` links). */
export interface PersonDirectory {
  patientsOfPerson(personId: string): Promise<string[]>;
  personOfPatient(patientId: string): Promise<string | null>;
}

/** The links as the store keeps them, read regardless of any caller's access scope. */
export function pgPersonDirectory(sql: Sql): PersonDirectory {
  return {
    async patientsOfPerson(personId) {
      const rows = await sql<{ patient_id: string }[]>`
        select patient_id from patient_person where person_id = ${personId} order by patient_id`;
      return rows.map((r) => r.patient_id);
    },
    async personOfPatient(patientId) {
      const [row] = await sql<{ person_id: string }[]>`
        select person_id from patient_person where patient_id = ${patientId} limit 1`;
      return row?.person_id ?? null;
    },
  };
}
