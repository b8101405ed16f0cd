import { Alert, Box, Center, Flex, Paper, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { readAccessToken } from './access-token.tsx';
import { setUpCornerstone } from './cornerstone-setup.tsx';
import { createDicomWebClient, type DicomWebClient, resolveBaseUrl } from './dicomweb-client.tsx';
import { SeriesList } from './series-list.tsx';
import { SeriesView } from './series-view.tsx';
import { StudyHeader } from './study-header.tsx';
import { firstSeriesUid, useStudy } from './use-study.tsx';
import { ViewerError, ViewerLoading } from './viewer-states.tsx';

function StudyViewer(props: { client: DicomWebClient; study: string; onRetry: () => void }) {
  const { client, study } = props;
  const { t } = useTranslation();
  const overview = useStudy(client, study);
  const [chosen, setChosen] = useState<string>();
  if (overview.state === 'loading') return <ViewerLoading text={t('viewer.loadingStudy')} />;
  if (overview.state === 'error') {
    return <ViewerError error={overview.error} fallback={t('viewer.studyError')} onRetry={props.onRetry} />;
  }
  const { series } = overview.value;
  // Nothing visible: the study does not exist or access rules hide it; say neither which nor why.
  if (!overview.value.study && series.length === 0) {
    return (
      <Center h="100%">
        <Alert color="gray" title={t('viewer.notFound')} data-testid="viewer-error" />
      </Center>
    );
  }
  const selected = chosen ?? firstSeriesUid(series);
  return (
    <Flex direction="column" h="100%" data-testid="viewer">
      <Paper radius={0} withBorder>
        <StudyHeader study={overview.value.study} series={series} />
      </Paper>
      <Flex direction={{ base: 'column', sm: 'row' }} style={{ flex: 1, minHeight: 0 }}>
        <Box
          w={{ base: '100%', sm: 240 }}
          h={{ base: 120, sm: '100%' }}
          style={{ borderRight: '1px solid var(--mantine-color-gray-3)' }}
        >
          <SeriesList series={series} selected={selected} onSelect={setChosen} />
        </Box>
        <Box style={{ flex: 1, minWidth: 0, minHeight: 0 }}>
          {selected ? (
            <SeriesView key={selected} client={client} study={study} series={selected} />
          ) : (
            <Center h="100%">
              <Text>{t('viewer.noSeries')}</Text>
            </Center>
          )}
        </Box>
      </Flex>
    </Flex>
  );
}

/**
 * `#/viewer?study=<StudyInstanceUID>&dicomweb=<base URL, default /dicomweb>`: one study from a
 * DICOMweb service (PS3.18), its series on the side and the selected series as a stack.
 */
export default function ViewerPage({ params }: { params: URLSearchParams }) {
  const { t } = useTranslation();
  const study = params.get('study')?.trim();
  const base = params.get('dicomweb')?.trim() || '/dicomweb';
  const [attempt, setAttempt] = useState(0);
  const client = useMemo(() => {
    const appOrigin = window.location.origin;
    const token = () => readAccessToken(window.sessionStorage);
    setUpCornerstone({ token, appOrigin });
    return createDicomWebClient({ baseUrl: resolveBaseUrl(base, window.location.href), token, appOrigin });
  }, [base]);
  if (!study) {
    return (
      <Center h="100%">
        <Alert color="yellow" title={t('viewer.noStudy')} data-testid="viewer-error" />
      </Center>
    );
  }
  return (
    <StudyViewer
      key={`${base} ${study} ${attempt}`}
      client={client}
      study={study}
      onRetry={() => setAttempt((n) => n + 1)}
    />
  );
}
