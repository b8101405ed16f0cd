import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/error-text.tsx';
import { useApi, useLoad } from '../api/fhir.tsx';
import { useClaims } from '../auth/session.tsx';
import { actionText, agentText, auditLines } from '../portal/access-text.tsx';
import { LoadStatus } from '../shell/page-loading.tsx';

interface Filters {
  readonly since: string;
  readonly patient: string;
  readonly agent: string;
}

function query(f: Filters): string {
  const q = new URLSearchParams({ _sort: '-date', _count: '100', _include: 'AuditEvent:agent' });
  if (f.since) q.set('date', `ge${f.since}`);
  if (f.patient) q.set('patient', f.patient.includes('/') ? f.patient : `Patient/${f.patient}`);
  if (f.agent) q.set('agent', f.agent);
  return `AuditEvent?${q}`;
}

interface ChainReport {
  parameter?: {
    name: string;
    valueBoolean?: boolean;
    valueInteger?: number;
    valueString?: string;
    valueInstant?: string;
  }[];
}

/** The hash chain's state, checked on demand (it reads every sealed batch): the operator's button. */
function ChainStatus() {
  const { t } = useTranslation();
  const api = useApi();
  const [report, setReport] = useState<ChainReport>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const value = (name: string) => report?.parameter?.find((p) => p.name === name);
  async function verify() {
    setBusy(true);
    setError(undefined);
    try {
      setReport(await api<ChainReport>('$audit-verify'));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  const ok = value('ok')?.valueBoolean;
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" wrap="wrap">
        <Text size="sm">{t('audit.chainIntro')}</Text>
        <Button
          size="xs"
          variant="light"
          onClick={() => void verify()}
          loading={busy}
          data-testid="audit-verify"
        >
          {t('audit.verify')}
        </Button>
      </Group>
      {error && (
        <Alert color="red" mt="xs">
          {error}
        </Alert>
      )}
      {report && (
        <Alert color={ok ? 'teal' : 'red'} mt="xs" data-testid="audit-chain" data-ok={ok}>
          {ok
            ? t('audit.chainOk')
            : t('audit.chainBroken', { problem: value('firstProblem')?.valueString ?? '' })}{' '}
          {t('audit.chainFigures', {
            batches: value('batches')?.valueInteger ?? 0,
            sealed: value('sealedEvents')?.valueInteger ?? 0,
            unsealed: value('unsealedEvents')?.valueInteger ?? 0,
          })}
          {value('head') && (
            <Text size="xs" ff="monospace" mt={4}>
              {t('audit.head')} {value('head')?.valueString}
            </Text>
          )}
        </Alert>
      )}
    </Paper>
  );
}

/** 审计日志: the hash-chained audit trail, newest first, filtered by date, resident and agent. */
export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const claims = useClaims();
  const [draft, setDraft] = useState<Filters>({ since: '', patient: '', agent: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [state, reload] = useLoad(
    async () => auditLines(await api<Parameters<typeof auditLines>[0]>(query(filters))),
    [filters],
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
  };
  return (
    <Stack gap="md">
      <Title order={2}>{t('audit.title')}</Title>
      {claims.roles.includes('platform-admin') && <ChainStatus />}
      <form onSubmit={submit}>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            type="date"
            label={t('audit.since')}
            value={draft.since}
            onChange={(e) => setDraft({ ...draft, since: e.currentTarget.value })}
          />
          <TextInput
            label={t('audit.patient')}
            value={draft.patient}
            onChange={(e) => setDraft({ ...draft, patient: e.currentTarget.value })}
          />
          <TextInput
            label={t('audit.agent')}
            value={draft.agent}
            onChange={(e) => setDraft({ ...draft, agent: e.currentTarget.value })}
          />
          <Button type="submit">{t('audit.apply')}</Button>
        </Group>
      </form>
      <LoadStatus state={state} onRetry={reload} />
      {state.status === 'ready' && (
        <Paper withBorder style={{ overflowX: 'auto' }}>
          <Table striped data-testid="audit-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('access.when')}</Table.Th>
                <Table.Th>{t('access.who')}</Table.Th>
                <Table.Th>{t('access.what')}</Table.Th>
                <Table.Th>{t('audit.outcome')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {state.value.map(({ line, event }) => (
                <Table.Tr key={line.id}>
                  <Table.Td>
                    <Text size="sm">
                      {line.when ? new Date(line.when).toLocaleString(i18n.language, { hour12: false }) : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{agentText(line, t)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {actionText(line, t)}{' '}
                      {line.emergency && (
                        <Badge color="red" size="sm">
                          {t('access.emergency')}
                        </Badge>
                      )}
                      {event.meta?.tag?.some((tag) => tag.code === 'review-required') && (
                        <Badge color="orange" size="sm">
                          {t('audit.reviewRequired')}
                        </Badge>
                      )}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={line.failed ? 'gray' : 'teal'} size="sm">
                      {line.failed ? t('access.refused') : t('audit.success')}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}
