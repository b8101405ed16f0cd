import { NavLink, ScrollArea, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type DicomJson, numberValue, stringValue, TAG } from './dicom-json.tsx';

export interface SeriesListProps {
  readonly series: readonly DicomJson[];
  readonly selected: string | undefined;
  readonly onSelect: (seriesUid: string) => void;
}

export function SeriesList({ series, selected, onSelect }: SeriesListProps) {
  const { t } = useTranslation();
  return (
    <ScrollArea h="100%" type="auto" aria-label={t('viewer.series')}>
      <Text size="xs" fw={600} c="dimmed" px="sm" pt="sm" pb={4}>
        {t('viewer.series')}
      </Text>
      {series.map((s) => {
        const uid = stringValue(s, TAG.SeriesInstanceUID);
        if (!uid) return null;
        const number = numberValue(s, TAG.SeriesNumber);
        const count = numberValue(s, TAG.NumberOfSeriesRelatedInstances);
        const modality = stringValue(s, TAG.Modality) ?? '';
        return (
          <NavLink
            key={uid}
            component="button"
            data-testid="series-item"
            data-series-uid={uid}
            active={uid === selected}
            onClick={() => onSelect(uid)}
            label={`${modality} ${stringValue(s, TAG.SeriesDescription) ?? t('viewer.noDescription')}`}
            description={[
              number !== undefined ? t('viewer.seriesNumber', { number }) : undefined,
              count !== undefined ? t('viewer.instances', { count }) : undefined,
            ]
              .filter(Boolean)
              .join(' · ')}
          />
        );
      })}
    </ScrollArea>
  );
}
