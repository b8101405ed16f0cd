export * from './errors/index.ts';
export * from './search/index.ts';
export * from './validation/index.ts';
