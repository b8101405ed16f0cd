import { Group, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type DicomJson, formatDicomDate, stringValue, stringValues, TAG } from './dicom-json.tsx';

/**
 * What the study is, not who: patient name and IDs are masked-by-default data (PIPL) whose reveal
 * flow belongs to the regional record (issue #7), so the viewer shows description, date and modality.
 */
export function StudyHeader({ study, series }: { study?: DicomJson; series: readonly DicomJson[] }) {
  const { t, i18n } = useTranslation();
  const description = study && stringValue(study, TAG.StudyDescription);
  const date = study && formatDicomDate(stringValue(study, TAG.StudyDate), i18n.language);
  const fromStudy = study ? stringValues(study, TAG.ModalitiesInStudy) : [];
  const modalities = fromStudy.length
    ? fromStudy
    : [...new Set(series.map((s) => stringValue(s, TAG.Modality)).filter((m) => m !== undefined))];
  return (
    <Group gap="lg" px="md" py="xs" wrap="wrap" data-testid="study-header">
      <Title order={2} size="h4">
        {description ?? t('viewer.noDescription')}
      </Title>
      <Text size="sm">
        <Text span c="dimmed">
          {t('viewer.studyDate')}
        </Text>
        {date ?? t('viewer.unknown')}
      </Text>
      <Text size="sm">
        <Text span c="dimmed">
          {t('viewer.modality')}
        </Text>
        {modalities.length ? modalities.join(' / ') : t('viewer.unknown')}
      </Text>
    </Group>
  );
}
