/**
 * The Retrieve Capabilities answer (PS3.18 §8.9, Annex H): a WADL document (W3C member submission
 * 2009, `application/vnd.sun.wadl+xml`) of the resources, methods and media types served here,
 * and the same as a small JSON summary for people (`GET /dicomweb/capabilities`).
 */
interface Method {
  readonly name: 'GET' | 'POST';
  readonly id: string;
  /** Media types of the answer (GET) or of the request body (POST). */
  readonly media: readonly string[];
  readonly query?: readonly string[];
}

interface ResourceNode {
  readonly path: string;
  readonly methods: readonly Method[];
  readonly children?: readonly ResourceNode[];
}

const DICOM = 'multipart/related; type="application/dicom"';
const JSON_MEDIA = ['application/dicom+json', 'application/json'];
const RENDERED = ['image/jpeg', 'image/png'];
const FRAMES = [
  'multipart/related; type="application/octet-stream"',
  'multipart/related; type="image/jpeg"',
  'multipart/related; type="image/jls"',
  'multipart/related; type="image/jp2"',
  'multipart/related; type="image/jphc"',
  'multipart/related; type="image/dicom-rle"',
];
const QIDO_PARAMS = ['{attributeID}', 'includefield', 'fuzzymatching', 'limit', 'offset'];
const RENDER_PARAMS = ['quality', 'window', 'viewport'];

const search = (id: string): Method => ({ name: 'GET', id, media: JSON_MEDIA, query: QIDO_PARAMS });
const get = (id: string, media: readonly string[], query?: readonly string[]): Method => ({
  name: 'GET',
  id,
  media,
  ...(query ? { query } : {}),
});
const rendered = (id: string): ResourceNode => ({
  path: 'rendered',
  methods: [get(id, RENDERED, RENDER_PARAMS)],
});
const thumbnail = (id: string): ResourceNode => ({
  path: 'thumbnail',
  methods: [get(id, RENDERED, ['viewport'])],
});

const INSTANCE: ResourceNode = {
  path: '{instance}',
  methods: [get('RetrieveInstance', [DICOM, 'application/dicom'])],
  children: [
    { path: 'metadata', methods: [get('RetrieveInstanceMetadata', JSON_MEDIA)] },
    rendered('RetrieveRenderedInstance'),
    thumbnail('RetrieveInstanceThumbnail'),
    {
      path: 'bulkdata/{path}',
      methods: [get('RetrieveBulkdata', ['multipart/related; type="application/octet-stream"'])],
    },
    {
      path: 'frames/{frames}',
      methods: [get('RetrieveFrames', FRAMES)],
      children: [rendered('RetrieveRenderedFrames'), thumbnail('RetrieveFramesThumbnail')],
    },
  ],
};

const SERIES: ResourceNode = {
  path: '{series}',
  methods: [get('RetrieveSeries', [DICOM])],
  children: [
    { path: 'metadata', methods: [get('RetrieveSeriesMetadata', JSON_MEDIA)] },
    rendered('RetrieveRenderedSeries'),
    thumbnail('RetrieveSeriesThumbnail'),
    { path: 'instances', methods: [search('SearchForSeriesInstances')], children: [INSTANCE] },
  ],
};

const RESOURCES: readonly ResourceNode[] = [
  {
    path: 'studies',
    methods: [search('SearchForStudies'), { name: 'POST', id: 'StoreInstances', media: [DICOM] }],
    children: [
      {
        path: '{study}',
        methods: [get('RetrieveStudy', [DICOM]), { name: 'POST', id: 'StoreStudyInstances', media: [DICOM] }],
        children: [
          { path: 'metadata', methods: [get('RetrieveStudyMetadata', JSON_MEDIA)] },
          rendered('RetrieveRenderedStudy'),
          thumbnail('RetrieveStudyThumbnail'),
          { path: 'series', methods: [search('SearchForStudySeries')], children: [SERIES] },
          { path: 'instances', methods: [search('SearchForStudyInstances')] },
        ],
      },
    ],
  },
  { path: 'series', methods: [search('SearchForSeries')] },
  { path: 'instances', methods: [search('SearchForInstances')] },
];

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function methodWadl(m: Method, indent: string): string {
  const reps = m.media.map((t) => `${indent}    <representation mediaType="${xml(t)}"/>`).join('\n');
  const params = (m.query ?? [])
    .map((q) => `${indent}    <param name="${xml(q)}" style="query"/>`)
    .join('\n');
  const request = m.name === 'POST' ? reps : params;
  const response =
    m.name === 'POST' ? `${indent}    <representation mediaType="application/dicom+json"/>` : reps;
  return [
    `${indent}<method name="${m.name}" id="${m.id}">`,
    request ? `${indent}  <request>\n${request}\n${indent}  </request>` : '',
    `${indent}  <response status="200">\n${response}\n${indent}  </response>`,
    `${indent}</method>`,
  ]
    .filter(Boolean)
    .join('\n');
}

function resourceWadl(node: ResourceNode, indent: string): string {
  const templates = [...node.path.matchAll(/\{(\w+)\}/g)].map(
    (m) => `${indent}  <param name="${m[1]}" style="template" type="xsd:string"/>`,
  );
  const body = [
    ...templates,
    ...node.methods.map((m) => methodWadl(m, `${indent}  `)),
    ...(node.children ?? []).map((child) => resourceWadl(child, `${indent}  `)),
  ];
  return `${indent}<resource path="${xml(node.path)}">\n${body.join('\n')}\n${indent}</resource>`;
}

export function capabilitiesWadl(baseUrl: string): string {
  const resources = RESOURCES.map((r) => resourceWadl(r, '    ')).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<application xmlns="http://wadl.dev.java.net/2009/02" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <resources base="${xml(baseUrl.replace(/\/*$/, '/'))}">
${resources}
  </resources>
</application>
`;
}

export interface CapabilitiesSummary {
  readonly base: string;
  readonly transactions: readonly { method: string; path: string; id: string; media: readonly string[] }[];
  readonly notes: readonly string[];
}

export function capabilitiesSummary(baseUrl: string): CapabilitiesSummary {
  const transactions: { method: string; path: string; id: string; media: readonly string[] }[] = [];
  const walk = (node: ResourceNode, prefix: string) => {
    const path = `${prefix}/${node.path}`;
    for (const m of node.methods) transactions.push({ method: m.name, path, id: m.id, media: m.media });
    for (const child of node.children ?? []) walk(child, path);
  };
  for (const r of RESOURCES) walk(r, '');
  return {
    base: baseUrl,
    transactions,
    notes: [
      'Instances are returned exactly as stored: transfer-syntax=* or the stored syntax; other syntaxes are 406.',
      'STOW-RS accepts Part 10 instances (application/dicom) only; metadata+bulk data STOW is 415.',
      'QIDO-RS with no match answers 200 with [] (CP-2473).',
    ],
  };
}
