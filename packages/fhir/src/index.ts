export * from './access/index.ts';
export * from './errors/index.ts';
export * from './identity/index.ts';
export * from './patch/index.ts';
export * from './projection/index.ts';
export * from './search/index.ts';
export * from './validation/index.ts';
