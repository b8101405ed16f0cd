/**
 * Writes CT Image Storage instances in Explicit VR Little Endian (PS3.5 §7.1.2, PS3.10 §7.1) for the
 * PACS benchmark: 512 × 512 × 16-bit slices (≈ 525 KB each, the size Orthanc was measured with in
 * issue #6). A direct writer: generating 2,400 of them must not dominate the benchmark.
 */
const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLEMENTATION_UID = '2.25.231717316592341938419612283411393489513';
const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN', 'UC', 'UR']);

export interface CtSlice {
  readonly patientId: string;
  /** PN, e.g. `Wang^Fang=王^芳`. */
  readonly patientName: string;
  readonly birthDate: string;
  readonly sex: 'M' | 'F';
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly sopUid: string;
  readonly studyDate: string;
  readonly accession: string;
  readonly instanceNumber: number;
  /** Rows = columns (default 512); `pixels` holds size² 16-bit values. */
  readonly size?: number;
  readonly pixels: Uint8Array;
}

type Element = readonly [tag: number, vr: string, value: string | Uint8Array | number];

function pad(value: string, vr: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length % 2 === 0) return bytes;
  return Buffer.concat([bytes, Buffer.from(vr === 'UI' || vr === 'OB' ? [0] : [0x20])]);
}

function encode([tag, vr, value]: Element): Buffer[] {
  let body: Buffer;
  if (typeof value === 'number') {
    body = Buffer.alloc(2);
    body.writeUInt16LE(value);
  } else
    body =
      typeof value === 'string'
        ? pad(value, vr)
        : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const long = LONG_VRS.has(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(tag >>> 16, 0);
  head.writeUInt16LE(tag & 0xffff, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(body.length, 8);
  else head.writeUInt16LE(body.length, 6);
  return [head, body];
}

export function ctInstance(s: CtSlice): Buffer {
  const meta: Element[] = [
    [0x00020001, 'OB', new Uint8Array([0, 1])],
    [0x00020002, 'UI', CT_IMAGE_STORAGE],
    [0x00020003, 'UI', s.sopUid],
    [0x00020010, 'UI', EXPLICIT_LE],
    [0x00020012, 'UI', IMPLEMENTATION_UID],
  ];
  const metaBody = meta.flatMap(encode);
  const metaLength = metaBody.reduce((n, b) => n + b.length, 0);
  const groupLength = Buffer.alloc(12);
  groupLength.writeUInt32LE(0x00000002, 0);
  groupLength.write('UL', 4, 'latin1');
  groupLength.writeUInt16LE(4, 6);
  groupLength.writeUInt32LE(metaLength, 8);
  const dataset: Element[] = [
    [0x00080005, 'CS', 'ISO_IR 192'],
    [0x00080008, 'CS', 'ORIGINAL\\PRIMARY\\AXIAL'],
    [0x00080016, 'UI', CT_IMAGE_STORAGE],
    [0x00080018, 'UI', s.sopUid],
    [0x00080020, 'DA', s.studyDate],
    [0x00080030, 'TM', '093000'],
    [0x00080050, 'SH', s.accession],
    [0x00080060, 'CS', 'CT'],
    [0x00080080, 'LO', 'Yiyun bench hospital'],
    [0x00081030, 'LO', 'CT chest'],
    [0x00100010, 'PN', s.patientName],
    [0x00100020, 'LO', s.patientId],
    [0x00100030, 'DA', s.birthDate],
    [0x00100040, 'CS', s.sex],
    [0x00180050, 'DS', '1.25'],
    [0x0020000d, 'UI', s.studyUid],
    [0x0020000e, 'UI', s.seriesUid],
    [0x00200010, 'SH', '1'],
    [0x00200011, 'IS', '1'],
    [0x00200013, 'IS', String(s.instanceNumber)],
    [0x00200032, 'DS', `-250\\-250\\${(-s.instanceNumber * 1.25).toFixed(2)}`],
    [0x00200037, 'DS', '1\\0\\0\\0\\1\\0'],
    [0x00280002, 'US', 1],
    [0x00280004, 'CS', 'MONOCHROME2'],
    [0x00280010, 'US', s.size ?? 512],
    [0x00280011, 'US', s.size ?? 512],
    [0x00280030, 'DS', '0.9765625\\0.9765625'],
    [0x00280100, 'US', 16],
    [0x00280101, 'US', 12],
    [0x00280102, 'US', 11],
    [0x00280103, 'US', 0],
    [0x00281050, 'DS', '40'],
    [0x00281051, 'DS', '400'],
    [0x00281052, 'DS', '-1024'],
    [0x00281053, 'DS', '1'],
    [0x7fe00010, 'OW', s.pixels],
  ];
  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM', 'latin1'),
    groupLength,
    ...metaBody,
    ...dataset.flatMap(encode),
  ]);
}

/** An n × n slice (default 512): a body ellipse with a little structure, different per slice number. */
export function ctPixels(slice: number, n = 512): Uint8Array {
  const px = new Uint16Array(n * n);
  let seed = (slice * 2654435761) >>> 0;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const dx = (x - n / 2 + 0.5) / (n * 0.45);
      const dy = (y - n / 2 + 0.5) / (n * (0.33 + (slice % 20) / 500));
      const r = dx * dx + dy * dy;
      seed = (seed * 1664525 + 1013904223) >>> 0;
      const noise = (seed >>> 28) - 8;
      px[y * n + x] = r <= 1 ? 1064 + noise + (r > 0.9 ? 700 : 0) : 24 + (noise & 3);
    }
  }
  return new Uint8Array(px.buffer);
}
