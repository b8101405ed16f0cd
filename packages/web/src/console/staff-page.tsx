import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/error-text.tsx';
import { type Api, useApi, useLoad } from '../api/fhir.tsx';
import { useClaims } from '../auth/session.tsx';
import { LoadStatus } from '../shell/page-loading.tsx';
import { institutionOptions } from './institutions/institution-options.tsx';

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

const post = (api: Api, path: string, body: unknown) =>
  api<StaffAccount>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const EMPTY_DRAFT = { username: '', displayName: '', password: '', organization: '', roles: [] as string[] };

async function loadStaff(api: Api, operator: boolean) {
  const [{ accounts }, institutions] = await Promise.all([
    api<{ accounts: StaffAccount[] }>('/admin/staff'),
    operator ? institutionOptions(api) : Promise.resolve([]),
  ]);
  return { accounts, institutions };
}

/** 人员管理: staff accounts of the institution (or all, for the operator): create, roles, password, disable. */
export default function StaffPage() {
  const { t } = useTranslation();
  const api = useApi();
  const claims = useClaims();
  const operator = claims.roles.includes('platform-admin');
  const roleOptions = (operator ? ALL_ROLES : INSTITUTION_ROLES).map((r) => ({
    value: r,
    label: t(`roles.${r}`),
  }));
  const [state, reload] = useLoad(() => loadStaff(api, operator), [operator]);
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<StaffAccount>();
  const [draft, setDraft] = useState(EMPTY_DRAFT);
  /** Runs a change and reloads the list; returns the server's words when it refuses. */
  async function attempt(change: () => Promise<unknown>): Promise<string | undefined> {
    try {
      await change();
      reload();
      return undefined;
    } catch (err) {
      return errorText(err);
    }
  }
  /** `attempt`, its refusal shown above the form. */
  async function act(change: () => Promise<unknown>): Promise<string | undefined> {
    setError(undefined);
    const refused = await attempt(change);
    setError(refused);
    return refused;
  }
  async function create(e: FormEvent) {
    e.preventDefault();
    const body = { ...draft, ...(operator && draft.organization ? {} : { organization: undefined }) };
    if (!(await act(() => post(api, '/admin/staff', body)))) setDraft(EMPTY_DRAFT);
  }
  const names = new Map(
    state.status === 'ready' ? state.value.institutions.map((o) => [o.value, o.label]) : [],
  );
  return (
    <Stack gap="md" maw={1100}>
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
                data={roleOptions}
                value={draft.roles}
                onChange={(roles) => setDraft({ ...draft, roles })}
                required
                data-testid="staff-roles"
              />
              {operator && (
                <Select
                  label={t('staff.organization')}
                  data={state.status === 'ready' ? state.value.institutions : []}
                  value={draft.organization || null}
                  onChange={(v) => setDraft({ ...draft, organization: v ?? '' })}
                  searchable
                  clearable
                  data-testid="staff-organization"
                />
              )}
            </Group>
            <Button type="submit" w="fit-content" data-testid="staff-create">
              {t('staff.create')}
            </Button>
          </Stack>
        </form>
      </Paper>
      <LoadStatus state={state} onRetry={reload} />
      {state.status === 'ready' && (
        <Paper withBorder style={{ overflowX: 'auto' }}>
          <Table data-testid="staff-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('staff.username')}</Table.Th>
                <Table.Th>{t('staff.displayName')}</Table.Th>
                {operator && <Table.Th>{t('staff.institution')}</Table.Th>}
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
                  {operator && (
                    <Table.Td>
                      {a.organization ? (names.get(a.organization) ?? a.organization) : '—'}
                    </Table.Td>
                  )}
                  <Table.Td data-testid="staff-row-roles">
                    {a.roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join('、')}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={a.disabled ? 'gray' : 'teal'}>
                      {a.disabled ? t('staff.disabled') : t('staff.active')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {a.id !== claims.subject && (
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => setEditing(a)}
                          data-testid="staff-edit"
                        >
                          {t('staff.edit')}
                        </Button>
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() =>
                            void act(() =>
                              post(api, `/admin/staff/${encodeURIComponent(a.id)}/disabled`, {
                                disabled: !a.disabled,
                              }),
                            )
                          }
                          data-testid="staff-toggle"
                        >
                          {a.disabled ? t('staff.enable') : t('staff.disable')}
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {editing && (
        <StaffEditor
          account={editing}
          roleOptions={roleOptions}
          onClose={() => setEditing(undefined)}
          onSave={(path, body) =>
            attempt(() => post(api, `/admin/staff/${encodeURIComponent(editing.id)}/${path}`, body))
          }
        />
      )}
    </Stack>
  );
}

/** 编辑人员: the account's roles, and a new password set by the administrator. */
function StaffEditor(props: {
  account: StaffAccount;
  roleOptions: { value: string; label: string }[];
  onClose: () => void;
  /** Returns the server's words when it refuses. */
  onSave: (path: 'roles' | 'password', body: unknown) => Promise<string | undefined>;
}) {
  const { t } = useTranslation();
  const { account } = props;
  const [roles, setRoles] = useState(account.roles);
  const [password, setPassword] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  async function save(path: 'roles' | 'password', body: unknown, message: string) {
    setOutcome(undefined);
    const refused = await props.onSave(path, body);
    setOutcome(refused ? { ok: false, text: refused } : { ok: true, text: message });
    if (!refused && path === 'password') setPassword('');
  }
  return (
    <Modal opened onClose={props.onClose} title={t('staff.editTitle', { name: account.displayName })}>
      <Stack gap="md">
        {outcome && (
          <Alert
            color={outcome.ok ? 'teal' : 'red'}
            data-testid={outcome.ok ? 'staff-saved' : 'staff-edit-error'}
          >
            {outcome.text}
          </Alert>
        )}
        <Stack gap="xs">
          <MultiSelect
            label={t('staff.roles')}
            data={props.roleOptions}
            value={roles}
            onChange={setRoles}
            data-testid="staff-edit-roles"
          />
          <Button
            w="fit-content"
            disabled={roles.length === 0}
            onClick={() => void save('roles', { roles }, t('staff.rolesSaved'))}
            data-testid="staff-save-roles"
          >
            {t('staff.saveRoles')}
          </Button>
        </Stack>
        <Stack gap="xs">
          <PasswordInput
            label={t('staff.newPassword')}
            description={t('staff.passwordHint')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            data-testid="staff-new-password"
          />
          <Button
            w="fit-content"
            variant="default"
            disabled={password.length === 0}
            onClick={() => void save('password', { password }, t('staff.passwordReset'))}
            data-testid="staff-reset-password"
          >
            {t('staff.resetPassword')}
          </Button>
        </Stack>
      </Stack>
    </Modal>
  );
}
