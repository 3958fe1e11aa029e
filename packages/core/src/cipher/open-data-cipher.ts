/**
 * The open-data cipher: AES-128-CBC with PKCS#7, keyed by the base64 session_key, base64 on the wire. Node only
 * (`@openrun/core/cipher`); the error codes are the official WXBizDataCrypt ones.
 * @see PROTOCOL.md §7.1, §7.2
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The official WXBizDataCrypt codes: -41001 bad key, -41002 bad IV, -41003 decrypt/JSON failure, -41004 base64. */
export type OpenDataCipherCode = -41001 | -41002 | -41003 | -41004;

/** Which check failed, finer than the official code. */
export type OpenDataCipherReason = 'bad-session-key' | 'bad-iv' | 'bad-base64' | 'bad-padding' | 'bad-json';

/** Why open data could not be decrypted; `code` is the official WXBizDataCrypt code. */
export class OpenDataCipherError extends Error {
  override readonly name = 'OpenDataCipherError';
  constructor(
    readonly code: OpenDataCipherCode,
    readonly reason: OpenDataCipherReason,
    message: string,
  ) {
    super(`[openrun] ${message} (${code})`);
  }
}

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Options of {@link decryptOpenData}. */
export interface DecryptOptions {
  /**
   * Read spaces as `+`: form-encoded transports turn an unescaped `+` into a space, and the data can still be saved.
   * Default true.
   */
  acceptSpaceAsPlus?: boolean;
}

function decodeBase64(value: string, lenient: boolean): Buffer | undefined {
  const text = lenient ? value.replace(/ /g, '+') : value;
  if (typeof text !== 'string' || !BASE64_PATTERN.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

function keyBytes(sessionKey: string, lenient: boolean): Buffer {
  const key = typeof sessionKey === 'string' ? decodeBase64(sessionKey, lenient) : undefined;
  if (!key || key.length !== 16) {
    throw new OpenDataCipherError(-41001, 'bad-session-key', 'session_key is not the base64 of 16 bytes');
  }
  return key;
}

function ivBytes(iv: string, lenient: boolean): Buffer {
  const bytes = typeof iv === 'string' ? decodeBase64(iv, lenient) : undefined;
  if (!bytes || bytes.length !== 16) throw new OpenDataCipherError(-41002, 'bad-iv', 'iv is not the base64 of 16 bytes');
  return bytes;
}

/** Decrypts `encryptedData` to its UTF-8 plaintext; throws {@link OpenDataCipherError}. */
export function decryptOpenDataText(sessionKey: string, encryptedData: string, iv: string, options: DecryptOptions = {}): string {
  const lenient = options.acceptSpaceAsPlus ?? true;
  const key = keyBytes(sessionKey, lenient);
  const ivb = ivBytes(iv, lenient);
  const data = typeof encryptedData === 'string' ? decodeBase64(encryptedData, lenient) : undefined;
  if (!data || data.length === 0 || data.length % 16 !== 0) {
    throw new OpenDataCipherError(-41004, 'bad-base64', 'encryptedData is not base64 of whole AES blocks');
  }
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, ivb);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    throw new OpenDataCipherError(-41003, 'bad-padding', 'decryption failed: wrong session_key or iv, or damaged data');
  }
}

/** Decrypts and parses open data (without checking the watermark); throws {@link OpenDataCipherError}. */
export function decryptOpenData(sessionKey: string, encryptedData: string, iv: string, options: DecryptOptions = {}): unknown {
  const text = decryptOpenDataText(sessionKey, encryptedData, iv, options);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new OpenDataCipherError(-41003, 'bad-json', 'decrypted data is not JSON: wrong session_key or iv');
  }
}

/** The two base64 fields a client API hands to the mini program. */
export interface EncryptedOpenData {
  encryptedData: string;
  iv: string;
}

/** Encrypts a plaintext for `sessionKey` with a fresh random IV (or the given 16-byte one, for tests). */
export function encryptOpenData(sessionKey: string, plaintext: string, iv?: Uint8Array): EncryptedOpenData {
  const key = keyBytes(sessionKey, false);
  const ivb = iv ? Buffer.from(iv) : randomBytes(16);
  if (ivb.length !== 16) throw new OpenDataCipherError(-41002, 'bad-iv', 'iv must be 16 bytes');
  const cipher = createCipheriv('aes-128-cbc', key, ivb);
  const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { encryptedData: encrypted.toString('base64'), iv: ivb.toString('base64') };
}
