import { Stack, Tabs, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Merges } from './merges.tsx';
import { ReviewQueue } from './review-queue.tsx';

/** 居民主索引审核: the review queue of possible duplicates, and the merges that may be undone. */
export default function RegistryPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<string | null>('queue');
  return (
    <Stack gap="md" maw={1100}>
      <Title order={2}>{t('review.title')}</Title>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="queue" data-testid="tab-queue">
            {t('review.queue')}
          </Tabs.Tab>
          <Tabs.Tab value="merges" data-testid="tab-merges">
            {t('review.merges')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="queue" pt="md">
          <ReviewQueue />
        </Tabs.Panel>
        <Tabs.Panel value="merges" pt="md">
          <Merges />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
