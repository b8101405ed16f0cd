import {
  Alert,
  Badge,
  Button,
  Group,
  MultiSelect,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useLoad } from '../api/fhir.tsx';
import { useClaims } from '../auth/session.tsx';
import { PageLoading } from '../shell/page-loading.tsx';

interface StaffAccount {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  organization?: string;
  disabled: boolean;
}

const INSTITUTION_ROLES = ['clinician', 'family-doctor', 'nurse', 'institution-admin'];
const ALL_ROLES = [...INSTITUTION_ROLES, 'platform-admin', 'public-health-analyst'];

/** 人员管理: staff accounts of the institution (or all, for the operator): create, roles, disable. */
export default function StaffPage() {
  const { t } = useTranslation();
  const api = useApi();
  const claims = useClaims();
  const operator = claims.roles.includes('platform-admin');
  const [state, reload] = useLoad(() => api<{ accounts: StaffAccount[] }>('/admin/staff'), []);
  const [error, setError] = useState<string>();
  const [draft, setDraft] = useState({
    username: '',
    displayName: '',
    password: '',
    organization: '',
    roles: [] as string[],
  });
  async function create(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      await api('/admin/staff', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...draft, ...(operator ? {} : { organization: undefined }) }),
      });
      setDraft({ username: '', displayName: '', password: '', organization: '', roles: [] });
      reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }
  async function setDisabled(id: string, disabled: boolean) {
    setError(undefined);
    try {
      await api(`/admin/staff/${encodeURIComponent(id)}/disabled`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ disabled }),
      });
      reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }
  return (
    <Stack gap="md" maw={1000}>
      <Title order={2}>{t('staff.title')}</Title>
      {error && (
        <Alert color="red" data-testid="staff-error">
          {error}
        </Alert>
      )}
      <Paper withBorder p="md">
        <form onSubmit={(e) => void create(e)}>
          <Stack gap="sm">
            <Text fw={600}>{t('staff.new')}</Text>
            <Group grow wrap="wrap" align="flex-start">
              <TextInput
                label={t('staff.username')}
                value={draft.username}
                onChange={(e) => setDraft({ ...draft, username: e.currentTarget.value })}
                required
                data-testid="staff-username"
              />
              <TextInput
                label={t('staff.displayName')}
                value={draft.displayName}
                onChange={(e) => setDraft({ ...draft, displayName: e.currentTarget.value })}
                required
                data-testid="staff-name"
              />
              <PasswordInput
                label={t('staff.password')}
                description={t('staff.passwordHint')}
                value={draft.password}
                onChange={(e) => setDraft({ ...draft, password: e.currentTarget.value })}
                required
                data-testid="staff-password"
              />
            </Group>
            <Group grow wrap="wrap" align="flex-start">
              <MultiSelect
                label={t('staff.roles')}
                data={(operator ? ALL_ROLES : INSTITUTION_ROLES).map((r) => ({
                  value: r,
                  label: t(`roles.${r}`),
                }))}
                value={draft.roles}
                onChange={(roles) => setDraft({ ...draft, roles })}
                required
                data-testid="staff-roles"
              />
              {operator && (
                <TextInput
                  label={t('staff.organization')}
                  value={draft.organization}
                  onChange={(e) => setDraft({ ...draft, organization: e.currentTarget.value })}
                />
              )}
            </Group>
            <Button type="submit" w="fit-content" data-testid="staff-create">
              {t('staff.create')}
            </Button>
          </Stack>
        </form>
      </Paper>
      {state.status === 'loading' && <PageLoading />}
      {state.status === 'error' && <Alert color="red">{state.error.message}</Alert>}
      {state.status === 'ready' && (
        <Paper withBorder>
          <Table data-testid="staff-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('staff.username')}</Table.Th>
                <Table.Th>{t('staff.displayName')}</Table.Th>
                <Table.Th>{t('staff.roles')}</Table.Th>
                <Table.Th>{t('staff.status')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {state.value.accounts.map((a) => (
                <Table.Tr key={a.id} data-testid="staff-row" data-username={a.username}>
                  <Table.Td>{a.username}</Table.Td>
                  <Table.Td>{a.displayName}</Table.Td>
                  <Table.Td>{a.roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join('、')}</Table.Td>
                  <Table.Td>
                    <Badge color={a.disabled ? 'gray' : 'teal'}>
                      {a.disabled ? t('staff.disabled') : t('staff.active')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {a.id !== claims.subject && (
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => void setDisabled(a.id, !a.disabled)}
                        data-testid="staff-toggle"
                      >
                        {a.disabled ? t('staff.enable') : t('staff.disable')}
                      </Button>
                    )}
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
