import { Badge, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useApi, useLoad } from '../api/fhir.tsx';
import { LoadStatus } from '../shell/page-loading.tsx';
import { type AccessLine, actionText, agentText, auditLines } from './access-text.tsx';

/** 谁看过我的档案: the audit trail of the resident's own records, in plain language. */
export default function AccessLogPage() {
  const { t } = useTranslation();
  const api = useApi();
  // The server limits a resident's search to their own records, at every institution.
  const [state, reload] = useLoad(
    async () =>
      auditLines(
        await api<Parameters<typeof auditLines>[0]>(
          'AuditEvent?_sort=-date&_count=200&_include=AuditEvent:agent',
        ),
      ).map((l) => l.line),
    [],
  );
  return (
    <Stack gap="md" maw={1000}>
      <Title order={2}>{t('access.title')}</Title>
      <Text c="dimmed">{t('access.intro')}</Text>
      <LoadStatus state={state} onRetry={reload} />
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
