export type { ClientGrantType, ClientRegistration } from './clients.ts';
export { DEFAULT_TTL, type Ttl } from './configuration.ts';
export {
  createIdentityProvider,
  type IdentityProvider,
  type IdentityProviderOptions,
  type SecurityEvent,
} from './identity-provider.ts';
export { SigningKeyStore } from './keys.ts';
export { type AccessTokenClaims, AccessTokenVerifier, principalFromClaims } from './verify.ts';
