/**
 * The open-data cipher: AES-128-CBC with PKCS#7, keyed by the base64 session_key, base64 on the wire. Node only
 * (`@openrun/core/cipher`); the error codes are the official WXBizDataCrypt ones.
 * @see PROTOCOL.md §7.1, §7.2
 */
import { createCipheriv, createDecipheriv, type Cipher } from 'node:crypto';
import { pooledWebCryptoRandom } from '../id-formats.js';

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

/** Options of {@link decryptOpenData}. */
export interface DecryptOptions {
  /**
   * Read spaces as `+`: form-encoded transports turn an unescaped `+` into a space, and the data can still be saved.
   * Default true.
   */
  acceptSpaceAsPlus?: boolean;
}

const EQUALS = 61;

/**
 * Strict standard base64 (alphabet `+/`, `=` padding). Node's decoder skips characters outside the alphabet, so a
 * decode is strict exactly when its length matches the text's; the URL-safe `-_` that Node also reads are refused.
 */
export function decodeStrictBase64(value: string, acceptSpaceAsPlus: boolean): Buffer | undefined {
  if (typeof value !== 'string') return undefined;
  const text = acceptSpaceAsPlus && value.includes(' ') ? value.replace(/ /g, '+') : value;
  const n = text.length;
  if (n % 4 !== 0 || text.includes('-') || text.includes('_')) return undefined;
  if (n === 0) return Buffer.alloc(0);
  const padding = text.charCodeAt(n - 1) === EQUALS ? (text.charCodeAt(n - 2) === EQUALS ? 2 : 1) : 0;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === (n / 4) * 3 - padding ? bytes : undefined;
}

function keyBytes(sessionKey: string, lenient: boolean): Buffer {
  const key = decodeStrictBase64(sessionKey, lenient);
  if (!key || key.length !== 16) {
    throw new OpenDataCipherError(-41001, 'bad-session-key', 'session_key is not the base64 of 16 bytes');
  }
  return key;
}

function ivBytes(iv: string, lenient: boolean): Buffer {
  const bytes = decodeStrictBase64(iv, lenient);
  if (!bytes || bytes.length !== 16) throw new OpenDataCipherError(-41002, 'bad-iv', 'iv is not the base64 of 16 bytes');
  return bytes;
}

/** Decrypts `encryptedData` to its UTF-8 plaintext; throws {@link OpenDataCipherError}. */
export function decryptOpenDataText(sessionKey: string, encryptedData: string, iv: string, options: DecryptOptions = {}): string {
  const lenient = options.acceptSpaceAsPlus ?? true;
  const key = keyBytes(sessionKey, lenient);
  const ivb = ivBytes(iv, lenient);
  const data = decodeStrictBase64(encryptedData, lenient);
  if (!data || data.length === 0 || data.length % 16 !== 0) {
    throw new OpenDataCipherError(-41004, 'bad-base64', 'encryptedData is not base64 of whole AES blocks');
  }
  // PKCS#7 is checked by hand (auto padding off): the same rule as OpenSSL's, without an exception on the bad path.
  const decipher = createDecipheriv('aes-128-cbc', key, ivb);
  decipher.setAutoPadding(false);
  const head = decipher.update(data);
  const tail = decipher.final();
  const plain = tail.length === 0 ? head : Buffer.concat([head, tail]);
  const n = plain.length;
  const pad = plain[n - 1] ?? 0;
  let valid = pad >= 1 && pad <= 16;
  for (let i = n - pad; valid && i < n - 1; i++) valid = plain[i] === pad;
  if (!valid) throw new OpenDataCipherError(-41003, 'bad-padding', 'decryption failed: wrong session_key or iv, or damaged data');
  return plain.toString('utf8', 0, n - pad);
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

/** Fresh IVs, 16 bytes at a time from a pool: one Web Crypto call per 256 encryptions instead of one each. */
const ivRandom = pooledWebCryptoRandom();

/**
 * An AES-128-CBC cipher kept open for one key (no padding, never finished) and the last block it produced. CBC feeds
 * each ciphertext block into the next, so such a stream encrypts any message under any IV when the message's first
 * block is XORed with the IV and with that last block: the output is exactly the one-shot cipher's, without setting
 * up a cipher for every call (what cost most of an encryption).
 */
interface KeyedCbc {
  cipher: Cipher;
  last: Buffer;
}
const ENCRYPTORS_KEPT = 1024;
const encryptors = new Map<string, KeyedCbc>();

function encryptorOf(sessionKey: string): KeyedCbc {
  const kept = encryptors.get(sessionKey);
  if (kept) return kept;
  const last = Buffer.alloc(16);
  const cipher = createCipheriv('aes-128-cbc', keyBytes(sessionKey, false), last);
  cipher.setAutoPadding(false);
  if (encryptors.size >= ENCRYPTORS_KEPT) encryptors.delete(encryptors.keys().next().value!);
  const made = { cipher, last };
  encryptors.set(sessionKey, made);
  return made;
}

/** Encrypts a plaintext for `sessionKey` with a fresh random IV (or the given 16-byte one, for tests). */
export function encryptOpenData(sessionKey: string, plaintext: string, iv?: Uint8Array): EncryptedOpenData {
  const stream = encryptorOf(sessionKey);
  const ivb = Buffer.from(iv ?? ivRandom(new Uint8Array(16)));
  if (ivb.length !== 16) throw new OpenDataCipherError(-41002, 'bad-iv', 'iv must be 16 bytes');
  // PKCS#7: 1 to 16 bytes of padding, each holding the padding's length.
  const length = Buffer.byteLength(plaintext, 'utf8');
  const padded = (Math.floor(length / 16) + 1) * 16;
  const block = Buffer.allocUnsafe(padded);
  block.write(plaintext, 0, 'utf8');
  block.fill(padded - length, length);
  for (let i = 0; i < 16; i++) block[i] = block[i]! ^ ivb[i]! ^ stream.last[i]!;
  const encrypted = stream.cipher.update(block);
  stream.last = Buffer.from(encrypted.subarray(padded - 16));
  return { encryptedData: encrypted.toString('base64'), iv: ivb.toString('base64') };
}
