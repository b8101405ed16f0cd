import { Alert, Badge, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useApi, useLoad } from '../api/fhir.tsx';
import { PageLoading } from '../shell/page-loading.tsx';
import {
  type AccessLine,
  type AuditEventLike,
  accessLine,
  actionText,
  agentText,
  directoryNames,
} from './access-text.tsx';

interface SearchBundle {
  entry?: { resource?: AuditEventLike | { resourceType: string; id?: string; name?: unknown } }[];
}

/** 谁看过我的档案: the audit trail of the resident's own records, in plain language. */
export default function AccessLogPage() {
  const { t } = useTranslation();
  const api = useApi();
  const [state] = useLoad(async () => {
    // The server limits a resident's search to their own records, at every institution.
    const bundle = await api<SearchBundle>('AuditEvent?_sort=-date&_count=200&_include=AuditEvent:agent');
    const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
    const names = directoryNames(resources.filter((r) => r.resourceType !== 'AuditEvent') as never);
    return resources
      .filter((r): r is AuditEventLike => r.resourceType === 'AuditEvent')
      .map((e) => accessLine(e, names));
  }, []);
  return (
    <Stack gap="md" maw={1000}>
      <Title order={2}>{t('access.title')}</Title>
      <Text c="dimmed">{t('access.intro')}</Text>
      {state.status === 'loading' && <PageLoading />}
      {state.status === 'error' && <Alert color="red">{state.error.message}</Alert>}
      {state.status === 'ready' && (
        <Paper withBorder>
          {state.value.length === 0 ? (
            <Text p="md">{t('access.none')}</Text>
          ) : (
            <Table striped data-testid="access-log">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('access.when')}</Table.Th>
                  <Table.Th>{t('access.who')}</Table.Th>
                  <Table.Th>{t('access.what')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {state.value.map((line) => (
                  <AccessRow key={line.id} line={line} />
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      )}
    </Stack>
  );
}

function AccessRow({ line }: { line: AccessLine }) {
  const { t, i18n } = useTranslation();
  const when = line.when ? new Date(line.when).toLocaleString(i18n.language, { hour12: false }) : '';
  return (
    <Table.Tr data-testid="access-line" data-emergency={line.emergency}>
      <Table.Td>
        <Text size="sm">{when}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{agentText(line, t) || t('access.system')}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          {actionText(line, t)}{' '}
          {line.emergency && (
            <Badge color="red" size="sm">
              {t('access.emergency')}
            </Badge>
          )}
          {line.failed && (
            <Badge color="gray" size="sm">
              {t('access.refused')}
            </Badge>
          )}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}
