import { randomInt } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Account, AccountStore, NewAccount, Role } from '@yiyun/auth';
import { isAppError } from '@yiyun/fhir';
import type { Store } from '@yiyun/store';
import { type DemoPeople, type DemoPerson, findDemoPeople } from './demo-people.ts';

/** The demo accounts: one per role a person signs in with (integration systems are OAuth clients). */
export const DEMO_ACCOUNT_SPECS = [
  { role: 'platform-admin', username: 'admin', zh: '平台管理员', en: 'platform admin' },
  { role: 'institution-admin', username: 'hospital-admin', zh: '机构管理员', en: 'institution admin' },
  { role: 'clinician', username: 'doctor', zh: '医生', en: 'clinician' },
  { role: 'family-doctor', username: 'family-doctor', zh: '家庭医生', en: 'family doctor' },
  { role: 'nurse', username: 'nurse', zh: '护士', en: 'nurse' },
  { role: 'public-health-analyst', username: 'analyst', zh: '公共卫生分析员', en: 'public-health analyst' },
  { role: 'resident', username: 'resident', zh: '居民', en: 'resident' },
] as const satisfies readonly { role: Role; username: string; zh: string; en: string }[];

export type DemoRole = (typeof DEMO_ACCOUNT_SPECS)[number]['role'];

/** One entry of `<data dir>/demo-credentials.json`. */
export interface DemoAccountEntry {
  readonly role: DemoRole;
  readonly username: string;
  readonly password: string;
  readonly displayName: string;
  /** Staff: their institution. Resident: the community health centre that registered them. */
  readonly organization?: string;
  readonly organizationName?: string;
  readonly practitioner?: string;
  readonly practitionerRole?: string;
  readonly patient?: string;
  /** The account's id, so a file left over from another database is recognised as stale. */
  readonly id: string;
}

export interface DemoCredentials {
  readonly accounts: readonly DemoAccountEntry[];
  /** OAuth clients for scripts (the demo system client); kept as found when accounts are written. */
  readonly clients: readonly Record<string, unknown>[];
}

/** A demo account as the banner lists it: the password only when this data directory holds it. */
export type DemoAccountListing = Omit<DemoAccountEntry, 'password'> & { readonly password?: string };

export interface DemoAccountsOutcome {
  /** Accounts created by this start (0 on a later start). */
  readonly created: number;
  readonly accounts: readonly DemoAccountListing[];
  /** Roles without an account because the region holds no record that fits. */
  readonly missing: readonly DemoRole[];
  readonly file: string;
}

export function demoCredentialsPath(dataDir: string): string {
  return join(dataDir, 'demo-credentials.json');
}

/** The saved credentials; empty lists when there is no (readable) file. */
export async function readDemoCredentials(dataDir: string): Promise<DemoCredentials> {
  const text = await readFile(demoCredentialsPath(dataDir), 'utf8').catch(() => undefined);
  if (text === undefined) return { accounts: [], clients: [] };
  try {
    const parsed = JSON.parse(text) as Partial<DemoCredentials>;
    return {
      accounts: Array.isArray(parsed.accounts) ? parsed.accounts : [],
      clients: Array.isArray(parsed.clients) ? parsed.clients : [],
    };
  } catch {
    return { accounts: [], clients: [] };
  }
}

/** Writes the file with mode 0600 (owner only), atomically: a reader never sees half a file. */
export async function writeDemoCredentials(dataDir: string, credentials: DemoCredentials): Promise<string> {
  const file = demoCredentialsPath(dataDir);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600); // the mode of `writeFile` is filtered by the umask
  await rename(temp, file);
  return file;
}

/** Lower-case letters and digits without look-alikes (l, 1, o, 0). */
const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** 16 random characters in four groups (80 bits): `k7dm-2x9q-vr4h-p8ne`. Meets the password policy. */
export function randomDemoPassword(): string {
  const groups = Array.from({ length: 4 }, () =>
    Array.from({ length: 4 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join(''),
  );
  return groups.join('-');
}

const PLATFORM_ADMIN: DemoPerson = { displayName: '平台管理员' };

function personFor(role: DemoRole, people: DemoPeople): DemoPerson | undefined {
  return role === 'platform-admin' ? PLATFORM_ADMIN : people[role];
}

function newAccount(role: DemoRole, username: string, person: DemoPerson, password: string): NewAccount {
  const links =
    role === 'resident'
      ? { patient: person.patient }
      : {
          organization: person.organization,
          practitioner: person.practitioner,
          practitionerRole: person.practitionerRole,
        };
  return {
    username,
    password,
    kind: role === 'resident' ? 'resident' : 'staff',
    displayName: person.displayName,
    roles: [role],
    ...links,
  };
}

function listing(role: DemoRole, account: Account, person?: DemoPerson): DemoAccountListing {
  return {
    role,
    username: account.username,
    displayName: account.displayName,
    ...optional({
      organization: person?.organization ?? account.organization,
      organizationName: person?.organizationName,
      practitioner: account.practitioner,
      practitionerRole: account.practitionerRole,
      patient: account.patient,
    }),
    id: account.id,
  };
}

function optional<T extends Record<string, string | undefined>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export interface EnsureDemoAccountsOptions {
  readonly store: Pick<Store, 'registry' | 'repository'>;
  readonly accounts: AccountStore;
  readonly dataDir: string;
  /** False: only list demo accounts that exist (the store holds data this installation did not load). */
  readonly mayCreate: boolean;
}

/**
 * Creates the demo accounts that do not exist yet, each with a random password and linked to real
 * records of the demo region, and saves the passwords to `<data dir>/demo-credentials.json` (0600).
 * A later start finds the accounts and creates nothing. Run it under the demo lock so that replicas
 * starting together do not race (a lost race is still safe: usernames are unique).
 */
export async function ensureDemoAccounts(options: EnsureDemoAccountsOptions): Promise<DemoAccountsOutcome> {
  const saved = await readDemoCredentials(options.dataDir);
  const savedByUsername = new Map(saved.accounts.map((a) => [a.username, a]));
  const accounts: DemoAccountListing[] = [];
  const known: DemoAccountEntry[] = [];
  const missing: DemoRole[] = [];
  let people: DemoPeople | undefined;
  let created = 0;
  for (const spec of DEMO_ACCOUNT_SPECS) {
    const existing = await options.accounts.findByUsername(spec.username);
    if (existing !== undefined) {
      const entry = savedByUsername.get(spec.username);
      if (entry?.id === existing.id && typeof entry.password === 'string') {
        accounts.push(entry);
        known.push(entry);
      } else accounts.push(listing(spec.role, existing));
      continue;
    }
    if (!options.mayCreate) continue;
    people ??= await findDemoPeople(options.store);
    const person = personFor(spec.role, people);
    if (person === undefined) {
      missing.push(spec.role);
      continue;
    }
    const password = randomDemoPassword();
    try {
      const account = await options.accounts.create(newAccount(spec.role, spec.username, person, password));
      const entry = { ...listing(spec.role, account, person), password };
      accounts.push(entry);
      known.push(entry);
      created++;
    } catch (err) {
      // Another start created it meanwhile: list it without a password.
      if (!isAppError(err) || err.code !== 'conflict') throw err;
      const other = await options.accounts.findByUsername(spec.username);
      if (other) accounts.push(listing(spec.role, other));
    }
  }
  const stale = saved.accounts.length !== known.length - created;
  const file =
    created > 0 || stale
      ? await writeDemoCredentials(options.dataDir, { accounts: known, clients: saved.clients })
      : demoCredentialsPath(options.dataDir);
  return { created, accounts, missing, file };
}
