import { describe, expect, it } from 'vitest';
import { accessLine, directoryNames } from './access-text.tsx';

describe('the resident’s access log in plain words', () => {
  it('names the person, institution, action and kind of record, and flags an emergency access', () => {
    const names = directoryNames([
      { resourceType: 'Practitioner', id: 'p1', name: [{ family: '王', given: ['芳'] }] },
      { resourceType: 'Organization', id: 'h1', name: '厦门市第一医院' },
    ]);
    const line = accessLine(
      {
        resourceType: 'AuditEvent',
        id: 'e1',
        recorded: '2026-12-03T10:00:00Z',
        action: 'E',
        outcome: '0',
        purposeOfEvent: [{ coding: [{ code: 'ETREAT' }] }],
        subtype: [{ code: 'search-type' }],
        agent: [
          {
            who: { reference: 'Practitioner/p1' },
            type: { coding: [{ code: 'IRCP' }] },
            requestor: true,
            role: [{ coding: [{ code: 'clinician' }] }],
          },
          { who: { reference: 'Organization/h1' }, requestor: false },
        ],
        entity: [
          { what: { identifier: { value: 'req-1' } }, type: { code: 'XrequestId' } },
          { what: { reference: 'Patient/x' }, role: { code: '1' } },
          { type: { code: 'Observation' }, role: { code: '4' } },
        ],
      },
      names,
    );
    expect(line).toMatchObject({
      who: '王芳',
      agentKind: 'person',
      role: 'clinician',
      institution: '厦门市第一医院',
      action: 'search',
      what: ['Observation'],
      emergency: true,
      failed: false,
    });
  });

  it('never shows the patient reference as the thing accessed; names the operation and a system', () => {
    const line = accessLine(
      {
        resourceType: 'AuditEvent',
        action: 'E',
        agent: [{ who: { identifier: { value: 'his-h1' }, display: 'node' }, requestor: true }],
        entity: [{ what: { reference: 'Patient/x' }, role: { code: '4' }, description: '$everything' }],
      },
      new Map(),
    );
    expect(line).toMatchObject({
      what: [],
      action: 'execute',
      operation: 'everything',
      agentKind: 'system',
      who: 'his-h1',
    });
  });
});
