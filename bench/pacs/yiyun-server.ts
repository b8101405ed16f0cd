/**
 * The Yiyun side of `npm run bench:pacs`, as its own process (its memory is measured): the platform
 * composed as `yiyun serve` does it (identity provider, access control, audit, registry, the cloud
 * PACS) on a fresh PostgreSQL database, DICOMweb on 127.0.0.1 and the DIMSE listener with the
 * benchmark's storescu as a known peer. Prints one JSON line: {origin, dicomPort, token}.
 *   node bench/pacs/yiyun-server.ts <cipher> <replicas> <coldDir>
 */
import { authorize } from '@yiyun/auth';
import { startDimseListener, tuneHeapForServing } from '@yiyun/server';
import pino from 'pino';
import { createAccessFixture, POLICY } from '../../packages/server/test/access/access-fixture.ts';

process.env['YIYUN_TEST_STORE'] = 'postgres';
tuneHeapForServing(); // as `yiyun serve` does
const [cipher = 'none', replicas = '1'] = process.argv.slice(2);
const HOSPITAL = 'bench-hospital';

const fx = await createAccessFixture({
  imaging: {
    imageCipher: cipher as 'none' | 'aes-256-gcm' | 'sm4-ctr-hmac-sm3',
    imageReplicas: Number(replicas),
  },
  maxBodyBytes: 256 * 1024 * 1024,
});
const imaging = fx.imaging;
if (!imaging) throw new Error('the fixture composed no imaging');
await fx.store.repository().create({ resourceType: 'Organization', id: HOSPITAL, name: '基准测试医院' });
const token = await fx.systemToken('bench-pacs', { organization: HOSPITAL });
const dimse = await startDimseListener({
  service: imaging.service,
  auth: { authorize: (principal) => authorize(principal, POLICY) },
  aeTitle: 'YIYUN',
  host: '127.0.0.1',
  port: 0,
  peers: [
    {
      aeTitle: 'BENCH',
      host: '127.0.0.1',
      port: 0,
      organization: HOSPITAL,
      canStore: true,
      canRetrieve: true,
    },
  ],
  logger: pino({ level: 'warn' }),
});
const announce = (token: string) =>
  process.stdout.write(`${JSON.stringify({ origin: fx.origin, dicomPort: dimse.port, token })}\n`);
announce(token);
// Tokens live 15 minutes; loading 100 k instances takes longer.
setInterval(
  () => void fx.systemToken(`bench-pacs-${Date.now()}`, { organization: HOSPITAL }).then(announce),
  300_000,
).unref();
const stop = async () => {
  await dimse.close();
  await fx[Symbol.asyncDispose]();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
