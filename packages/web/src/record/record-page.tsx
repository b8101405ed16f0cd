import {
  Alert,
  Button,
  Chip,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/error-text.tsx';
import { type Api, ApiError, useApi, useLoad } from '../api/fhir.tsx';
import { useClaims } from '../auth/session.tsx';
import { routeHref } from '../shell/hash-route.tsx';
import { PageLoading } from '../shell/page-loading.tsx';
import { BreakGlassButton } from './break-glass.tsx';
import { maskIdNumber, maskPhone } from './mask.tsx';
import { demographics, displayName, identifierValue, phoneOf, RESIDENT_ID_SYSTEM } from './patient-facts.tsx';
import {
  type AnyResource,
  type Bundle,
  buildRecord,
  ENTRY_KINDS,
  type EntryKind,
  filterEntries,
  institutionSummaries,
  type RegionalRecord,
  type TimelineEntry,
} from './timeline.tsx';
import { TrendChart } from './trend-chart.tsx';
import { buildTrends } from './trends.tsx';
import { VirtualList } from './virtual-list.tsx';

const ROW = 60;
/** One request for the whole record (issue #7: ≤ 2 round trips); larger records page on. */
const EVERYTHING_COUNT = 5000;

interface Loaded {
  readonly person: AnyResource;
  readonly record: RegionalRecord;
  readonly roundTrips: number;
}

async function loadRecord(api: Api, id: string): Promise<Loaded> {
  // 1: the person (a record id leads to its regional person through the registry's refer link).
  const first = await api<AnyResource>(`Patient/${encodeURIComponent(id)}`);
  const golden = first.meta?.tag?.some((t) => t.code === 'golden');
  const refer = (first['link'] as { type?: string; other?: { reference?: string } }[] | undefined)?.find(
    (l) => l.type === 'refer',
  )?.other?.reference;
  const personId = golden ? id : (refer?.replace('Patient/', '') ?? id);
  const person = golden || !refer ? first : await api<AnyResource>(`Patient/${encodeURIComponent(personId)}`);
  // 2: everything of every institution the viewer may see.
  let bundle = await api<Bundle & { link?: { relation: string; url: string }[] }>(
    `Patient/${encodeURIComponent(personId)}/$everything?_count=${EVERYTHING_COUNT}`,
  );
  let roundTrips = golden || !refer ? 2 : 3;
  const entries = [...(bundle.entry ?? [])];
  for (let next = bundle.link?.find((l) => l.relation === 'next')?.url; next; ) {
    const url = new URL(next);
    bundle = await api(`${url.pathname}${url.search}`);
    roundTrips++;
    entries.push(...(bundle.entry ?? []));
    next = bundle.link?.find((l) => l.relation === 'next')?.url;
  }
  return { person, record: buildRecord({ resourceType: 'Bundle', entry: entries }), roundTrips };
}

/** The regional record of a person: every institution's entries the viewer may see, in one timeline. */
export default function RecordPage({ patient, own = false }: { patient: string; own?: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const [state, reload] = useLoad(() => loadRecord(api, patient), [patient]);
  if (state.status === 'loading') return <PageLoading />;
  if (state.status === 'error') {
    const hidden = state.error instanceof ApiError && state.error.status === 404;
    return (
      <Stack maw={700}>
        <Alert color={hidden ? 'yellow' : 'red'} title={hidden ? t('record.notVisible') : t('record.error')}>
          {hidden ? t('record.notVisibleHint') : state.error.message}
        </Alert>
        {hidden && !own && <BreakGlassButton mode="patient" patient={patient} onGranted={reload} />}
        <Button variant="default" onClick={reload} w="fit-content">
          {t('common.retry')}
        </Button>
      </Stack>
    );
  }
  return <RecordView loaded={state.value} own={own} onGranted={reload} />;
}

function RecordView({ loaded, own, onGranted }: { loaded: Loaded; own: boolean; onGranted: () => void }) {
  const { t } = useTranslation();
  const claims = useClaims();
  const { person, record } = loaded;
  const [kinds, setKinds] = useState<string[]>([]);
  const [institution, setInstitution] = useState<string | null>(null);
  const [range, setRange] = useState('all');
  const since = useMemo(() => {
    if (range === 'all') return undefined;
    const d = new Date();
    d.setFullYear(d.getFullYear() - Number(range));
    return d.toISOString().slice(0, 10);
  }, [range]);
  const entries = useMemo(
    () =>
      filterEntries(record.entries, {
        kinds: new Set(kinds as EntryKind[]),
        ...(institution ? { institution } : {}),
        ...(since ? { since } : {}),
      }),
    [record, kinds, institution, since],
  );
  const trends = useMemo(() => buildTrends(record.entries).slice(0, 6), [record]);
  const canBreakGlass = !own && claims.roles.some((r) => r === 'clinician' || r === 'family-doctor');
  const firstRecord = record.records[0]?.id;
  return (
    <Stack gap="md">
      <PersonHeader person={person} />
      {own && <MyInstitutions record={record} onPick={setInstitution} />}
      {!own && (
        <Alert color="gray" variant="light" data-testid="withheld-notice">
          <Group justify="space-between" wrap="wrap">
            <Text size="sm">{t('record.withheld')}</Text>
            {canBreakGlass && firstRecord && (
              <BreakGlassButton mode="patient" patient={firstRecord} onGranted={onGranted} />
            )}
          </Group>
        </Alert>
      )}
      {trends.length > 0 && (
        <section aria-label={t('trend.title')}>
          <Title order={3} size="h4" mb="xs">
            {t('trend.title')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
            {trends.map((trend) => (
              <TrendChart key={trend.code} trend={trend} />
            ))}
          </SimpleGrid>
        </section>
      )}
      <section aria-label={t('record.timeline')}>
        <Group justify="space-between" mb="xs" wrap="wrap" gap="xs">
          <Title order={3} size="h4">
            {t('record.timeline')}
          </Title>
          <Text size="sm" c="dimmed" data-testid="entry-count">
            {t('record.entries', { count: entries.length })}
          </Text>
        </Group>
        <Stack gap="xs" mb="xs">
          <Chip.Group multiple value={kinds} onChange={setKinds}>
            <Group gap={6}>
              {ENTRY_KINDS.filter((k) => record.entries.some((e) => e.kind === k)).map((k) => (
                <Chip key={k} value={k} size="xs" wrapperProps={{ 'data-testid': `kind-${k}` }}>
                  {t(`kind.${k}`)}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          <Group gap="sm" wrap="wrap">
            <Select
              size="xs"
              placeholder={t('record.allInstitutions')}
              aria-label={t('record.institution')}
              clearable
              value={institution}
              onChange={setInstitution}
              data={[...record.institutions].map(([id, name]) => ({ value: id, label: name }))}
              w={240}
            />
            <SegmentedControl
              size="xs"
              value={range}
              onChange={setRange}
              aria-label={t('record.period')}
              data={[
                { value: 'all', label: t('record.periodAll') },
                { value: '1', label: t('record.periodYears', { count: 1 }) },
                { value: '3', label: t('record.periodYears', { count: 3 }) },
                { value: '5', label: t('record.periodYears', { count: 5 }) },
              ]}
            />
          </Group>
        </Stack>
        <Paper withBorder radius="sm">
          {entries.length === 0 ? (
            <Text p="md" c="dimmed">
              {t('record.empty')}
            </Text>
          ) : (
            <VirtualList
              items={entries}
              rowHeight={ROW}
              height={Math.min(entries.length * ROW, 560)}
              itemKey={(e) => e.key}
              label={t('record.timeline')}
              render={(e) => <EntryRow entry={e} institutions={record.institutions} />}
            />
          )}
        </Paper>
      </section>
    </Stack>
  );
}

// Rows are plain elements with static styles: a scroll step re-renders ~30 of them, and Mantine's
// style-prop components cost several times more per row (measured in the 2,000-entry e2e run).
const ROW_STYLE = {
  display: 'flex',
  alignItems: 'center',
  gap: 12,
  height: ROW,
  padding: '0 12px',
  borderBottom: '1px solid var(--mantine-color-gray-2)',
  fontSize: 'var(--mantine-font-size-sm)',
} as const;
const DATE_STYLE = {
  width: 78,
  flexShrink: 0,
  fontSize: 'var(--mantine-font-size-xs)',
  color: 'var(--mantine-color-dimmed)',
} as const;
const KIND_STYLE = {
  width: 64,
  flexShrink: 0,
  textAlign: 'center',
  fontSize: 11,
  border: '1px solid var(--mantine-color-teal-6)',
  color: 'var(--mantine-color-teal-7)',
  borderRadius: 10,
  padding: '1px 4px',
} as const;
const TEXT_STYLE = { flex: 1, minWidth: 0, overflow: 'hidden' } as const;
const LINE_STYLE = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' } as const;
const DETAIL_STYLE = {
  ...LINE_STYLE,
  fontSize: 'var(--mantine-font-size-xs)',
  color: 'var(--mantine-color-dimmed)',
} as const;
const ORG_STYLE = {
  flexShrink: 0,
  maxWidth: 200,
  ...LINE_STYLE,
  fontSize: 11,
  background: 'var(--mantine-color-teal-light)',
  color: 'var(--mantine-color-teal-light-color)',
  borderRadius: 10,
  padding: '2px 8px',
} as const;

const EntryRow = memo(function EntryRow({
  entry,
  institutions,
}: {
  entry: TimelineEntry;
  institutions: ReadonlyMap<string, string>;
}) {
  const { t } = useTranslation();
  const org = entry.institution?.replace('Organization/', '');
  return (
    <div style={ROW_STYLE} data-testid="timeline-entry" data-kind={entry.kind}>
      <span style={DATE_STYLE}>{entry.date.slice(0, 10)}</span>
      <span style={KIND_STYLE}>{t(`kind.${entry.kind}`)}</span>
      <div style={TEXT_STYLE}>
        <div style={LINE_STYLE}>
          {entry.studyUid ? (
            <a href={routeHref('/viewer', { study: entry.studyUid })} data-testid="open-image">
              {entry.title || t('kind.imaging')}
            </a>
          ) : (
            entry.title
          )}
        </div>
        {entry.detail && <div style={DETAIL_STYLE}>{entry.detail}</div>}
      </div>
      {org && <span style={ORG_STYLE}>{institutions.get(org) ?? org}</span>}
    </div>
  );
});

/** Name, sex, age; ID number and phone masked until revealed (an explicit read, in the audit trail). */
/** 我的就诊机构: where the resident's record is held; picking one filters the timeline to it. */
function MyInstitutions({ record, onPick }: { record: RegionalRecord; onPick: (id: string) => void }) {
  const { t } = useTranslation();
  const summaries = useMemo(() => institutionSummaries(record), [record]);
  if (summaries.length === 0) return null;
  return (
    <section aria-label={t('record.myInstitutions')}>
      <Title order={3} size="h4" mb="xs">
        {t('record.myInstitutions')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" data-testid="my-institutions">
        {summaries.map((s) => (
          <UnstyledButton
            key={s.id}
            onClick={() => onPick(s.id)}
            data-testid="my-institution"
            style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4, padding: 12 }}
          >
            <Text fw={600}>{s.name}</Text>
            <Text size="sm" c="dimmed">
              {t('record.institutionSummary', { count: s.entries, latest: s.latest.slice(0, 10) || '—' })}
            </Text>
          </UnstyledButton>
        ))}
      </SimpleGrid>
    </section>
  );
}

function PersonHeader({ person }: { person: AnyResource }) {
  const { t } = useTranslation();
  const api = useApi();
  const [revealed, setRevealed] = useState<AnyResource>();
  const [error, setError] = useState<string>();
  const id = identifierValue(revealed ?? person, RESIDENT_ID_SYSTEM);
  const phone = phoneOf(revealed ?? person);
  async function reveal() {
    try {
      setRevealed(
        await api<AnyResource>(`Patient/${encodeURIComponent(person.id ?? '')}?_elements=identifier,telecom`),
      );
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <Paper withBorder p="md" radius="sm">
      <Group justify="space-between" wrap="wrap">
        <Group gap="md">
          <Title order={2} data-testid="person-name">
            {displayName(person)}
          </Title>
          <Text c="dimmed">{demographics(person, t, true)}</Text>
        </Group>
        <Group gap="md">
          {id && (
            <Text ff="monospace" data-testid="person-id">
              {revealed ? id : maskIdNumber(id)}
            </Text>
          )}
          {phone && (
            <Text ff="monospace" data-testid="person-phone">
              {revealed ? phone : maskPhone(phone)}
            </Text>
          )}
          {!revealed && (id || phone) && (
            <Button size="xs" variant="subtle" onClick={() => void reveal()} data-testid="reveal">
              {t('record.reveal')}
            </Button>
          )}
        </Group>
      </Group>
      {error && (
        <Text c="red" size="sm">
          {error}
        </Text>
      )}
    </Paper>
  );
}
