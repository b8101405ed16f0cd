export { type AppConfig, type AppDeps, type AppStore, createApp } from './app.ts';
export * from './fhir/index.ts';
export type { AppEnv } from './http/env.ts';
export { createPlatform, type Platform, type PlatformConfig } from './platform.ts';
