import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api/error-text.tsx';
import { type Api, useApi, useLoad } from '../../api/fhir.tsx';
import { LoadStatus } from '../../shell/page-loading.tsx';
import { FactsCard, factsOf, institutionNames, type Part, type RecordFacts } from './record-facts.tsx';

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
      return {
        sides: [factsOf(part('patientFacts')), factsOf(part('candidateFacts'))] as const,
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
  const names = await institutionNames(
    api,
    items.flatMap((i) => i.sides),
  );
  return { items, names };
}

/** 待审核: possible duplicates side by side, with the evidence for each field. */
export function ReviewQueue() {
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
      setError(errorText(err));
    }
  }
  return (
    <Stack gap="md">
      {error && <Alert color="red">{error}</Alert>}
      <LoadStatus state={state} onRetry={reload} />
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
