import { Center, Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

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
