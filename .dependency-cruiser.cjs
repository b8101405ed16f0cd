/** Import-graph rules (ARCHITECTURE.md): no cycles; capabilities depend one way. */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'cycles through type-only imports are erased at run time and allowed',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'fhir-is-pure',
      comment: 'packages/fhir has no I/O and depends on no other Yiyun package',
      severity: 'error',
      from: { path: '^packages/fhir/' },
      to: { path: '^packages/(store|auth|mpi|imaging|server|cli|synth|web)/' },
    },
    {
      name: 'store-below-server',
      severity: 'error',
      from: { path: '^packages/store/' },
      to: { path: '^packages/(auth|server|cli|synth)/' },
    },
    {
      name: 'capabilities-below-server',
      comment: 'auth (and later mpi, imaging …) use fhir and store; the server composes them',
      severity: 'error',
      from: { path: '^packages/(auth|mpi|imaging)/' },
      to: { path: '^packages/(server|cli|synth|auth|mpi|imaging|web)/', pathNot: '^packages/$1/' },
    },
    {
      name: 'server-below-cli',
      severity: 'error',
      from: { path: '^packages/server/' },
      to: { path: '^packages/(cli|synth)/' },
    },
    {
      name: 'synth-loads-over-http',
      comment: 'synth depends only on FHIR types and a DICOM writer',
      severity: 'error',
      from: { path: '^packages/synth/' },
      to: { path: '^packages/(store|auth|server|cli)/' },
    },
    {
      name: 'public-entry-only',
      comment: 'packages import each other through their package entry, never src/ internals',
      severity: 'error',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/([^/]+)/src/', pathNot: '^packages/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(node_modules|\\.scratch|/dist/)' },
  },
};
