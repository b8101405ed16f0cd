import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../api/error-text.tsx';
import { useApi } from '../api/fhir.tsx';
import { routeHref } from '../shell/hash-route.tsx';

interface Props {
  /** `patient`: a record the clinician can name; `identifier`: a resident they cannot see, by ID number. */
  readonly mode: 'patient' | 'identifier';
  readonly patient?: string;
  readonly defaultIdentifier?: string;
  /** After the grant (default: open the resident's record). */
  readonly onGranted?: (patient: string) => void;
}

interface GrantOut {
  parameter?: {
    name: string;
    valueString?: string;
    valueInstant?: string;
    valueReference?: { reference?: string };
  }[];
}

/**
 * Break-the-glass (紧急授权): a clinician declares an emergency with a reason and reads every record
 * of the resident for a limited time. The declaration is audited and reviewed by their institution.
 */
export function BreakGlassButton({ mode, patient, defaultIdentifier, onGranted }: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const [opened, { open, close }] = useDisclosure(false);
  const [reason, setReason] = useState('');
  const [identifier, setIdentifier] = useState(
    /^\d{17}[\dXx]$/.test(defaultIdentifier ?? '') ? (defaultIdentifier ?? '') : '',
  );
  const [minutes, setMinutes] = useState('60');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function declare() {
    setBusy(true);
    setError(undefined);
    try {
      const parameter = [
        { name: 'reason', valueString: reason.trim() },
        { name: 'minutes', valueInteger: Number(minutes) },
        ...(mode === 'identifier' ? [{ name: 'identifier', valueString: identifier.trim() }] : []),
      ];
      const path = mode === 'patient' ? `Patient/${patient}/$break-the-glass` : 'Patient/$break-the-glass';
      const out = await api<GrantOut>(path, {
        method: 'POST',
        body: JSON.stringify({ resourceType: 'Parameters', parameter }),
      });
      const granted =
        out.parameter
          ?.find((p) => p.name === 'patient')
          ?.valueReference?.reference?.replace('Patient/', '') ??
        patient ??
        '';
      close();
      if (onGranted) onGranted(granted);
      else window.location.assign(routeHref('/record', { patient: granted }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const ready = reason.trim().length >= 4 && (mode === 'patient' || /^\d{17}[\dXx]$/.test(identifier.trim()));
  return (
    <>
      <Button color="red" variant="light" onClick={open} data-testid="break-glass">
        {t('btg.button')}
      </Button>
      <Modal opened={opened} onClose={close} title={t('btg.title')} centered>
        <Stack gap="sm">
          <Text size="sm">{t('btg.explain')}</Text>
          {mode === 'identifier' && (
            <TextInput
              label={t('btg.identifier')}
              value={identifier}
              onChange={(e) => setIdentifier(e.currentTarget.value)}
              data-testid="btg-identifier"
              required
            />
          )}
          <Textarea
            label={t('btg.reason')}
            placeholder={t('btg.reasonPlaceholder')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-testid="btg-reason"
            autosize
            minRows={2}
            required
          />
          <Select
            label={t('btg.minutes')}
            value={minutes}
            onChange={(v) => setMinutes(v ?? '60')}
            data={['30', '60', '120', '240'].map((m) => ({
              value: m,
              label: t('btg.minutesValue', { count: Number(m) }),
            }))}
            allowDeselect={false}
          />
          {error && (
            <Alert color="red" data-testid="btg-error">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              onClick={() => void declare()}
              disabled={!ready}
              loading={busy}
              data-testid="btg-confirm"
            >
              {t('btg.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
