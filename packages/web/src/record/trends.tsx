import { type CodeableConcept, conceptText, type Quantity, type TimelineEntry } from './timeline.tsx';

/** One line of a trend chart. */
export interface TrendLine {
  readonly label: string;
  readonly points: readonly { readonly date: string; readonly value: number }[];
}

export interface Trend {
  /** LOINC code of the panel or test. */
  readonly code: string;
  readonly title: string;
  readonly unit: string;
  readonly lines: readonly TrendLine[];
}

const LOINC = 'http://loinc.org';
export const BP_PANEL = '85354-9';
const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';
/** Shown first, in this order, when present: blood pressure, fasting and random glucose, HbA1c. */
const PREFERRED = [BP_PANEL, '14771-0', '2345-7', '15074-8', '4548-4'];
/** A repeated test becomes a trend with at least this many values. */
const MIN_POINTS = 3;

const loincOf = (c: CodeableConcept | undefined) => c?.coding?.find((x) => x.system === LOINC)?.code;

interface Component {
  code?: CodeableConcept;
  valueQuantity?: Quantity;
}

/** Trend charts of repeated numeric results, oldest to newest, blood pressure and glucose first. */
export function buildTrends(entries: readonly TimelineEntry[]): Trend[] {
  const byCode = new Map<
    string,
    { title: string; unit: string; lines: Map<string, { date: string; value: number }[]> }
  >();
  const add = (code: string, title: string, unit: string, line: string, date: string, value: number) => {
    const trend = byCode.get(code) ?? { title, unit, lines: new Map() };
    byCode.set(code, trend);
    const points = trend.lines.get(line) ?? [];
    trend.lines.set(line, points);
    points.push({ date, value });
  };
  for (const e of entries) {
    if (e.resource.resourceType !== 'Observation' || !e.date) continue;
    const code = loincOf(e.resource['code'] as CodeableConcept | undefined);
    if (!code) continue;
    const title = conceptText(e.resource['code'] as CodeableConcept);
    const q = e.resource['valueQuantity'] as Quantity | undefined;
    if (typeof q?.value === 'number') {
      add(code, title, q.unit ?? '', title, e.date, q.value);
      continue;
    }
    for (const c of (e.resource['component'] as Component[] | undefined) ?? []) {
      const part = loincOf(c.code);
      const v = c.valueQuantity?.value;
      if (typeof v !== 'number' || !part) continue;
      const label = part === SYSTOLIC ? 'systolic' : part === DIASTOLIC ? 'diastolic' : conceptText(c.code);
      add(code, title, c.valueQuantity?.unit ?? '', label, e.date, v);
    }
  }
  const trends: Trend[] = [];
  for (const [code, t] of byCode) {
    const lines = [...t.lines].map(([label, points]) => ({
      label,
      points: [...points].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    }));
    if (Math.max(...lines.map((l) => l.points.length)) < MIN_POINTS) continue;
    trends.push({ code, title: t.title, unit: t.unit, lines });
  }
  const rank = (code: string) => {
    const i = PREFERRED.indexOf(code);
    return i < 0 ? PREFERRED.length : i;
  };
  return trends.sort(
    (a, b) => rank(a.code) - rank(b.code) || b.lines[0]!.points.length - a.lines[0]!.points.length,
  );
}
