import { Box, Button, Group, Loader, Overlay, SegmentedControl, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DicomWebClient } from './dicomweb-client.tsx';
import { type PrimaryTool, StackView } from './stack-view.tsx';
import { useSeriesImages } from './use-study.tsx';
import { ViewerError, ViewerLoading } from './viewer-states.tsx';

export interface SeriesViewProps {
  readonly client: DicomWebClient;
  readonly study: string;
  readonly series: string;
}

function Toolbar(props: {
  tool: PrimaryTool;
  onTool: (tool: PrimaryTool) => void;
  onReset: () => void;
  position: string;
}) {
  const { t } = useTranslation();
  return (
    <Group px="sm" py={6} gap="sm" justify="space-between" wrap="wrap" bg="dark.7" c="gray.2">
      <Group gap="sm">
        <SegmentedControl
          size="xs"
          aria-label={t('viewer.leftButtonTool')}
          value={props.tool}
          onChange={(v) => props.onTool(v as PrimaryTool)}
          data={[
            { value: 'windowLevel', label: t('viewer.windowLevel') },
            { value: 'pan', label: t('viewer.pan') },
            { value: 'zoom', label: t('viewer.zoom') },
          ]}
        />
        <Button size="compact-sm" variant="default" onClick={props.onReset}>
          {t('viewer.reset')}
        </Button>
      </Group>
      <Group gap="md">
        <Text size="xs" data-testid="image-position">
          {props.position}
        </Text>
        <Text size="xs" c="dimmed" visibleFrom="md">
          {t('viewer.hint')}
        </Text>
      </Group>
    </Group>
  );
}

/** The selected series: toolbar, the Cornerstone stack and its loading / error states. */
export function SeriesView({ client, study, series }: SeriesViewProps) {
  const { t } = useTranslation();
  const images = useSeriesImages(client, study, series);
  const [tool, setTool] = useState<PrimaryTool>('windowLevel');
  const [resetCount, setResetCount] = useState(0);
  const [index, setIndex] = useState(0);
  const [isRendered, setRendered] = useState(false);
  const [renderError, setRenderError] = useState<unknown>();

  if (!images || images.state === 'loading') {
    return <ViewerLoading text={t('viewer.loadingImages')} />;
  }
  if (images.state === 'error' || renderError !== undefined) {
    const error = images.state === 'error' ? images.error : renderError;
    return <ViewerError error={error} fallback={t('viewer.loadError')} />;
  }
  const total = images.value.length;
  if (total === 0) return <ViewerError error={undefined} fallback={t('viewer.noSeries')} />;
  return (
    <Box h="100%" style={{ display: 'flex', flexDirection: 'column' }}>
      <Toolbar
        tool={tool}
        onTool={setTool}
        onReset={() => setResetCount((n) => n + 1)}
        position={t('viewer.image', { index: index + 1, total })}
      />
      <Box style={{ position: 'relative', flex: 1, minHeight: 200 }}>
        <StackView
          imageIds={images.value}
          primaryTool={tool}
          resetCount={resetCount}
          label={t('viewer.title')}
          onImageChange={setIndex}
          onFirstRender={() => setRendered(true)}
          onError={(error) => setRenderError(error ?? new Error('image load failed'))}
        />
        {!isRendered && (
          <Overlay color="#000" backgroundOpacity={0.6} center data-testid="viewer-loading">
            <Loader size="sm" mr="sm" />
            <Text c="gray.2">{t('viewer.loadingImages')}</Text>
          </Overlay>
        )}
      </Box>
    </Box>
  );
}
