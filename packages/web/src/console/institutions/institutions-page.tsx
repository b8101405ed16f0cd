import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/error-text.tsx';
import { type Api, useApi, useLoad } from '../../api/fhir.tsx';
import { useClaims } from '../../auth/session.tsx';
import type { AnyResource } from '../../record/timeline.tsx';
import { LoadStatus } from '../../shell/page-loading.tsx';
import {
  formOf,
  INSTITUTION_KINDS,
  type InstitutionForm,
  type InstitutionKind,
  organizationOf,
  USCC_PATTERN,
} from './institution-form.tsx';
import { regionInstitutions } from './institution-options.tsx';

const KINDS = Object.keys(INSTITUTION_KINDS) as InstitutionKind[];

/** The operator: every institution of the region; an institution admin: their own. */
async function loadInstitutions(api: Api, own: string | undefined): Promise<AnyResource[]> {
  if (own) return [await api<AnyResource>(`Organization/${encodeURIComponent(own)}`)];
  return regionInstitutions(api);
}

/** 机构管理: the region's institutions (the operator creates and edits them; an admin edits their own). */
export default function InstitutionsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const claims = useClaims();
  const operator = claims.roles.includes('platform-admin');
  const own = operator ? undefined : claims.organization;
  const [state, reload] = useLoad(() => loadInstitutions(api, own), [own]);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<AnyResource | 'new'>();
  const kindLabel = (kind: string) => (kind ? t(`institutions.kinds.${kind}`) : '—');
  const shown =
    state.status === 'ready'
      ? state.value.filter((o) => !filter.trim() || String(o['name'] ?? '').includes(filter.trim()))
      : [];
  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between">
        <Title order={2}>{t('institutions.title')}</Title>
        {operator && (
          <Button onClick={() => setEditing('new')} data-testid="institution-new">
            {t('institutions.new')}
          </Button>
        )}
      </Group>
      {operator && (
        <TextInput
          placeholder={t('institutions.filter')}
          aria-label={t('institutions.filter')}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          maw={360}
          data-testid="institution-filter"
        />
      )}
      <LoadStatus state={state} onRetry={reload} />
      {state.status === 'ready' && (
        <Paper withBorder style={{ overflowX: 'auto' }}>
          <Table data-testid="institution-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('institutions.name')}</Table.Th>
                <Table.Th>{t('institutions.kind')}</Table.Th>
                <Table.Th>{t('institutions.uscc')}</Table.Th>
                <Table.Th>{t('institutions.address')}</Table.Th>
                <Table.Th>{t('staff.status')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((org) => {
                const f = formOf(org);
                return (
                  <Table.Tr key={org.id} data-testid="institution-row" data-id={org.id}>
                    <Table.Td>{f.name}</Table.Td>
                    <Table.Td>{kindLabel(f.kind)}</Table.Td>
                    <Table.Td ff="monospace">{f.uscc || '—'}</Table.Td>
                    <Table.Td>{f.address || '—'}</Table.Td>
                    <Table.Td>
                      <Badge color={f.active ? 'teal' : 'gray'}>
                        {f.active ? t('staff.active') : t('institutions.inactive')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => setEditing(org)}
                        data-testid="institution-edit"
                      >
                        {t('staff.edit')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {editing && (
        <InstitutionEditor
          base={editing === 'new' ? undefined : editing}
          parents={state.status === 'ready' ? state.value : []}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            reload();
          }}
        />
      )}
    </Stack>
  );
}

function InstitutionEditor(props: {
  base: AnyResource | undefined;
  parents: readonly AnyResource[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [form, setForm] = useState<InstitutionForm>(() => formOf(props.base));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<InstitutionForm>) => setForm({ ...form, ...patch });
  const usccInvalid = form.uscc !== '' && !USCC_PATTERN.test(form.uscc.trim());
  async function save(e: FormEvent) {
    e.preventDefault();
    if (usccInvalid) return;
    setError(undefined);
    setBusy(true);
    try {
      const labels = Object.fromEntries(KINDS.map((k) => [k, t(`institutions.kinds.${k}`)])) as Record<
        InstitutionKind,
        string
      >;
      const resource = organizationOf(form, labels, props.base);
      const id = props.base?.id;
      await api(id ? `Organization/${encodeURIComponent(id)}` : 'Organization', {
        method: id ? 'PUT' : 'POST',
        body: JSON.stringify(resource),
      });
      props.onSaved();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={
        props.base ? t('institutions.editTitle', { name: formOf(props.base).name }) : t('institutions.new')
      }
      size="lg"
    >
      <form onSubmit={(e) => void save(e)}>
        <Stack gap="sm">
          {error && (
            <Alert color="red" data-testid="institution-error">
              {error}
            </Alert>
          )}
          <TextInput
            label={t('institutions.name')}
            value={form.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
            required
            data-testid="institution-name"
          />
          <Group grow align="flex-start" wrap="wrap">
            <TextInput
              label={t('institutions.uscc')}
              value={form.uscc}
              onChange={(e) => set({ uscc: e.currentTarget.value.toUpperCase() })}
              error={usccInvalid ? t('institutions.usccInvalid') : undefined}
              ff="monospace"
              data-testid="institution-uscc"
            />
            <Select
              label={t('institutions.kind')}
              data={KINDS.map((k) => ({ value: k, label: t(`institutions.kinds.${k}`) }))}
              value={form.kind || null}
              onChange={(v) => set({ kind: (v ?? '') as InstitutionKind | '' })}
              data-testid="institution-kind"
            />
          </Group>
          <Group grow align="flex-start" wrap="wrap">
            <TextInput
              label={t('institutions.phone')}
              value={form.phone}
              onChange={(e) => set({ phone: e.currentTarget.value })}
              inputMode="tel"
            />
            <Select
              label={t('institutions.partOf')}
              data={props.parents
                .filter((o) => o.id && o.id !== props.base?.id)
                .map((o) => ({ value: o.id ?? '', label: String(o['name'] ?? o.id) }))}
              value={form.partOf || null}
              onChange={(v) => set({ partOf: v ?? '' })}
              searchable
              clearable
            />
          </Group>
          <TextInput
            label={t('institutions.address')}
            value={form.address}
            onChange={(e) => set({ address: e.currentTarget.value })}
            data-testid="institution-address"
          />
          <Switch
            label={t('institutions.active')}
            checked={form.active}
            onChange={(e) => set({ active: e.currentTarget.checked })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy} data-testid="institution-save">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
