/** The demo region that `yiyun serve` loads into an empty store (issue #3, scope item 6). */
export {
  DEMO_ACCOUNT_SPECS,
  type DemoAccountEntry,
  type DemoAccountListing,
  type DemoAccountsOutcome,
  type DemoCredentials,
  type DemoRole,
  demoCredentialsPath,
  ensureDemoAccounts,
  readDemoCredentials,
  writeDemoCredentials,
} from './demo-accounts.ts';
export { formatBanner } from './demo-banner.ts';
export { ensureDemoHealthCard } from './demo-card.ts';
export {
  type DemoImagesOutcome,
  type DemoImagesProgressReporter,
  type DemoImagesResult,
  type EnsureDemoImagesOptions,
  ensureDemoImages,
} from './demo-images.ts';
export { parseDemoResidents } from './demo-option.ts';
export {
  createDemoImagesProgressBar,
  createDemoProgressBar,
  estimateTotalResources,
} from './demo-progress.ts';
export {
  type DemoOutcome,
  type DemoProgressReporter,
  type EnsureDemoOptions,
  ensureDemoRegion,
  isStoreEmpty,
} from './ensure-demo.ts';
export {
  DEMO_AS_OF,
  DEMO_SEED,
  type DemoLoadOptions,
  type DemoLoadProgress,
  type DemoLoadResult,
  demoSynthOptions,
  loadDemoRegion,
} from './load-demo.ts';
export { createResourceChannel, type ResourceChannel } from './resource-channel.ts';
