import type { Patient, Resource } from '@medplum/fhirtypes';
import { AppError } from '@yiyun/fhir';
import {
  goldenPatient,
  isPerson,
  membersOf,
  type ResidentRegistry,
  withGoldenLink,
  withoutRegistryLinks,
} from '@yiyun/mpi';
import type { FhirRepository, SearchResult, StoredResource } from '@yiyun/store';
import type { Logger } from 'pino';
import { expandPersonReferences } from './person-search.ts';

export interface RegistryBinding {
  readonly registry: ResidentRegistry;
  readonly logger: Logger;
}

function isPatient(r: Resource): r is Patient {
  return r.resourceType === 'Patient';
}

/** Links queued Patient changes now, so the writer's response reflects them; the queue keeps them otherwise. */
async function linkNow(binding: RegistryBinding): Promise<void> {
  try {
    await binding.registry.drain();
  } catch (err) {
    // The change stays queued (it was committed with the write); the background linker retries.
    binding.logger.error({ err: { message: (err as Error).message } }, 'registry link failed');
  }
}

async function personsOf(binding: RegistryBinding, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await binding.registry.queryable.unsafe<{ patient_id: string; person_id: string }[]>(
    'select patient_id, person_id from patient_person where patient_id = any($1::text[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.patient_id, r.person_id]));
}

async function decorate(
  binding: RegistryBinding,
  resources: readonly StoredResource[],
): Promise<StoredResource[]> {
  const ids = resources.filter((r) => r.resourceType === 'Patient').map((r) => r.id);
  const persons = await personsOf(binding, ids);
  return resources.map((r) => {
    const person = r.resourceType === 'Patient' ? persons.get(r.id) : undefined;
    return person ? (withGoldenLink(r as Patient, person) as StoredResource) : r;
  });
}

/**
 * The golden record of `personId` from the member records `repo` (the caller's scope) may read;
 * not-found when the caller may see none of them.
 */
export async function readGolden(
  binding: RegistryBinding,
  repo: FhirRepository,
  personId: string,
): Promise<StoredResource | undefined> {
  if (!(await isPerson(binding.registry.queryable, personId))) return undefined;
  const visible: Patient[] = [];
  for (const id of await membersOf(binding.registry.queryable, personId)) {
    try {
      visible.push((await repo.read('Patient', id)) as Patient);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  }
  if (visible.length === 0) return undefined;
  return goldenOf(personId, visible) as StoredResource;
}

/** The golden record composed from `visible` (records the caller may read), as new as the newest. */
export function goldenOf(personId: string, visible: readonly Patient[]): Patient {
  const updated =
    visible
      .map((p) => p.meta?.lastUpdated ?? '')
      .sort()
      .at(-1) ?? new Date().toISOString();
  return goldenPatient(personId, visible, updated);
}

/**
 * A repository that keeps the resident registry in step: Patient writes are linked before the call
 * returns; Patient reads carry a `refer` link to their golden record; a read of a person's id is
 * their golden record (composed from what the caller may see); a search reference to a person's id
 * stands for all of the person's records.
 */
export function withResidentRegistry(repo: FhirRepository, binding: RegistryBinding): FhirRepository {
  const clean = <T extends Resource>(r: T): T => (isPatient(r) ? (withoutRegistryLinks(r) as T) : r);
  const wrapped: FhirRepository = {
    async create(resource, options) {
      const result = await repo.create(clean(resource), options);
      if (isPatient(resource)) await linkNow(binding);
      return result;
    },
    async update(resource, options) {
      const result = await repo.update(clean(resource), options);
      if (isPatient(resource)) await linkNow(binding);
      return result;
    },
    async delete(type, id) {
      await repo.delete(type, id);
      if (type === 'Patient') await linkNow(binding);
    },
    async read(type, id) {
      try {
        const found = await repo.read(type, id);
        return type === 'Patient' ? ((await decorate(binding, [found]))[0] as StoredResource) : found;
      } catch (err) {
        if (type !== 'Patient' || !(err instanceof AppError) || err.code !== 'not-found') throw err;
        const golden = await readGolden(binding, repo, id);
        if (!golden) throw err;
        return golden;
      }
    },
    vread: (type, id, versionId) => repo.vread(type, id, versionId),
    async search(request): Promise<SearchResult> {
      const result = await repo.search(await expandPersonReferences(binding.registry, request));
      if (request.resourceType !== 'Patient' && !result.included.some(isPatient)) return result;
      return {
        ...result,
        matches: await decorate(binding, result.matches),
        included: await decorate(binding, result.included),
      };
    },
    history: (query) => repo.history(query),
    async transaction(fn) {
      const out = await repo.transaction((tx) => fn(withinTransaction(tx, clean)));
      await linkNow(binding);
      return out;
    },
    lock: (key) => repo.lock(key),
  };
  return wrapped;
}

/** Inside a transaction the registry runs after commit; only the registry's links are stripped here. */
function withinTransaction(tx: FhirRepository, clean: <T extends Resource>(r: T) => T): FhirRepository {
  return {
    create: (resource, options) => tx.create(clean(resource), options),
    update: (resource, options) => tx.update(clean(resource), options),
    read: (type, id) => tx.read(type, id),
    vread: (type, id, v) => tx.vread(type, id, v),
    delete: (type, id) => tx.delete(type, id),
    search: (request) => tx.search(request),
    history: (query) => tx.history(query),
    transaction: (fn) => tx.transaction(fn),
    lock: (key) => tx.lock(key),
  };
}
