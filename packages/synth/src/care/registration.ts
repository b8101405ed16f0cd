import type { Household, Person } from '../population/model.ts';
import type { Institution } from '../region/model.ts';
import type { PersonContext } from './context.ts';

/** A person's medical record number (病案号) at one institution: stable, unique within the region. */
export function mrnOf(hh: Household, person: Person, instId: string): string {
  const ordinal = person.patientId.slice(person.patientId.lastIndexOf('-') + 1);
  return `${instId.slice(4).toUpperCase()}-${hh.index}-${ordinal}`;
}

/** The Patient record an institution's resources refer to, the institution that holds it and its MRN. */
export interface Registration {
  readonly patientId: string;
  /** `Organization` id of the holder: the MRN's assigner. */
  readonly institution: string;
  readonly mrn: string;
}

/**
 * The person's own registration at `inst` when they have one (a hospital's separate record), else
 * their primary record at their community health centre, which every other institution refers to.
 */
export function registrationAt(pc: PersonContext, inst: Institution): Registration {
  const own = pc.patientAt.get(inst.id);
  const holder = own ? inst.id : pc.hh.chc.id;
  return { patientId: own ?? pc.person.patientId, institution: holder, mrn: mrnOf(pc.hh, pc.person, holder) };
}
