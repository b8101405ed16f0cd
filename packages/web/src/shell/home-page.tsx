import { Container, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Placeholder until issue #7 adds sign-in, resident search and the regional record. */
export function HomePage() {
  const { t } = useTranslation();
  return (
    <Container size="sm" py="xl">
      <Stack gap="sm">
        <Title order={2}>{t('app.welcome')}</Title>
        <Text c="dimmed">{t('app.homeIntro')}</Text>
      </Stack>
    </Container>
  );
}
