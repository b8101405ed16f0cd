/**
 * `npm run eval:mpi`: linkage quality of the resident registry on a synthetic region with ground
 * truth. Loads the region's Patients into a fresh store, links them with the default model, trains
 * the model by EM on the loaded records, re-links, and prints precision, recall, F1, false merges and
 * the review queue (targets of issue #5: precision ≥ 0.999, recall ≥ 0.99, review ≤ 2 %).
 * Options: --residents N (default 20000), --seed S, --store pglite|postgres (default postgres when
 * the test server answers, else pglite).
 */
import { parseArgs } from 'node:util';
import { ResidentRegistry } from '@yiyun/mpi';
import { asQueryable, type Store } from '@yiyun/store';
import { createTestStore } from '@yiyun/store/testing';
import { machineLine } from '../lib/machine.ts';
import { foreignPatients, importPatients, synthRegion, truePersons } from './data.ts';
import { type LinkageQuality, linkageQuality } from './metrics.ts';

const { values } = parseArgs({
  options: {
    residents: { type: 'string', default: '20000' },
    seed: { type: 'string', default: 'mpi-eval' },
    store: { type: 'string', default: 'postgres' },
  },
});
process.env['YIYUN_TEST_STORE'] = values.store;

async function measure(
  store: Store,
  truth: Map<string, string>,
  only?: ReadonlySet<string>,
): Promise<LinkageQuality & { review: number }> {
  const q = asQueryable(store.database.sql);
  const links = await q.unsafe<{ patient_id: string; person_id: string }[]>(
    'select patient_id, person_id from patient_person',
  );
  const open = await q.unsafe<{ n: string }[]>(
    `select count(distinct patient_id)::text as n from mpi_review where status = 'open'`,
  );
  const predicted = new Map(
    links
      .filter((l) => truth.has(l.patient_id) && (!only || only.has(l.patient_id)))
      .map((l) => [l.patient_id, l.person_id]),
  );
  const subset = only ? new Map([...truth].filter(([id]) => only.has(id))) : truth;
  return { ...linkageQuality(predicted, subset), review: only ? Number.NaN : Number(open[0]?.n ?? 0) };
}

function line(label: string, q: LinkageQuality & { review: number }, seconds: number): string {
  return [
    label.padEnd(14),
    `precision ${q.precision.toFixed(5)}`,
    `recall ${q.recall.toFixed(5)}`,
    `F1 ${q.f1.toFixed(5)}`,
    `false merges ${q.falseMerges}`,
    `review ${q.review} (${((100 * q.review) / q.records).toFixed(2)} %)`,
    `linked in ${seconds.toFixed(1)} s`,
  ].join('  ');
}

const residents = Number(values.residents);
const dir = synthRegion(residents, values.seed);
const truth = truePersons(dir);
await using store = await createTestStore();
const registry = await ResidentRegistry.open({ database: store.database });
const loaded = await importPatients(store, dir);
console.log(
  `# resident registry evaluation — ${new Date().toISOString().slice(0, 10)}, ${machineLine()}, ${store.kind}`,
);
console.log(
  `region: ${residents} residents, ${truth.size} Patient records, ${truth.size - new Set(truth.values()).size} duplicates; loaded ${loaded}`,
);
let t = performance.now();
await registry.drain();
console.log(line('default model', await measure(store, truth), (performance.now() - t) / 1000));
t = performance.now();
const trained = await registry.train();
console.log(
  `EM: ${trained.records} records, ${trained.pairs} blocked pairs, ${trained.iterations} iterations, λ ${trained.model.prior.toExponential(2)}, ${((performance.now() - t) / 1000).toFixed(1)} s`,
);
t = performance.now();
await registry.requeueAll();
await registry.drain();
const final = await measure(store, truth);
console.log(line('trained model', final, (performance.now() - t) / 1000));
// Foreign residents alone (Latin-alphabet names, passports): a small group the totals would hide.
const foreign = foreignPatients(dir);
const latin = await measure(store, truth, foreign);
console.log(
  `foreign residents: ${latin.records} records — precision ${latin.precision.toFixed(5)}  recall ${latin.recall.toFixed(5)}  false merges ${latin.falseMerges}`,
);
const ok = final.precision >= 0.999 && final.recall >= 0.99 && final.review / final.records <= 0.02;
console.log(ok ? 'targets met' : 'TARGETS NOT MET');
process.exitCode = ok ? 0 : 1;
