import { Alert, Button, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session.tsx';
import { LanguageSwitch } from './language-switch.tsx';

/** What a signed-out visitor sees: one button to the platform's own sign-in (OpenID Connect). */
export function SignInPage({ error }: { error?: string }) {
  const { t } = useTranslation();
  const session = useSession();
  return (
    <Center mih="100dvh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" radius="md" maw={420} w="100%">
        <Stack gap="md">
          <Group justify="space-between">
            <Title order={1} size="h2" data-testid="app-title">
              {t('app.title')}
            </Title>
            <LanguageSwitch />
          </Group>
          <Text c="dimmed">{t('auth.intro')}</Text>
          {error && (
            <Alert color="red" title={t('auth.failed')} data-testid="sign-in-error">
              {error}
            </Alert>
          )}
          <Button size="md" onClick={session.signIn} data-testid="sign-in">
            {t('auth.signIn')}
          </Button>
          <Text size="xs" c="dimmed">
            {t('auth.privacy')}
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
