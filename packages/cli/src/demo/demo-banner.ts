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

/** What the operator reads on stdout once the server listens. */
export function formatBanner(options: { baseUrl: string; demo: DemoOutcome }): string {
  const fhir = `${options.baseUrl}/fhir/R4`;
  const lines = [
    '',
    'Yiyun (医云) is serving',
    `  FHIR base      ${fhir}`,
    `  capabilities   ${fhir}/metadata`,
    ...demoLines(options.demo),
  ];
  if (options.demo.kind !== 'off') {
    lines.push(
      '  demo accounts  none yet: one per role will be listed here once sign-in exists',
      '  production     set YIYUN_DEMO_RESIDENTS=0 (or --demo-residents 0): no demo data is ever loaded',
    );
  }
  return `${lines.join('\n')}\n`;
}
