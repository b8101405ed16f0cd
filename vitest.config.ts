import { defineConfig } from 'vitest/config';

// Unit tests (`*.test.ts`) touch no I/O. I/O tests (`*.io.test.ts`) use real components other than
// the store, once. Integration tests (`*.int.test.ts`) run against the real
// store named by YIYUN_TEST_STORE (pglite | postgres); scripts/test.ts runs them once per store.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'packages/web/src/**/*.test.tsx',
          ],
          exclude: ['**/*.int.test.ts', '**/*.io.test.ts', '**/node_modules/**'],
        },
      },
      {
        // Real components that are not the FHIR store (S3-protocol server, dcmtk, Chromium): once per run.
        test: {
          name: 'io',
          include: ['packages/*/src/**/*.io.test.ts', 'packages/*/test/**/*.io.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The built web app and a real server in Debian's Chromium (`npm run build -w @yiyun/web` first).
        test: {
          name: 'e2e',
          include: ['packages/*/e2e/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/*/src/**/*.int.test.ts', 'packages/*/test/**/*.int.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Files run side by side (scripts/test.ts: two at a time): each has its own database,
          // temp directories and ports, and most of their time is spent waiting on child processes.
        },
      },
    ],
  },
});
