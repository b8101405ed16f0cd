export { type Config, ConfigError, ENV_KEYS, loadConfig } from './config.ts';
