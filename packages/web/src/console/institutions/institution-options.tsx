import type { Api } from '../../api/fhir.tsx';
import type { AnyResource } from '../../record/timeline.tsx';

/** Chinese names in pinyin order (as a Chinese directory lists them; the database sorts by code point). */
const byName = new Intl.Collator('zh-CN');

/**
 * The region's institutions (not their departments), in pinyin order of their names; `elements`
 * narrows what is read (a region has a few hundred).
 */
export async function regionInstitutions(api: Api, elements?: string): Promise<AnyResource[]> {
  const bundle = await api<{ entry?: { resource?: AnyResource }[] }>(
    `Organization?partof:missing=true&_count=1000${elements ? `&_elements=${elements}` : ''}`,
  );
  return (bundle.entry ?? [])
    .flatMap((e) => (e.resource?.id ? [e.resource] : []))
    .sort((a, b) => byName.compare(String(a['name'] ?? ''), String(b['name'] ?? '')));
}

/** The institutions as choices (id → name). */
export async function institutionOptions(api: Api): Promise<{ value: string; label: string }[]> {
  return (await regionInstitutions(api, 'name')).map((o) => ({
    value: o.id ?? '',
    label: String(o['name'] ?? o.id),
  }));
}
