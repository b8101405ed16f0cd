import { Alert, Button, Checkbox, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/error-text.tsx';
import { useApi, useLoad } from '../api/fhir.tsx';
import { LoadStatus, PageLoading } from '../shell/page-loading.tsx';

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
/** Sensitive categories the platform labels (docs/access-control.md), shared only when permitted. */
export const SENSITIVE = ['PSY', 'ETH', 'HIV', 'STD', 'SEX', 'GDIS', 'SDV'] as const;

interface ConsentLike {
  resourceType: 'Consent';
  id?: string;
  dateTime?: string;
  provision?: { type?: string; provision?: { type?: string; securityLabel?: { code?: string }[] }[] };
}

export interface Choice {
  readonly share: boolean;
  readonly sensitive: readonly string[];
}

export function choiceOf(consent: ConsentLike | undefined, defaultShare = true): Choice {
  if (!consent) return { share: defaultShare, sensitive: [] };
  return {
    share: consent.provision?.type !== 'deny',
    sensitive: (consent.provision?.provision ?? [])
      .filter((p) => p.type === 'permit')
      .flatMap((p) => (p.securityLabel ?? []).map((l) => l.code ?? '')),
  };
}

/** The resident's choice as the Consent the access rules read (docs/access-control.md, Consent). */
export function consentOf(
  patient: string,
  choice: Choice,
  now = new Date(),
): ConsentLike & Record<string, unknown> {
  return {
    resourceType: 'Consent',
    status: 'active',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: `Patient/${patient}` },
    dateTime: now.toISOString(),
    policyRule: { coding: [{ system: ACT_CODE, code: choice.share ? 'OPTIN' : 'OPTOUT' }] },
    provision: {
      type: choice.share ? 'permit' : 'deny',
      ...(choice.share && choice.sensitive.length
        ? {
            provision: choice.sensitive.map((code) => ({
              type: 'permit',
              securityLabel: [{ system: ACT_CODE, code }],
            })),
          }
        : {}),
    },
  };
}

/** 共享设置: share my record regionally or not, and which sensitive categories. */
export default function ConsentPage({ patient }: { patient: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const [state, reload] = useLoad(
    () =>
      api<{ entry?: { resource?: ConsentLike }[] }>(
        `Consent?patient=Patient/${encodeURIComponent(patient)}&status=active&_sort=-date&_count=1`,
      ).then((b) => b.entry?.[0]?.resource),
    [patient],
  );
  const [choice, setChoice] = useState<Choice>();
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (state.status === 'ready') setChoice(choiceOf(state.value));
  }, [state]);
  if (state.status !== 'ready') return <LoadStatus state={state} onRetry={reload} />;
  if (!choice) return <PageLoading />;
  async function save() {
    setError(undefined);
    setSaved(false);
    try {
      // A record of one of the resident's institutions: the golden id is not a stored Patient.
      await api('Consent', { method: 'POST', body: JSON.stringify(consentOf(patient, choice!)) });
      setSaved(true);
      reload();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <Stack gap="md" maw={700}>
      <Title order={2}>{t('consent.title')}</Title>
      <Paper withBorder p="md">
        <Stack gap="md">
          <Switch
            checked={choice.share}
            onChange={(e) => setChoice({ ...choice, share: e.currentTarget.checked })}
            label={t('consent.share')}
            description={t('consent.shareHint')}
            data-testid="consent-share"
          />
          <Checkbox.Group
            label={t('consent.sensitive')}
            description={t('consent.sensitiveHint')}
            value={[...choice.sensitive]}
            onChange={(sensitive) => setChoice({ ...choice, sensitive })}
          >
            <Stack gap={6} mt="xs">
              {SENSITIVE.map((code) => (
                <Checkbox
                  key={code}
                  value={code}
                  label={t(`consent.category.${code}`)}
                  disabled={!choice.share}
                />
              ))}
            </Stack>
          </Checkbox.Group>
          {error && <Alert color="red">{error}</Alert>}
          {saved && <Alert color="teal">{t('consent.saved')}</Alert>}
          <Button onClick={() => void save()} w="fit-content" data-testid="consent-save">
            {t('common.save')}
          </Button>
          <Text size="xs" c="dimmed">
            {t('consent.note')}
          </Text>
        </Stack>
      </Paper>
    </Stack>
  );
}
