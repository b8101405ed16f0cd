/**
 * Debian's Orthanc (1.10, with its DICOMweb plugin) as the reference PACS of `npm run bench:pacs`,
 * started with a throw-away storage directory on free ports. Needs `apt-get install -y orthanc
 * orthanc-dicomweb`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../packages/cli/test/server-process.ts';

const BINARY = '/usr/sbin/Orthanc';
const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

export interface OrthancProcess extends AsyncDisposable {
  readonly http: string;
  /** DICOMweb base URL. */
  readonly dicomweb: string;
  readonly dicomPort: number;
  readonly aeTitle: string;
  readonly child: ChildProcess;
}

export async function startOrthanc(dir: string, peers: Record<string, [string, string, number]> = {}) {
  if (!existsSync(BINARY) || !existsSync(DICOMWEB_PLUGIN))
    throw new Error('Orthanc is missing: apt-get install -y orthanc orthanc-dicomweb');
  mkdirSync(dir, { recursive: true });
  const httpPort = await freePort();
  const dicomPort = await freePort();
  const config = {
    Name: 'bench',
    StorageDirectory: join(dir, 'storage'),
    IndexDirectory: join(dir, 'index'),
    StorageCompression: false,
    HttpPort: httpPort,
    DicomPort: dicomPort,
    DicomAet: 'ORTHANC',
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    HttpServerEnabled: true,
    DicomCheckCalledAet: false,
    DicomAlwaysAllowStore: true,
    DicomAlwaysAllowFind: true,
    DicomAlwaysAllowMove: true,
    DicomModalities: peers,
    // Orthanc's own switch for TCP_NODELAY on DICOM associations (Nagle off, as for Yiyun).
    TcpNoDelay: true,
    HttpThreadsCount: 50,
    ConcurrentJobs: 2,
    SaveJobs: false,
    OverwriteInstances: true,
    Plugins: [DICOMWEB_PLUGIN],
    DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: false, Ssl: false },
  };
  const file = join(dir, 'orthanc.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  const child = spawn(BINARY, [file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  const http = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Orthanc exited (${child.exitCode}): ${log}`);
    const ok = await fetch(`${http}/system`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`Orthanc did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    http,
    dicomweb: `${http}/dicom-web`,
    dicomPort,
    aeTitle: 'ORTHANC',
    child,
    async [Symbol.asyncDispose]() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  } satisfies OrthancProcess;
}

/** Resident set size of a process in bytes (Linux /proc); 0 once it has exited. */
export function rssOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
