import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Api } from '../../api/fhir.tsx';
import type { AnyResource } from '../../record/timeline.tsx';

/** A part of a registry operation's Parameters (`$mpi-review-queue`, `$mpi-merges`). */
export interface Part {
  name: string;
  valueString?: string;
  valueCode?: string;
  valueDecimal?: number;
  valueInteger?: number;
  valueInstant?: string;
  valueReference?: { reference?: string };
  part?: Part[];
}

/** One record as the registry normalised it (ID number and phone masked; `record`: its Patient id, where given). */
export type RecordFacts = Readonly<
  Partial<Record<'record' | 'name' | 'birthDate' | 'gender' | 'custodian' | 'residentId' | 'phone', string>>
>;

export function factsOf(part: Part | undefined): RecordFacts {
  return Object.fromEntries((part?.part ?? []).map((p) => [p.name, p.valueString ?? '']));
}

/** Names of the institutions holding these records, in one search. */
export async function institutionNames(
  api: Api,
  facts: readonly RecordFacts[],
): Promise<ReadonlyMap<string, string>> {
  const ids = [...new Set(facts.map((f) => f.custodian ?? '').filter(Boolean))];
  if (ids.length === 0) return new Map();
  const bundle = await api<{ entry?: { resource?: AnyResource }[] }>(
    `Organization?_id=${ids.map(encodeURIComponent).join(',')}&_count=${ids.length}&_elements=name`,
  );
  return new Map(
    (bundle.entry ?? []).flatMap((e) =>
      e.resource?.id ? [[e.resource.id, String(e.resource['name'] ?? e.resource.id)] as const] : [],
    ),
  );
}

/** One side of a comparison: name, sex and birth date, masked identifiers, institution. */
export function FactsCard({ facts, names }: { facts: RecordFacts; names: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2} p="xs" bg="gray.0" style={{ borderRadius: 4 }} data-testid="record-facts">
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
