import { describe, expect, it } from 'vitest';
import {
  parseScope,
  parseScopes,
  permittedTypes,
  readableTypes,
  scopeAllows,
  scopeWithin,
} from './scopes.ts';

describe('SMART scopes', () => {
  it('parses v2 resource scopes with cruds letters', () => {
    const s = parseScope('patient/Observation.rs');
    expect(s).toMatchObject({
      kind: 'resource',
      context: 'patient',
      resourceType: 'Observation',
      version: 2,
    });
    expect(s.kind === 'resource' && [...s.interactions]).toEqual(['r', 's']);
    expect(parseScope('user/*.cruds')).toMatchObject({
      kind: 'resource',
      context: 'user',
      resourceType: '*',
    });
    expect(parseScope('system/*.r')).toMatchObject({ kind: 'resource', context: 'system' });
  });

  it('reads v1 forms as their v2 equivalents (read = rs, write = cud, * = cruds)', () => {
    const letters = (raw: string) => {
      const s = parseScope(raw);
      return s.kind === 'resource' ? [...s.interactions].join('') : undefined;
    };
    expect(letters('patient/Observation.read')).toBe('rs');
    expect(letters('patient/Observation.write')).toBe('cud');
    expect(letters('user/*.*')).toBe('cruds');
    expect(parseScope('user/*.read')).toMatchObject({ version: 1 });
    const pairs = [
      ['patient/Observation.read', 'patient/Observation.rs', 'patient', 'Observation'],
      ['user/Patient.write', 'user/Patient.cud', 'user', 'Patient'],
      ['system/*.*', 'system/*.cruds', 'system', 'Condition'],
    ] as const;
    for (const [v1, v2, context, resourceType] of pairs) {
      for (const interaction of ['c', 'r', 'u', 'd', 's'] as const) {
        const request = { context, resourceType, interaction };
        expect(scopeAllows([v1], request), `${v1} ${interaction}`).toBe(scopeAllows([v2], request));
      }
    }
  });

  it('rejects permissions out of order, repeated or unknown, and malformed scopes', () => {
    for (const raw of [
      'patient/Observation.sr',
      'patient/Observation.rr',
      'patient/Observation.x',
      'patient/Observation.',
      'clinic/*.r',
      'patient/observation.r',
      'patient/*',
      '',
    ]) {
      expect(parseScope(raw).kind, raw).toBe('unknown');
    }
  });

  it('knows the launch and OpenID scopes', () => {
    const set = parseScopes('openid fhirUser launch launch/patient offline_access online_access profile');
    expect([...set.launch].sort()).toEqual([
      'fhirUser',
      'launch',
      'launch/patient',
      'offline_access',
      'online_access',
      'openid',
      'profile',
    ]);
    expect(set.resources).toHaveLength(0);
    expect(parseScopes('openid made-up').unknown).toEqual(['made-up']);
  });

  it('allows exactly what the scopes grant, by context, type and interaction', () => {
    const scopes = 'patient/Observation.rs user/Patient.r system/Encounter.c';
    expect(scopeAllows(scopes, { context: 'patient', resourceType: 'Observation', interaction: 'r' })).toBe(
      true,
    );
    expect(scopeAllows(scopes, { context: 'patient', resourceType: 'Observation', interaction: 's' })).toBe(
      true,
    );
    expect(scopeAllows(scopes, { context: 'patient', resourceType: 'Observation', interaction: 'u' })).toBe(
      false,
    );
    expect(scopeAllows(scopes, { context: 'user', resourceType: 'Observation', interaction: 'r' })).toBe(
      false,
    );
    expect(scopeAllows(scopes, { context: 'patient', resourceType: 'Condition', interaction: 'r' })).toBe(
      false,
    );
    expect(scopeAllows(scopes, { context: 'user', resourceType: 'Patient', interaction: 's' })).toBe(false);
    expect(scopeAllows(scopes, { context: 'system', resourceType: 'Encounter', interaction: 'c' })).toBe(
      true,
    );
    expect(scopeAllows('user/*.cruds', { context: 'user', resourceType: 'Anything', interaction: 'd' })).toBe(
      true,
    );
    expect(
      scopeAllows('openid fhirUser', { context: 'user', resourceType: 'Patient', interaction: 'r' }),
    ).toBe(false);
  });

  it('grants nothing from a scope with a query restriction (not enforced: fail closed)', () => {
    const restricted = parseScope('patient/Observation.rs?category=laboratory');
    expect(restricted).toMatchObject({ kind: 'resource', query: 'category=laboratory' });
    expect(
      scopeAllows(['patient/Observation.rs?category=laboratory'], {
        context: 'patient',
        resourceType: 'Observation',
        interaction: 'r',
      }),
    ).toBe(false);
    expect(readableTypes(['patient/Observation.rs?category=laboratory'], 'patient')).toEqual(new Set());
  });

  it('lists the readable types for compiling access into SQL', () => {
    expect(
      readableTypes('patient/Observation.rs patient/Condition.read patient/Patient.s', 'patient'),
    ).toEqual(new Set(['Observation', 'Condition']));
    expect(readableTypes('patient/Observation.rs system/*.r', 'system')).toBe('*');
    expect(readableTypes('patient/Observation.rs', 'user')).toEqual(new Set());
    expect(permittedTypes('user/Patient.cu user/Observation.c', 'user', 'c')).toEqual(
      new Set(['Patient', 'Observation']),
    );
  });

  it('checks a requested scope against what a client was registered for', () => {
    const allowed = parseScopes('openid launch/patient patient/*.rs user/Observation.cruds');
    expect(scopeWithin('patient/Observation.rs', allowed)).toBe(true);
    expect(scopeWithin('patient/Observation.r', allowed)).toBe(true);
    expect(scopeWithin('patient/Observation.read', allowed)).toBe(true);
    expect(scopeWithin('patient/Observation.cruds', allowed)).toBe(false);
    expect(scopeWithin('patient/Observation.write', allowed)).toBe(false);
    expect(scopeWithin('user/Observation.write', allowed)).toBe(true);
    expect(scopeWithin('user/Patient.r', allowed)).toBe(false);
    expect(scopeWithin('system/*.r', allowed)).toBe(false);
    expect(scopeWithin('launch/patient', allowed)).toBe(true);
    expect(scopeWithin('offline_access', allowed)).toBe(false);
    expect(scopeWithin('patient/Observation.rs?category=vital-signs', allowed)).toBe(true);
    expect(scopeWithin('garbage', allowed)).toBe(false);
  });
});
