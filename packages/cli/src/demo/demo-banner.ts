import { DEMO_ACCOUNT_SPECS, type DemoAccountsOutcome } from './demo-accounts.ts';
import type { DemoOutcome } from './ensure-demo.ts';
import { DEMO_AS_OF, DEMO_SEED } from './load-demo.ts';

const count = (n: number) => n.toLocaleString('en-US');

function demoLines(outcome: DemoOutcome): string[] {
  switch (outcome.kind) {
    case 'off':
      return [];
    case 'present':
      return ['  demo region    already in the store (loaded on an earlier start): nothing loaded'];
    case 'loaded': {
      const r = outcome.result;
      const lines = [
        `  demo region    ${count(r.residents)} residents (${count(r.patients)} Patient records), ` +
          `${count(r.created + r.updated)} resources loaded in ${r.seconds.toFixed(0)} s` +
          `${outcome.resumed ? ' (an interrupted load, finished)' : ''}`,
        `                 seed ${DEMO_SEED}, as of ${DEMO_AS_OF}; ground truth in <data>/demo/ground-truth/`,
      ];
      if (r.failed > 0)
        lines.push(`  WARNING        ${count(r.failed)} generated resources failed validation`);
      return lines;
    }
    default: {
      const unknown: never = outcome;
      return unknown;
    }
  }
}

const ROLE_LABELS = new Map(DEMO_ACCOUNT_SPECS.map((s) => [s.role, s]));

/**
 * One line per demo account: username, password, role in English, then the role in Chinese with the
 * person and institution (Chinese last, so double-width characters do not break the columns).
 */
function accountLines(outcome: DemoAccountsOutcome | undefined): string[] {
  if (outcome === undefined) return ['  demo accounts  none'];
  if (outcome.accounts.length === 0 && outcome.missing.length === 0)
    return ['  demo accounts  none: the store held other data before the demo was switched on'];
  const saved = outcome.accounts.filter((a) => a.password !== undefined).length;
  const where =
    saved > 0
      ? `passwords saved in ${outcome.file} (mode 600)`
      : 'created by another start: the passwords are in its demo-credentials.json';
  const lines = [
    `  demo accounts  ${outcome.created > 0 ? 'created now; ' : ''}${where}`,
    `    ${'username'.padEnd(15)} ${'password'.padEnd(20)} role`,
  ];
  for (const a of outcome.accounts) {
    const label = ROLE_LABELS.get(a.role);
    const who = [a.displayName, a.organizationName].filter(Boolean).join(' · ');
    lines.push(
      `    ${a.username.padEnd(15)} ${(a.password ?? '(not saved here)').padEnd(20)} ` +
        `${(label?.en ?? a.role).padEnd(22)} ${label?.zh ?? ''} ${who}`.trimEnd(),
    );
  }
  if (saved > 0 && saved < outcome.accounts.length)
    lines.push('                 (not saved here): created by another start; see its demo-credentials.json');
  for (const role of outcome.missing)
    lines.push(`    ${role}: not created, the demo region has no record to link it to`);
  return lines;
}

/** What the operator reads on stdout once the server listens. */
export function formatBanner(options: {
  baseUrl: string;
  demo: DemoOutcome;
  /** The demo system client (client credentials), when the demo is on. */
  client?: { clientId: string; clientSecret: string; tokenEndpoint: string; scope: string };
  /** The DIMSE listener, when it is on. */
  dicom?: { aeTitle: string; host: string; port: number };
}): string {
  const fhir = `${options.baseUrl}/fhir/R4`;
  const lines = [
    '',
    'Yiyun (医云) is serving',
    `  web app        ${options.baseUrl}/app/`,
    `  FHIR base      ${fhir}`,
    `  capabilities   ${fhir}/metadata`,
    `  sign-in        ${options.baseUrl}/.well-known/smart-configuration (OAuth 2.0 / SMART on FHIR)`,
    `  DICOMweb       ${options.baseUrl}/dicomweb (STOW-RS, QIDO-RS, WADO-RS)`,
    ...(options.dicom
      ? [`  DICOM (DIMSE)  AE ${options.dicom.aeTitle} at ${options.dicom.host}:${options.dicom.port}`]
      : []),
    ...demoLines(options.demo),
  ];
  if (options.demo.kind !== 'off') {
    const c = options.client;
    lines.push(
      ...accountLines(options.demo.accounts),
      ...(c
        ? [
            `  demo client    ${c.clientId} / ${c.clientSecret} (client credentials, ${c.scope}; demo only)`,
            `                 token endpoint ${c.tokenEndpoint}`,
          ]
        : []),
      '  production     set YIYUN_DEMO_RESIDENTS=0 (or --demo-residents 0): no demo data is ever loaded',
    );
  }
  return `${lines.join('\n')}\n`;
}
