import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.ts';
import { type ParseSearchOptions, parseSearchRequest } from './parse-request.ts';
import { createSearchParamRegistry } from './registry.ts';
import type { Filter } from './types.ts';

const registry = createSearchParamRegistry();
const parse = (type: string | null, query: string, options?: ParseSearchOptions) =>
  parseSearchRequest(type, new URLSearchParams(query), registry, options);
const first = (type: string | null, query: string): Filter => {
  const f = parse(type, query).filters[0];
  if (!f) throw new Error('no filter');
  return f;
};
const values = (f: Filter) => (f.kind === 'param' ? f.values : []);
const rejects = (type: string | null, query: string, message: RegExp, options?: ParseSearchOptions) => {
  try {
    parse(type, query, options);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as Error).message).toMatch(message);
    return;
  }
  throw new Error(`accepted ${query}`);
};

describe('values, OR and AND', () => {
  it('splits OR values on unescaped commas and unescapes \\, \\| \\$ \\\\', () => {
    expect(values(first('Patient', 'family=a\\,b,c'))).toEqual([
      { kind: 'string', value: 'a,b' },
      { kind: 'string', value: 'c' },
    ]);
    expect(values(first('Patient', 'identifier=sys|a\\|b'))).toEqual([
      { kind: 'token', system: 'sys', code: 'a|b' },
    ]);
  });
  it('ANDs repeated parameters', () => {
    expect(parse('Patient', 'given=a&given=b').filters).toHaveLength(2);
  });
  it('keeps injection-looking strings as plain values', () => {
    expect(values(first('Patient', "family:exact=x');DROP TABLE patient;--"))).toEqual([
      { kind: 'string', value: "x');DROP TABLE patient;--" },
    ]);
  });
});

describe('token', () => {
  it('parses system|code, |code, system| and code', () => {
    expect(values(first('Observation', 'code=http://loinc.org|1234-5,|x,http://s|,y'))).toEqual([
      { kind: 'token', system: 'http://loinc.org', code: '1234-5' },
      { kind: 'token', system: null, code: 'x' },
      { kind: 'token', system: 'http://s' },
      { kind: 'token', code: 'y' },
    ]);
  });
  it('supports :text, :not and :of-type', () => {
    expect(first('Observation', 'code:text=Blood  Préssure')).toMatchObject({
      modifier: 'text',
      values: [{ kind: 'token', text: 'blood pressure' }],
    });
    expect(first('Patient', 'gender:not=male')).toMatchObject({
      modifier: 'not',
      values: [{ code: 'male' }],
    });
    expect(
      values(first('Patient', 'identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203|MR|123')),
    ).toEqual([
      {
        kind: 'token',
        typeSystem: 'http://terminology.hl7.org/CodeSystem/v2-0203',
        typeCode: 'MR',
        code: '123',
      },
    ]);
    rejects('Patient', 'identifier:of-type=MR|123', /of-type/);
  });
  it('rejects :in / :not-in as unsupported and unknown modifiers as invalid', () => {
    try {
      parse('Observation', 'code:in=http://vs');
      throw new Error('accepted');
    } catch (err) {
      expect((err as AppError).code).toBe('unsupported');
    }
    rejects('Observation', 'code:exact=x', /Unknown modifier ':exact'/);
  });
});

describe('date, number, quantity', () => {
  it('parses prefixes and partial dates into ranges', () => {
    expect(values(first('Patient', 'birthdate=ge2020-02'))).toEqual([
      { kind: 'date', prefix: 'ge', low: '2020-02-01T00:00:00.000Z', high: '2020-03-01T00:00:00.000Z' },
    ]);
    expect(values(first('Patient', 'birthdate=1990'))[0]).toMatchObject({
      prefix: 'eq',
      high: '1991-01-01T00:00:00.000Z',
    });
  });
  it('rejects bad dates and unknown prefixes naming the parameter', () => {
    rejects('Patient', 'birthdate=2020-13-01', /'birthdate'.*not a date/);
    rejects('Patient', 'birthdate=xx2020', /unknown prefix 'xx'/);
  });
  it('parses numbers with implicit precision', () => {
    expect(values(first('RiskAssessment', 'probability=gt0.8'))).toEqual([
      { kind: 'number', prefix: 'gt', value: '0.8', low: '0.75', high: '0.85' },
    ]);
    rejects('RiskAssessment', 'probability=1.2.3', /'probability'.*not a number/);
    rejects('RiskAssessment', 'probability=abc', /unknown prefix 'ab'/);
  });
  it('parses quantities value|system|code', () => {
    expect(
      values(first('Observation', 'value-quantity=le5.4|http://unitsofmeasure.org|mg,5.4||mg,100')),
    ).toEqual([
      {
        kind: 'quantity',
        prefix: 'le',
        value: '5.4',
        low: '5.35',
        high: '5.45',
        system: 'http://unitsofmeasure.org',
        code: 'mg',
      },
      { kind: 'quantity', prefix: 'eq', value: '5.4', low: '5.35', high: '5.45', system: null, code: 'mg' },
      { kind: 'quantity', prefix: 'eq', value: '100', low: '99.5', high: '100.5', system: null, code: null },
    ]);
    rejects('Observation', 'value-quantity=5|mg', /number\|system\|code/);
  });
});

