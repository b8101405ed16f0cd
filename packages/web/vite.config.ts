import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server serves dist/ under /app/; a relative base keeps the build independent of that prefix
// (routing is in the hash, so the document URL is always the app's index).
export default defineConfig({
  base: './',
  plugins: [react()],
  // Cornerstone's DICOM loader starts its decoder as a module worker
  // (`new Worker(new URL('./decodeImageFrameWorker.js', import.meta.url), { type: 'module' })`) and the
  // worker loads WASM codecs: pre-bundling would break those relative URLs in dev, and the worker
  // bundle must be ES to allow code splitting (Cornerstone3D docs, "Vite — basic setup").
  optimizeDeps: {
    exclude: ['@cornerstonejs/dicom-image-loader'],
    include: ['dicom-parser'],
  },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The viewer chunk (Cornerstone + vtk.js) is large by nature and loads on demand.
    chunkSizeWarningLimit: 5000,
  },
  server: {
    proxy: { '/dicomweb': 'http://127.0.0.1:8080' },
  },
});
