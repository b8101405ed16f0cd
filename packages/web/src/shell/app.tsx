import {
  Anchor,
  AppShell,
  Box,
  Burger,
  Button,
  Center,
  Group,
  NavLink,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { SessionProvider, useClaims, useSession } from '../auth/session.tsx';
import { routeHref, useHashRoute } from './hash-route.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { navFor } from './nav.tsx';
import { PageLoading } from './page-loading.tsx';
import { SignInPage } from './sign-in-page.tsx';

// Cornerstone3D and vtk.js are several MB: the viewer is its own chunk, fetched when first opened,
// so the initial JavaScript stays small (issue #7: ≤ 400 KB gzip). The other pages are small and
// split too, so a resident never downloads the operator console.
const ViewerPage = lazy(() => import('../viewer/viewer-page.tsx'));
const FindPage = lazy(() => import('../record/find-page.tsx'));
const RecordPage = lazy(() => import('../record/record-page.tsx'));
const AccessLogPage = lazy(() => import('../portal/access-log-page.tsx'));
const ConsentPage = lazy(() => import('../portal/consent-page.tsx'));
const CardPage = lazy(() => import('../portal/card-page.tsx'));
const RegistryPage = lazy(() => import('../console/registry/registry-page.tsx'));
const AuditPage = lazy(() => import('../console/audit-page.tsx'));
const StaffPage = lazy(() => import('../console/staff-page.tsx'));
const InstitutionsPage = lazy(() => import('../console/institutions/institutions-page.tsx'));
const StoragePage = lazy(() => import('../console/storage-page.tsx'));
const AnalystPage = lazy(() => import('../console/analyst-page.tsx'));

function Page() {
  const { t } = useTranslation();
  const route = useHashRoute();
  const claims = useClaims();
  const home = navFor(claims.roles)[0]?.path;
  const me = claims.fhirUser?.startsWith('Patient/')
    ? claims.fhirUser.slice('Patient/'.length)
    : claims.patient;
  switch (route.path) {
    case '/':
      if (home) {
        window.location.replace(routeHref(home));
        return null;
      }
      return (
        <Center py="xl">
          <Text>{t('app.noPages')}</Text>
        </Center>
      );
    case '/viewer':
      // The viewer fills the window below the header (its viewport sizes itself to its box).
      return (
        <Box h="calc(100dvh - 52px - 2 * var(--mantine-spacing-md))">
          <ViewerPage params={route.params} />
        </Box>
      );
    case '/find':
      return <FindPage />;
    case '/record':
      return <RecordPage patient={route.params.get('patient') ?? ''} />;
    case '/me':
      return me ? <RecordPage patient={me} own /> : <Text p="md">{t('app.noResident')}</Text>;
    case '/me/card':
      return me ? <CardPage patient={me} /> : <Text p="md">{t('app.noResident')}</Text>;
    case '/me/access':
      return <AccessLogPage />;
    case '/me/consent':
      return me ? <ConsentPage patient={me} /> : <Text p="md">{t('app.noResident')}</Text>;
    case '/console/review':
      return <RegistryPage />;
    case '/console/institutions':
      return <InstitutionsPage />;
    case '/console/staff':
      return <StaffPage />;
    case '/console/audit':
      return <AuditPage />;
    case '/console/storage':
      return <StoragePage />;
    case '/analyst':
      return <AnalystPage />;
    default:
      return (
        <Center h="100%">
          <Text>{t('app.notFound')}</Text>
        </Center>
      );
  }
}

function SignedIn() {
  const { t } = useTranslation();
  const session = useSession();
  const claims = useClaims();
  const route = useHashRoute();
  const [opened, { toggle, close }] = useDisclosure();
  const items = navFor(claims.roles);
  return (
    <AppShell
      header={{ height: 52 }}
      navbar={{ width: 200, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Anchor href={routeHref('/')} underline="never" c="inherit">
              <Title order={1} size="h3" data-testid="app-title">
                {t('app.title')}
              </Title>
            </Anchor>
            <Text size="sm" c="dimmed" visibleFrom="md">
              {t('app.subtitle')}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" data-testid="signed-in-as" visibleFrom="xs">
              {[claims.name, claims.roles[0] ? t(`roles.${claims.roles[0]}`) : '']
                .filter(Boolean)
                .join(' · ')}
            </Text>
            <LanguageSwitch />
            <Button size="xs" variant="default" onClick={session.signOut} data-testid="sign-out">
              {t('auth.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.label')}>
        <Stack gap={2}>
          {items.map((item) => (
            <NavLink
              key={item.path}
              href={routeHref(item.path)}
              label={t(item.label)}
              active={route.path === item.path}
              onClick={close}
            />
          ))}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<PageLoading />}>
          <Page />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

function Gate() {
  const { state } = useSession();
  if (state.status === 'loading') return <PageLoading />;
  if (state.status === 'signed-out') return <SignInPage {...(state.error ? { error: state.error } : {})} />;
  return <SignedIn />;
}

export function App() {
  return (
    <SessionProvider>
      <Gate />
    </SessionProvider>
  );
}
