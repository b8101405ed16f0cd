import { Alert, Badge, Button, Card, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/error-text.tsx';
import { useApi } from '../api/fhir.tsx';
import { useClaims } from '../auth/session.tsx';
import { routeHref } from '../shell/hash-route.tsx';
import { BreakGlassButton } from './break-glass.tsx';
import { maskIdNumber, maskPhone } from './mask.tsx';
import {
  demographics,
  displayName,
  holdersOf,
  identifierValue,
  phoneOf,
  RESIDENT_ID_SYSTEM,
} from './patient-facts.tsx';
import type { AnyResource, Bundle } from './timeline.tsx';

type Search =
  | { status: 'idle' }
  | { status: 'searching' }
  | { status: 'done'; query: string; persons: AnyResource[] }
  | { status: 'error'; message: string };

/** The clinician's search box: name (characters or pinyin), ID number, health card or phone. */
export default function FindPage() {
  const { t } = useTranslation();
  const api = useApi();
  const claims = useClaims();
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState<Search>({ status: 'idle' });
  const canBreakGlass = claims.roles.some((r) => r === 'clinician' || r === 'family-doctor');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const q = query.trim();
    if (!q) return;
    setSearch({ status: 'searching' });
    try {
      const bundle = await api<Bundle>(`Patient/$find-resident?q=${encodeURIComponent(q)}`);
      setSearch({ status: 'done', query: q, persons: (bundle.entry ?? []).flatMap((e) => e.resource ?? []) });
    } catch (err) {
      setSearch({ status: 'error', message: errorText(err) });
    }
  }

  return (
    <Stack gap="md" maw={900}>
      <Title order={2}>{t('find.title')}</Title>
      <form onSubmit={submit} aria-label={t('find.title')}>
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            size="md"
            label={t('find.label')}
            placeholder={t('find.placeholder')}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            data-testid="find-input"
            autoFocus
          />
          <Button type="submit" size="md" data-testid="find-submit" loading={search.status === 'searching'}>
            {t('find.submit')}
          </Button>
        </Group>
      </form>
      {search.status === 'searching' && <Loader size="sm" aria-label={t('app.pageLoading')} />}
      {search.status === 'error' && (
        <Alert color="red" title={t('find.error')}>
          {search.message}
        </Alert>
      )}
      {search.status === 'done' && (
        <Stack gap="sm" data-testid="find-results">
          <Text size="sm" c="dimmed">
            {t('find.results', { count: search.persons.length })}
          </Text>
          {search.persons.map((p) => (
            <PersonCard key={p.id} person={p} />
          ))}
          {search.persons.length === 0 && canBreakGlass && (
            <Alert color="yellow" title={t('find.noneTitle')}>
              <Stack gap="xs">
                <Text size="sm">{t('find.noneHint')}</Text>
                <BreakGlassButton mode="identifier" defaultIdentifier={search.query} />
              </Stack>
            </Alert>
          )}
        </Stack>
      )}
    </Stack>
  );
}

function PersonCard({ person }: { person: AnyResource }) {
  const { t } = useTranslation();
  const id = identifierValue(person, RESIDENT_ID_SYSTEM);
  const phone = phoneOf(person);
  return (
    <Card
      withBorder
      padding="sm"
      component="a"
      href={routeHref('/record', { patient: person.id ?? '' })}
      data-testid="person-card"
    >
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="sm">
          <Text fw={600} size="lg">
            {displayName(person)}
          </Text>
          <Text size="sm" c="dimmed">
            {demographics(person, t)}
          </Text>
        </Group>
        <Group gap="md">
          {id && (
            <Text size="sm" ff="monospace">
              {maskIdNumber(id)}
            </Text>
          )}
          {phone && (
            <Text size="sm" ff="monospace">
              {maskPhone(phone)}
            </Text>
          )}
        </Group>
      </Group>
      <Group gap={6} mt={6}>
        {holdersOf(person).map((h) => (
          <Badge key={h.id} variant="light" size="sm">
            {h.name}
          </Badge>
        ))}
      </Group>
    </Card>
  );
}