describe('string, uri, missing', () => {
  it('normalizes default and :contains values, keeps :exact as written', () => {
    expect(first('Patient', 'name=  ÉLODIE ')).toMatchObject({
      values: [{ kind: 'string', value: 'elodie' }],
    });
    expect(first('Patient', 'name:contains=张伟')).toMatchObject({
      modifier: 'contains',
      values: [{ value: '张伟' }],
    });
    expect(first('Patient', 'name:exact=Élodie')).toMatchObject({
      modifier: 'exact',
      values: [{ value: 'Élodie' }],
    });
  });
  it('supports uri :above/:below', () => {
    expect(first('ValueSet', 'url:below=http://acme.org/fhir/')).toMatchObject({
      modifier: 'below',
      values: [{ kind: 'uri', value: 'http://acme.org/fhir/' }],
    });
  });
  it('supports :missing on any type and validates its value', () => {
    expect(values(first('Patient', 'birthdate:missing=true'))).toEqual([{ kind: 'missing', missing: true }]);
    expect(values(first('Observation', 'subject:missing=false'))).toEqual([
      { kind: 'missing', missing: false },
    ]);
    rejects('Patient', 'birthdate:missing=maybe', /true or false/);
  });
});

describe('reference', () => {
  it('parses Type/id, plain id, absolute URLs, canonicals and the type modifier', () => {
    expect(
      values(first('Observation', 'subject=Patient/123/_history/2,123,http://x.org/fhir/Patient/9')),
    ).toEqual([
      { kind: 'reference', targetType: 'Patient', targetId: '123', url: null },
      { kind: 'reference', targetType: null, targetId: '123', url: null },
      { kind: 'reference', targetType: null, targetId: null, url: 'http://x.org/fhir/Patient/9' },
    ]);
    expect(values(first('Observation', 'patient=123'))).toEqual([
      { kind: 'reference', targetType: 'Patient', targetId: '123', url: null },
    ]);
    expect(values(first('Observation', 'subject:Patient=123'))).toEqual([
      { kind: 'reference', targetType: 'Patient', targetId: '123', url: null },
    ]);
    expect(
      values(first('CarePlan', 'instantiates-canonical=http://x.org/PlanDefinition/a|2'))[0],
    ).toMatchObject({ url: 'http://x.org/PlanDefinition/a' });
  });
  it('parses :identifier as a token and rejects wrong target types', () => {
    expect(first('Observation', 'subject:identifier=urn:oid:1|42')).toMatchObject({
      modifier: 'identifier',
      values: [{ kind: 'token', system: 'urn:oid:1', code: '42' }],
    });
    rejects('Observation', 'subject:Medication=1', /not a target type/);
    rejects('Observation', 'patient=Practitioner/1', /not a target/);
  });
});

describe('composite', () => {
  it('parses a$b with each component by its own parameter', () => {
    expect(
      values(first('Observation', 'component-code-value-quantity=http://loinc.org|8480-6$gt140')),
    ).toEqual([
      {
        kind: 'composite',
        components: [
          { kind: 'token', system: 'http://loinc.org', code: '8480-6' },
          {
            kind: 'quantity',
            prefix: 'gt',
            value: '140',
            low: '139.5',
            high: '140.5',
            system: null,
            code: null,
          },
        ],
      },
    ]);
    rejects('Observation', 'code-value-quantity=1234', /2 components/);
  });
});

describe('chaining and reverse chaining', () => {
  it('chains with an explicit type, an unambiguous target, and several levels', () => {
    expect(first('Observation', 'subject:Patient.name=peter')).toMatchObject({
      kind: 'chain',
      targetType: 'Patient',
      next: { kind: 'param', param: { code: 'name' }, values: [{ value: 'peter' }] },
    });
    expect(first('Observation', 'patient.name=peter')).toMatchObject({
      kind: 'chain',
      targetType: 'Patient',
    });
    expect(first('Observation', 'patient.organization.name=x')).toMatchObject({
      kind: 'chain',
      targetType: 'Patient',
      next: { kind: 'chain', targetType: 'Organization', next: { kind: 'param', param: { code: 'name' } } },
    });
    expect(first('Observation', 'patient.name:exact=Peter')).toMatchObject({ next: { modifier: 'exact' } });
  });
  it('rejects ambiguous chains, asking for a type modifier', () => {
    rejects('Observation', 'subject.name=peter', /Ambiguous chain.*subject:[A-Za-z]+\.name/);
    rejects('Observation', 'code.name=x', /not a reference/);
    rejects('Observation', 'patient.nosuch=x', /Unknown search parameter 'nosuch'/);
  });
  it('parses _has, nested _has included', () => {
    expect(first('Patient', '_has:Observation:patient:code=1234-5')).toMatchObject({
      kind: 'has',
      targetType: 'Observation',
      referenceParam: { code: 'patient' },
      next: { kind: 'param', param: { code: 'code' }, values: [{ code: '1234-5' }] },
    });
    expect(
      first('Patient', '_has:Observation:patient:_has:AuditEvent:entity:agent=Practitioner/1'),
    ).toMatchObject({
      kind: 'has',
      next: { kind: 'has', targetType: 'AuditEvent', next: { kind: 'param', param: { code: 'agent' } } },
    });
    rejects('Patient', '_has:Observation:code:status=final', /not a reference/);
    rejects('Patient', '_has:Observation', /expected _has:Type:reference:parameter/);
    rejects('Patient', '_has:Nope:patient:code=1', /Unknown resource type/);
  });
});

