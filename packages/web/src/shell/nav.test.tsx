import { describe, expect, it } from 'vitest';
import { navFor } from './nav.tsx';

describe('role-aware navigation', () => {
  it('gives each role its own pages, and nobody another role’s', () => {
    const paths = (roles: string[]) => navFor(roles).map((i) => i.path);
    expect(paths(['clinician'])).toEqual(['/find']);
    expect(paths(['resident'])).toEqual(['/me', '/me/card', '/me/access', '/me/consent']);
    expect(paths(['platform-admin'])).toEqual([
      '/console/review',
      '/console/institutions',
      '/console/staff',
      '/console/audit',
      '/console/storage',
    ]);
    expect(paths(['institution-admin'])).toEqual([
      '/console/institutions',
      '/console/staff',
      '/console/audit',
      '/console/storage',
    ]);
    expect(paths(['public-health-analyst'])).toEqual(['/analyst']);
    expect(paths([])).toEqual([]);
  });
});
