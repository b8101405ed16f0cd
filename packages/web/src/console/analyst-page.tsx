import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useApi, useLoad } from '../api/fhir.tsx';
import { LoadStatus } from '../shell/page-loading.tsx';

/** Chronic conditions public health follows (ICD-10 categories; counts only, no person is named). */
const INDICATORS = [
  { code: 'I10', key: 'hypertension' },
  { code: 'E11.9', key: 'diabetes' },
  { code: 'J44.9', key: 'copd' },
  { code: 'I25.1', key: 'chd' },
] as const;

/** 公共卫生: counts of chronic-disease diagnoses across the region (`_summary=count` searches). */
export default function AnalystPage() {
  const { t } = useTranslation();
  const api = useApi();
  const [state, reload] = useLoad(
    () =>
      Promise.all(
        INDICATORS.map(async (i) => {
          const b = await api<{ total?: number }>(
            `Condition?code=${encodeURIComponent(i.code)}&_summary=count`,
          );
          return { ...i, total: b.total ?? 0 };
        }),
      ),
    [],
  );
  return (
    <Stack gap="md" maw={900}>
      <Title order={2}>{t('analyst.title')}</Title>
      <Text c="dimmed">{t('analyst.intro')}</Text>
      <LoadStatus state={state} onRetry={reload} />
      {state.status === 'ready' && (
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          {state.value.map((i) => (
            <Paper key={i.code} withBorder p="md" data-testid="indicator">
              <Text size="sm" c="dimmed">
                {t(`analyst.${i.key}`)} ({i.code})
              </Text>
              <Text size="xl" fw={700}>
                {i.total.toLocaleString()}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
