/**
 * `@openrun/core/cipher`: the Node-only half of core (AES open-data cipher, signatures, secret comparison).
 */
export {
  decryptOpenData,
  decryptOpenDataText,
  encryptOpenData,
  OpenDataCipherError,
} from './open-data-cipher.js';
export type {
  DecryptOptions,
  EncryptedOpenData,
  OpenDataCipherCode,
  OpenDataCipherReason,
} from './open-data-cipher.js';
export { rawDataSignature, secretsEqual, sessionKeySignature } from './signatures.js';
