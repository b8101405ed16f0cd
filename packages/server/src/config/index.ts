export {
  type Config,
  ConfigError,
  type DicomPeerConfig,
  ENV_KEYS,
  loadConfig,
  registryThresholds,
} from './config.ts';
