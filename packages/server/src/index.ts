export { type AppAuth, type AppConfig, type AppDeps, type AppStore, createApp } from './app.ts';
export * from './fhir/index.ts';
export { type BearerAuthOptions, bearerAuth } from './http/bearer-auth.ts';
export type { AppEnv } from './http/env.ts';
export { createNodeListener } from './http/node-listener.ts';
export { createPlatform, type Platform, type PlatformConfig } from './platform.ts';
export { openSecurity, type Security, type SecurityOptions } from './security.ts';
