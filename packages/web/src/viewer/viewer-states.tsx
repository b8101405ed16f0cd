import { Alert, Button, Center, Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DicomWebError } from './dicomweb-client.tsx';

export function ViewerLoading({ text }: { text: string }) {
  return (
    <Center h="100%" role="status" data-testid="viewer-loading">
      <Group gap="sm">
        <Loader size="sm" />
        <Text>{text}</Text>
      </Group>
    </Center>
  );
}

/** The error as the user should read it: who-may-see problems differ from broken images. */
export function ViewerError({
  error,
  fallback,
  onRetry,
}: {
  error: unknown;
  fallback: string;
  onRetry?: () => void;
}) {
  const { t } = useTranslation();
  const denied = error instanceof DicomWebError && (error.status === 401 || error.status === 403);
  return (
    <Center h="100%" p="md">
      <Alert
        color="red"
        title={denied ? t('viewer.unauthorized') : fallback}
        data-testid="viewer-error"
        role="alert"
      >
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            {t('viewer.retry')}
          </Button>
        )}
      </Alert>
    </Center>
  );
}
