export { type Config, ConfigError, ENV_KEYS, loadConfig, registryThresholds } from './config.ts';
