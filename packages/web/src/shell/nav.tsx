/** The pages of the portal and who sees them in the navigation (the server enforces access anyway). */
export interface NavItem {
  readonly path: string;
  /** i18n key of the label. */
  readonly label: string;
}

const CLINICAL = ['clinician', 'family-doctor', 'nurse'];
const ADMINS = ['platform-admin', 'institution-admin'];

/** Navigation for a person with these roles, in display order; the first item is their home page. */
export function navFor(roles: readonly string[]): NavItem[] {
  const has = (list: readonly string[]) => roles.some((r) => list.includes(r));
  const items: NavItem[] = [];
  if (has(CLINICAL)) items.push({ path: '/find', label: 'nav.find' });
  if (roles.includes('resident'))
    items.push(
      { path: '/me', label: 'nav.myRecord' },
      { path: '/me/card', label: 'nav.myCard' },
      { path: '/me/access', label: 'nav.myAccess' },
      { path: '/me/consent', label: 'nav.myConsent' },
    );
  if (roles.includes('platform-admin')) items.push({ path: '/console/review', label: 'nav.review' });
  if (has(ADMINS))
    items.push(
      { path: '/console/institutions', label: 'nav.institutions' },
      { path: '/console/staff', label: 'nav.staff' },
      { path: '/console/audit', label: 'nav.audit' },
      { path: '/console/storage', label: 'nav.storage' },
    );
  if (roles.includes('public-health-analyst')) items.push({ path: '/analyst', label: 'nav.analyst' });
  return items;
}
