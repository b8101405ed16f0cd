export { createKeyRing, deriveMasterKey, type KeyRing, type MasterKey, parseKeyRing } from './key-ring.ts';
export { createObjectCipher, type ObjectCipherOptions, storedRangeFor } from './object-cipher.ts';
export * from './port.ts';
