/** Core's decryption to text and the JSON parse, with core's cipher errors translated to the SDK's classes. */
import { decryptOpenDataText, OpenDataCipherError } from '@openrun/core/cipher';
import { DecryptFailedError, fromCipherError } from '../decrypt-error.js';

/** Decrypts to the UTF-8 plaintext; throws the SDK's {@link DecryptError} subclass for the cause. */
export function decryptText(sessionKey: string, encryptedData: string, iv: string, acceptSpaceAsPlus: boolean): string {
  try {
    return decryptOpenDataText(sessionKey, encryptedData, iv, { acceptSpaceAsPlus });
  } catch (error) {
    if (error instanceof OpenDataCipherError) throw fromCipherError(error);
    throw error;
  }
}

/** Parses a decrypted plaintext; a non-JSON plaintext means a wrong key or iv (-41003). */
export function parsePlaintext(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DecryptFailedError('bad-json', 'decrypted data is not JSON: wrong session_key or iv');
  }
}
