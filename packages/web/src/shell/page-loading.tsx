import { Alert, Button, Center, Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Loaded } from '../api/fhir.tsx';

/** What a page shows while its data or its code loads. */
export function PageLoading() {
  const { t } = useTranslation();
  return (
    <Center h="100%" py="xl" role="status">
      <Group gap="sm">
        <Loader size="sm" />
        <Text>{t('app.pageLoading')}</Text>
      </Group>
    </Center>
  );
}

/** The loading and failed states of a page's data (nothing once it is ready): the server's words and a retry. */
export function LoadStatus({ state, onRetry }: { state: Loaded<unknown>; onRetry: () => void }) {
  const { t } = useTranslation();
  if (state.status === 'loading') return <PageLoading />;
  if (state.status !== 'error') return null;
  return (
    <Alert color="red" role="alert" data-testid="load-error">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{state.error.message}</Text>
        <Button size="xs" variant="default" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      </Group>
    </Alert>
  );
}
