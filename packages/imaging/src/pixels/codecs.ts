import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import dcmjsCodecs from 'dcmjs-codecs';
import dcmjsImaging from 'dcmjs-imaging';

const require = createRequire(import.meta.url);

function wasmBeside(packageName: string): string {
  return join(dirname(require.resolve(packageName)), 'dcmjs-native-codecs.wasm');
}

/**
 * The WASM codecs of dcmjs-imaging (decoding RLE, JPEG, JPEG-LS, JPEG 2000, HTJ2K, JPEG XL for rendering)
 * and of dcmjs-codecs (its libjpeg encoder writes the rendered JPEG ~10× faster than jpeg-js, whose
 * encoder rebuilds its tables on every call). Both libraries keep the instance in static state of their
 * own; this promise only makes concurrent first callers share one instantiation.
 */
let initializing: Promise<void> | undefined;

export function initPixelCodecs(): Promise<void> {
  initializing ??= instantiate().catch((err: unknown) => {
    initializing = undefined;
    throw err;
  });
  return initializing;
}

async function instantiate(): Promise<void> {
  quietDcmjs();
  const { NativePixelDecoder } = dcmjsImaging;
  const { NativeCodecs } = dcmjsCodecs;
  await Promise.all([
    NativePixelDecoder.isInitialized()
      ? undefined
      : NativePixelDecoder.initializeAsync({ webAssemblyModulePathOrUrl: wasmBeside('dcmjs-imaging') }),
    NativeCodecs.isInitialized()
      ? undefined
      : NativeCodecs.initializeAsync({ webAssemblyModulePathOrUrl: wasmBeside('dcmjs-codecs') }),
  ]);
}

interface Logger {
  setLevel(level: 'silent'): void;
  getLogger(name: string): Logger;
}

/**
 * dcmjs-imaging parses with its own copy of dcmjs, which writes warnings and stack traces of damaged input
 * to the console. Rendering reports such input as an AppError instead, so those loggers are silenced.
 */
function quietDcmjs(): void {
  dcmjsImaging.log.setLevel('error');
  const nested: unknown = createRequire(require.resolve('dcmjs-imaging'))('dcmjs');
  const log = (nested as { log?: Logger }).log;
  if (log === undefined) return;
  log.setLevel('silent');
  log.getLogger('validation.dcmjs').setLevel('silent');
}
