import { Alert, Button, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/error-text.tsx';
import { type Api, useApi, useLoad } from '../../api/fhir.tsx';
import { LoadStatus } from '../../shell/page-loading.tsx';
import { FactsCard, factsOf, institutionNames, type Part, type RecordFacts } from './record-facts.tsx';

export interface MergeItem {
  readonly id: string;
  /** The merged person (`Patient/{id}`): what `Patient/$unmerge` restores. */
  readonly source: string;
  readonly at: string;
  readonly moved: readonly RecordFacts[];
  readonly target: readonly RecordFacts[];
}

export function mergeItems(params: { parameter?: Part[] }): MergeItem[] {
  return (params.parameter ?? [])
    .filter((p) => p.name === 'merge')
    .map((m) => {
      const parts = m.part ?? [];
      const all = (name: string) => parts.filter((p) => p.name === name).map(factsOf);
      return {
        id: parts.find((p) => p.name === 'id')?.valueString ?? '',
        source: parts.find((p) => p.name === 'source')?.valueReference?.reference ?? '',
        at: parts.find((p) => p.name === 'at')?.valueInstant ?? '',
        moved: all('movedFacts'),
        target: all('targetFacts'),
      };
    });
}

async function loadMerges(api: Api) {
  const items = mergeItems(await api<{ parameter?: Part[] }>('$mpi-merges?_count=20'));
  const names = await institutionNames(
    api,
    items.flatMap((m) => [...m.moved, ...m.target]),
  );
  return { items, names };
}

/** 已合并: merges the steward may undo, the records each moved beside the person they joined. */
export function Merges() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [state, reload] = useLoad(() => loadMerges(api), []);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState(false);
  async function unmerge(source: string) {
    setError(undefined);
    setDone(false);
    try {
      await api('Patient/$unmerge', {
        method: 'POST',
        body: JSON.stringify({
          resourceType: 'Parameters',
          parameter: [{ name: 'source-patient', valueReference: { reference: source } }],
        }),
      });
      setDone(true);
      reload();
    } catch (err) {
      setError(errorText(err));
    }
  }
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Stack gap="md">
      {error && <Alert color="red">{error}</Alert>}
      {done && (
        <Alert color="teal" data-testid="unmerge-done">
          {t('review.unmerged')}
        </Alert>
      )}
      <LoadStatus state={state} onRetry={reload} />
      {state.status === 'ready' && state.value.items.length === 0 && (
        <Text data-testid="merges-empty">{t('review.noMerges')}</Text>
      )}
      {state.status === 'ready' &&
        state.value.items.map((m) => (
          <Card key={m.id} withBorder data-testid="merge-item">
            <Group justify="space-between" mb="xs">
              <Text fw={600}>{t('review.mergedAt', { when: m.at ? when.format(new Date(m.at)) : '' })}</Text>
              <Button
                size="xs"
                variant="default"
                onClick={() => void unmerge(m.source)}
                data-testid="unmerge"
              >
                {t('review.unmerge')}
              </Button>
            </Group>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Stack gap="xs">
                <Text size="sm" c="dimmed">
                  {t('review.moved')}
                </Text>
                {m.moved.map((f) => (
                  <FactsCard key={f.record} facts={f} names={state.value.names} />
                ))}
              </Stack>
              <Stack gap="xs">
                <Text size="sm" c="dimmed">
                  {t('review.joined')}
                </Text>
                {m.target.map((f) => (
                  <FactsCard key={f.record} facts={f} names={state.value.names} />
                ))}
              </Stack>
            </SimpleGrid>
          </Card>
        ))}
    </Stack>
  );
}