describe('special and result parameters', () => {
  it('parses _id, _lastUpdated and _list', () => {
    expect(parse('Patient', '_id=a,b&_lastUpdated=ge2024-01-01&_list=l1').filters).toEqual([
      { kind: 'id', ids: ['a', 'b'] },
      {
        kind: 'lastUpdated',
        values: [
          { kind: 'date', prefix: 'ge', low: '2024-01-01T00:00:00.000Z', high: '2024-01-02T00:00:00.000Z' },
        ],
      },
      { kind: 'list', listId: 'l1' },
    ]);
    rejects('Patient', '_id=a b', /not a resource id/);
  });
  it('parses _type for system search and uses base parameters', () => {
    const r = parse(null, '_type=Patient,Observation&_lastUpdated=gt2020');
    expect(r).toMatchObject({ resourceType: null, types: ['Patient', 'Observation'] });
    expect(r.filters[0]?.kind).toBe('lastUpdated');
    expect(parse(null, '_type=Patient&name=x').filters[0]).toMatchObject({
      param: { resourceType: 'Patient' },
    });
    rejects(null, '_type=Nope', /unknown resource type/);
  });
  it('parses _sort', () => {
    expect(
      parse('Observation', '_sort=-date,status,_id').sort.map((s) => [s.param, s.descending, s.def?.type]),
    ).toEqual([
      ['date', true, 'date'],
      ['status', false, 'token'],
      ['_id', false, undefined],
    ]);
    rejects('Observation', '_sort=nosuch', /'_sort'.*nosuch/);
  });
  it('parses _count (default 20, clamped to max, 0 allowed), _offset, _total, _summary, _elements', () => {
    expect(parse('Patient', '').count).toBe(20);
    expect(parse('Patient', '', { defaultCount: 50 }).count).toBe(50);
    expect(parse('Patient', '_count=5000').count).toBe(1000);
    expect(parse('Patient', '_count=0').count).toBe(0);
    const r = parse(
      'Patient',
      '_offset=40&_total=accurate&_summary=count&_elements=name,birthDate&_format=json&_pretty=true',
    );
    expect(r).toMatchObject({
      offset: 40,
      total: 'accurate',
      summary: 'count',
      elements: ['name', 'birthDate'],
      unknown: [],
    });
    rejects('Patient', '_count=abc', /'_count'/);
    rejects('Patient', '_offset=-1', /'_offset'/);
    rejects('Patient', '_total=some', /'_total'/);
    rejects('Patient', '_summary=maybe', /'_summary'/);
  });
  it('parses _include / _revinclude with target types, wildcards and :iterate / :recurse', () => {
    const r = parse(
      'Observation',
      '_include=Observation:subject:Patient&_include:iterate=Patient:organization&_revinclude=Provenance:target&_include=*',
    );
    expect(r.include).toEqual([
      { sourceType: 'Observation', param: 'subject', targetType: 'Patient', iterate: false },
      { sourceType: 'Patient', param: 'organization', iterate: true },
      { sourceType: 'Observation', param: '*', iterate: false },
    ]);
    expect(r.revinclude).toEqual([{ sourceType: 'Provenance', param: 'target', iterate: false }]);
    expect(parse('Observation', '_include:recurse=Observation:has-member').include[0]?.iterate).toBe(true);
    rejects('Observation', '_include=Observation:code', /not a reference parameter/);
    rejects('Observation', '_include=Observation:subject:Medication', /not a target/);
    rejects('Observation', '_include=subject', /Type:parameter/);
  });
  it('collects unknown and unsupported parameters, or rejects them when strict', () => {
    expect(parse('Patient', 'nosuch=1&_contained=true&_text=x').unknown).toEqual([
      'nosuch',
      '_contained',
      '_text',
    ]);
    rejects('Patient', 'nosuch=1', /Unknown search parameter 'nosuch'/, { strict: true });
  });
  it('passes the compartment through and rejects unknown resource types', () => {
    expect(parse('Observation', '', { compartment: { type: 'Patient', id: 'p1' } }).compartment).toEqual({
      type: 'Patient',
      id: 'p1',
    });
    rejects('Nope', 'name=x', /Unknown resource type/);
  });
});
