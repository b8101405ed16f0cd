// Runs s3rver in its own process for `s3-server.ts`: killing the process is a realistic "S3 server
// crashed", and the process needs `--openssl-legacy-provider` because s3rver 3.7 encrypts its
// ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only has in the legacy provider.
import S3rver from 's3rver';

interface ChildArgs {
  readonly directory: string;
  readonly port: number;
  readonly bucket: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
const server = new S3rver({
  address: '127.0.0.1',
  port: args.port,
  silent: true,
  directory: args.directory,
  configureBuckets: [{ name: args.bucket }],
});
const address = await server.run();
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
// The parent holds our stdin: when it goes away (test runner killed), so do we.
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
