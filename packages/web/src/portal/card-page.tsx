import { Alert, Button, Card, Center, Group, Modal, Select, Stack, Text, Title } from '@mantine/core';
import { QRCodeSVG } from 'qrcode.react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/error-text.tsx';
import { type Api, ApiError, useApi, useLoad } from '../api/fhir.tsx';
import { LoadStatus } from '../shell/page-loading.tsx';

interface CardParameters {
  parameter?: { name: string; valueString?: string; valueInstant?: string }[];
}

type CardState =
  | { readonly kind: 'none' }
  | { readonly kind: 'card'; readonly number: string; readonly payload: string; readonly expires: string };

/** The resident's own current card and a freshly signed QR payload; no card (or a revoked one) is 'none'. */
async function loadCard(api: Api): Promise<CardState> {
  try {
    const out = await api<CardParameters>('$health-card-qr');
    const value = (name: string) => out.parameter?.find((p) => p.name === name);
    return {
      kind: 'card',
      number: value('number')?.valueString ?? '',
      payload: value('payload')?.valueString ?? '',
      expires: value('expires')?.valueInstant ?? '',
    };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { kind: 'none' };
    throw err;
  }
}

/** 3502 0312 3456 7890 12: the card number in groups of four, as printed on the card. */
function groupedCardNumber(number: string): string {
  return number.replace(/(.{4})(?=.)/g, '$1 ');
}

const REASONS = ['lost', 'stolen', 'damaged'] as const;

/** 我的健康卡: the QR code a clinic scans (verified offline with the platform's keys), and reporting a loss. */
export default function CardPage({ patient }: { patient: string }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [state, reload] = useLoad(() => loadCard(api), []);
  const [revoking, setRevoking] = useState(false);
  const [reason, setReason] = useState<string>('lost');
  const [error, setError] = useState<string>();
  async function revoke() {
    setError(undefined);
    try {
      await api(`Patient/${encodeURIComponent(patient)}/$health-card-revoke`, {
        method: 'POST',
        body: JSON.stringify({
          resourceType: 'Parameters',
          parameter: [{ name: 'reason', valueString: reason }],
        }),
      });
      setRevoking(false);
      reload();
    } catch (err) {
      setError(errorText(err));
    }
  }
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <Stack gap="md" maw={520}>
      <Title order={2}>{t('card.title')}</Title>
      {error && <Alert color="red">{error}</Alert>}
      <LoadStatus state={state} onRetry={reload} />
      {state.status === 'ready' && state.value.kind === 'none' && (
        <Alert color="gray" data-testid="card-none">
          {t('card.none')}
        </Alert>
      )}
      {state.status === 'ready' && state.value.kind === 'card' && (
        <Card withBorder p="lg" data-testid="health-card">
          <Stack gap="sm" align="center">
            <Center bg="white" p="sm" style={{ borderRadius: 8 }}>
              <QRCodeSVG
                value={state.value.payload}
                size={240}
                level="M"
                marginSize={2}
                title={t('card.qrTitle')}
                data-testid="card-qr"
              />
            </Center>
            <Text ff="monospace" fz="lg" data-testid="card-number">
              {groupedCardNumber(state.value.number)}
            </Text>
            <Text size="sm" c="dimmed">
              {t('card.expires', {
                when: state.value.expires ? time.format(new Date(state.value.expires)) : '',
              })}
            </Text>
            <Text size="sm">{t('card.howTo')}</Text>
            <Group>
              <Button variant="default" onClick={reload} data-testid="card-refresh">
                {t('card.refresh')}
              </Button>
              <Button color="red" variant="light" onClick={() => setRevoking(true)} data-testid="card-revoke">
                {t('card.revoke')}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      <Modal opened={revoking} onClose={() => setRevoking(false)} title={t('card.revokeTitle')}>
        <Stack gap="sm">
          <Text size="sm">{t('card.revokeWarning')}</Text>
          <Select
            label={t('card.reason')}
            data={REASONS.map((r) => ({ value: r, label: t(`card.reasons.${r}`) }))}
            value={reason}
            onChange={(v) => setReason(v ?? 'lost')}
            allowDeselect={false}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRevoking(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" onClick={() => void revoke()} data-testid="card-revoke-confirm">
              {t('card.revokeConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
