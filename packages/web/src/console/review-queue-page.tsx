import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Api, useApi, useLoad } from '../api/fhir.tsx';
import type { AnyResource } from '../record/timeline.tsx';
import { PageLoading } from '../shell/page-loading.tsx';

interface Part {
  name: string;
  valueString?: string;
  valueCode?: string;
  valueDecimal?: number;
  valueReference?: { reference?: string };
  part?: Part[];
}

/** One side of a possible match, as the registry normalised it (ID number and phone masked). */
export type RecordFacts = Readonly<
  Partial<Record<'name' | 'birthDate' | 'gender' | 'custodian' | 'residentId' | 'phone', string>>
>;

export interface ReviewItem {
  readonly id: string;
  readonly patient: string;
  readonly candidate: string;
  readonly sides: readonly [RecordFacts, RecordFacts];
  readonly probability: number;
  readonly evidence: readonly { field: string; level: string; weight: number }[];
}

export function reviewItems(params: { parameter?: Part[] }): ReviewItem[] {
  return (params.parameter ?? [])
    .filter((p) => p.name === 'item')
    .map((item) => {
      const part = (name: string) => item.part?.find((p) => p.name === name);
      const facts = (name: string): RecordFacts =>
        Object.fromEntries((part(name)?.part ?? []).map((p) => [p.name, p.valueString ?? '']));
      return {
        sides: [facts('patientFacts'), facts('candidateFacts')] as const,
        id: part('id')?.valueString ?? '',
        patient: part('patient')?.valueReference?.reference ?? '',
        candidate: part('candidate')?.valueReference?.reference ?? '',
        probability: part('probability')?.valueDecimal ?? 0,
        evidence: (item.part ?? [])
          .filter((p) => p.name === 'evidence')
          .map((e) => ({
            field: e.part?.find((p) => p.name === 'field')?.valueCode ?? '',
            level: e.part?.find((p) => p.name === 'level')?.valueCode ?? '',
            weight: e.part?.find((p) => p.name === 'weight')?.valueDecimal ?? 0,
          })),
      };
    });
}

async function loadQueue(api: Api) {
  const items = reviewItems(await api<{ parameter?: Part[] }>('$mpi-review-queue?status=open&_count=20'));
  const orgs = [...new Set(items.flatMap((i) => i.sides.map((s) => s.custodian ?? '')).filter(Boolean))];
  const bundle = orgs.length
    ? await api<{ entry?: { resource?: AnyResource }[] }>(
        `Organization?_id=${orgs.join(',')}&_count=${orgs.length}`,
      )
    : { entry: [] };
  const names = new Map(
    (bundle.entry ?? []).flatMap((e) =>
      e.resource?.id ? [[e.resource.id, String(e.resource['name'] ?? e.resource.id)]] : [],
    ),
  );
  return { items, names: names as Map<string, string> };
}

/** 居民主索引审核: possible duplicates side by side, with the evidence for each field. */
export default function ReviewQueuePage() {
  const { t } = useTranslation();
  const api = useApi();
  const [state, reload] = useLoad(() => loadQueue(api), []);
  const [error, setError] = useState<string>();
  async function decide(item: string, decision: 'link' | 'reject') {
    setError(undefined);
    try {
      await api('$mpi-review-decide', {
        method: 'POST',
        body: JSON.stringify({
          resourceType: 'Parameters',
          parameter: [
            { name: 'item', valueString: item },
            { name: 'decision', valueCode: decision },
          ],
        }),
      });
      reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }
  return (
    <Stack gap="md" maw={1100}>
      <Title order={2}>{t('review.title')}</Title>
      {error && <Alert color="red">{error}</Alert>}
      {state.status === 'loading' && <PageLoading />}
      {state.status === 'error' && <Alert color="red">{state.error.message}</Alert>}
      {state.status === 'ready' && state.value.items.length === 0 && <Text>{t('review.empty')}</Text>}
      {state.status === 'ready' &&
        state.value.items.map((item) => (
          <Card key={item.id} withBorder data-testid="review-item">
            <Group justify="space-between" mb="xs">
              <Text fw={600}>{t('review.probability', { value: (item.probability * 100).toFixed(1) })}</Text>
              <Group gap="xs">
                <Button size="xs" onClick={() => void decide(item.id, 'link')} data-testid="review-link">
                  {t('review.link')}
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => void decide(item.id, 'reject')}
                  data-testid="review-reject"
                >
                  {t('review.reject')}
                </Button>
              </Group>
            </Group>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {item.sides.map((facts, i) => (
                <FactsCard
                  key={i === 0 ? item.patient : item.candidate}
                  facts={facts}
                  names={state.value.names}
                />
              ))}
            </SimpleGrid>
            <Table mt="sm" withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('review.field')}</Table.Th>
                  <Table.Th>{t('review.level')}</Table.Th>
                  <Table.Th>{t('review.weight')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {item.evidence.map((e) => (
                  <Table.Tr key={e.field}>
                    <Table.Td>{t(`review.fields.${e.field}`, { defaultValue: e.field })}</Table.Td>
                    <Table.Td>{t(`review.levels.${e.level}`, { defaultValue: e.level })}</Table.Td>
                    <Table.Td>
                      <Badge color={e.weight >= 0 ? 'teal' : 'red'} variant="light">
                        {e.weight >= 0 ? '+' : ''}
                        {e.weight.toFixed(2)}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        ))}
    </Stack>
  );
}

function FactsCard({ facts, names }: { facts: RecordFacts; names: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2} p="xs" bg="gray.0" style={{ borderRadius: 4 }}>
      <Text fw={600}>{facts.name ?? '—'}</Text>
      <Text size="sm">
        {[facts.gender ? t(`gender.${facts.gender}`) : '', facts.birthDate ?? ''].filter(Boolean).join(' · ')}
      </Text>
      {facts.residentId && (
        <Text size="sm" ff="monospace">
          {facts.residentId}
        </Text>
      )}
      {facts.phone && (
        <Text size="sm" ff="monospace">
          {facts.phone}
        </Text>
      )}
      {facts.custodian && (
        <Text size="xs" c="dimmed">
          {names.get(facts.custodian) ?? facts.custodian}
        </Text>
      )}
    </Stack>
  );
}
