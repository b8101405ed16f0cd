import { Anchor, AppShell, Center, Group, Loader, Text, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { routeHref, useHashRoute } from './hash-route.tsx';
import { HomePage } from './home-page.tsx';
import { LanguageSwitch } from './language-switch.tsx';

// Cornerstone3D and vtk.js are several MB: the viewer is its own chunk, fetched when first opened,
// so the initial JavaScript stays small (issue #7: ≤ 400 KB gzip).
const ViewerPage = lazy(() => import('../viewer/viewer-page.tsx'));

function PageLoading() {
  const { t } = useTranslation();
  return (
    <Center h="100%" role="status">
      <Group gap="sm">
        <Loader size="sm" />
        <Text>{t('app.pageLoading')}</Text>
      </Group>
    </Center>
  );
}

function Page() {
  const { t } = useTranslation();
  const route = useHashRoute();
  switch (route.path) {
    case '/':
      return <HomePage />;
    case '/viewer':
      return <ViewerPage params={route.params} />;
    default:
      return (
        <Center h="100%">
          <Text>{t('app.notFound')}</Text>
        </Center>
      );
  }
}

export function App() {
  const { t } = useTranslation();
  return (
    <AppShell header={{ height: 52 }} padding={0}>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Anchor href={routeHref('/')} underline="never" c="inherit">
              <Title order={1} size="h3" data-testid="app-title">
                {t('app.title')}
              </Title>
            </Anchor>
            <Text size="sm" c="dimmed" visibleFrom="xs">
              {t('app.subtitle')}
            </Text>
          </Group>
          <LanguageSwitch />
        </Group>
      </AppShell.Header>
      <AppShell.Main h="100dvh">
        <Suspense fallback={<PageLoading />}>
          <Page />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
