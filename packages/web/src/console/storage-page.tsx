import { Alert, Badge, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useApi, useLoad } from '../api/fhir.tsx';
import { LoadStatus } from '../shell/page-loading.tsx';

/** `StorageHealth` of @yiyun/imaging, as served. */
interface Health {
  status: 'ok' | 'degraded' | 'unavailable';
  backends: { name: string; tier: 'hot' | 'cold'; ok: boolean; detail?: string }[];
  objects: number;
  underReplicated: number;
  replicas: number;
  cipher: string;
}

/** 影像存储状态: the PACS tiers, up or down, degraded mode, replication (`GET /status/storage`). */
export default function StoragePage() {
  const { t } = useTranslation();
  const api = useApi();
  const [state, reload] = useLoad(() => api<Health>('/status/storage'), []);
  return (
    <Stack gap="md" maw={900}>
      <Title order={2}>{t('storage.title')}</Title>
      <LoadStatus state={state} onRetry={reload} />
      {state.status === 'ready' && (
        <>
          <Alert
            color={
              state.value.status === 'ok' ? 'teal' : state.value.status === 'degraded' ? 'orange' : 'red'
            }
            data-testid="storage-state"
            data-status={state.value.status}
          >
            {t(`storage.state.${state.value.status}`)}
          </Alert>
          <Text size="sm">
            {t('storage.summary', {
              objects: state.value.objects,
              under: state.value.underReplicated,
              replicas: state.value.replicas,
              cipher: state.value.cipher,
            })}
          </Text>
          {
            <Paper withBorder>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('storage.backend')}</Table.Th>
                    <Table.Th>{t('storage.tier')}</Table.Th>
                    <Table.Th>{t('storage.status')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {state.value.backends.map((b) => (
                    <Table.Tr key={b.name}>
                      <Table.Td>{b.name}</Table.Td>
                      <Table.Td>{t(`storage.tiers.${b.tier}`)}</Table.Td>
                      <Table.Td>
                        <Badge color={b.ok ? 'teal' : 'red'}>
                          {b.ok ? t('storage.up') : t('storage.down')}
                        </Badge>
                        {b.detail && (
                          <Text size="xs" c="dimmed">
                            {b.detail}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
          }
        </>
      )}
    </Stack>
  );
}
