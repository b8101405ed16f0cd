/** The benchmark's image sets: large CT studies for ingest and retrieve, many small instances for QIDO. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ctInstance, ctPixels } from './ct-instance.ts';

const FAMILIES = [
  ['Wang', '王'],
  ['Li', '李'],
  ['Zhang', '张'],
  ['Liu', '刘'],
  ['Chen', '陈'],
  ['Yang', '杨'],
  ['Huang', '黄'],
  ['Zhao', '赵'],
  ['Wu', '吴'],
  ['Zhou', '周'],
] as const;
/** Syllables of given names: two of them make 400 given names, 4,000 full names with the families. */
const SYLLABLES = [
  ['Fang', '芳'],
  ['Wei', '伟'],
  ['Min', '敏'],
  ['Jing', '静'],
  ['Lei', '磊'],
  ['Yang', '洋'],
  ['Yan', '艳'],
  ['Jun', '军'],
  ['Hong', '红'],
  ['Hua', '华'],
  ['Ming', '明'],
  ['Li', '丽'],
  ['Qiang', '强'],
  ['Xia', '霞'],
  ['Ping', '平'],
  ['Gang', '刚'],
  ['Ying', '英'],
  ['Hui', '慧'],
  ['Jie', '杰'],
  ['Tao', '涛'],
] as const;

export interface StudyPlan {
  readonly studyUid: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly studyDate: string;
}

/** A deterministic study: patient, name (4,000 distinct), date (2016–2025), UID `2.25.<prefix><n>`. */
export function studyPlan(n: number, prefix: string): StudyPlan {
  const family = FAMILIES[n % FAMILIES.length]!;
  const a = SYLLABLES[Math.floor(n / 10) % 20]!;
  const b = SYLLABLES[Math.floor(n / 200) % 20]!;
  // Ten years of study dates: ~27 studies a day at 100 k.
  const day = new Date(Date.UTC(2016, 0, 1) + (n % 3650) * 86_400_000);
  return {
    studyUid: `2.25.${prefix}${n}`,
    patientId: `P${prefix}${String(n).padStart(7, '0')}`,
    patientName: `${family[0]}^${a[0]}${b[0].toLowerCase()}=${family[1]}^${a[1]}${b[1]}`,
    studyDate: day.toISOString().slice(0, 10).replaceAll('-', ''),
  };
}

function instance(study: StudyPlan, n: number, slice: number, pixels: Uint8Array, size: number) {
  return ctInstance({
    patientId: study.patientId,
    patientName: study.patientName,
    birthDate: '19600101',
    sex: n % 2 ? 'M' : 'F',
    studyUid: study.studyUid,
    seriesUid: `${study.studyUid}.1`,
    sopUid: `${study.studyUid}.1.${slice}`,
    studyDate: study.studyDate,
    accession: `A${n}`,
    instanceNumber: slice,
    size,
    pixels,
  });
}

/** `studies` CT studies of `slices` 512² slices each, written as files under `dir/<study>/`. */
export function writeCtStudies(dir: string, studies: number, slices: number, prefix: string) {
  const files: string[] = [];
  const plans: StudyPlan[] = [];
  for (let s = 0; s < studies; s++) {
    const plan = studyPlan(s, prefix);
    plans.push(plan);
    const studyDir = join(dir, plan.studyUid);
    mkdirSync(studyDir, { recursive: true });
    for (let i = 1; i <= slices; i++) {
      const file = join(studyDir, `${i}.dcm`);
      writeFileSync(file, instance(plan, s, i, ctPixels(i), 512));
      files.push(file);
    }
  }
  return { files, plans };
}

/** Instances per study of the QIDO set (100 k instances = 10 k studies). */
export const SMALL_PER_STUDY = 10;

/** `count` small instances (64² slices), `SMALL_PER_STUDY` to a study, generated on demand. */
export function* smallInstances(count: number, prefix: string): Generator<Buffer> {
  const pixels = ctPixels(1, 64);
  for (let i = 0; i < count; i++) {
    const n = Math.floor(i / SMALL_PER_STUDY);
    yield instance(studyPlan(n, prefix), n, (i % SMALL_PER_STUDY) + 1, pixels, 64);
  }
}
