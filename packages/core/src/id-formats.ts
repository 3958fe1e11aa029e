/**
 * Id formats and generators: appid, secret, openid, unionid, session_key, login code, access token, cloudID, rid,
 * device and control tokens. Randomness is injected (a `RandomSource`), so tests can make ids deterministic.
 * @see PROTOCOL.md §2, §8, §9, §11.5, §18
 */

/** Fills a byte array with random bytes (Web Crypto's `getRandomValues` shape). */
export type RandomSource = (bytes: Uint8Array) => Uint8Array;

/** The platform's default randomness: Web Crypto, available in Node ≥ 20 and every browser. */
export const webCryptoRandom: RandomSource = (bytes) => globalThis.crypto.getRandomValues(bytes);

/**
 * Web Crypto randomness handed out from a pool refilled `poolBytes` at a time: a server issuing an id per request makes
 * one `getRandomValues` call per hundred ids instead of one or more per id (Node's randomUUID pools the same way).
 * Every byte is used once.
 */
export function pooledWebCryptoRandom(poolBytes = 4096): RandomSource {
  const pool = new Uint8Array(poolBytes);
  let at = poolBytes;
  return (bytes) => {
    if (bytes.length > poolBytes) return webCryptoRandom(bytes);
    if (at + bytes.length > poolBytes) {
      webCryptoRandom(pool);
      at = 0;
    }
    bytes.set(pool.subarray(at, at + bytes.length));
    at += bytes.length;
    return bytes;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const URLSAFE = `${ALNUM}-_`;
const HEX = '0123456789abcdef';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** WeChat appid: `wx` + 16 lowercase hex. */
export const WECHAT_APPID_PATTERN = /^wx[0-9a-f]{16}$/;
/** QQ appid: 10 digits. */
export const QQ_APPID_PATTERN = /^[1-9][0-9]{9}$/;
/** App secret: 32 lowercase hex. */
export const SECRET_PATTERN = /^[0-9a-f]{32}$/;
/** openid: 28 characters starting with `o`. */
export const OPENID_PATTERN = /^o[A-Za-z0-9_-]{27}$/;
/** cloudID: decimal prefix, `_`, 59 url-safe characters. */
export const CLOUD_ID_PATTERN = /^\d{1,3}_[A-Za-z0-9_-]{59}$/;
/** access token as OpenRun issues it: `<decimal>_<url-safe>` within 512 characters. */
export const ACCESS_TOKEN_PATTERN = /^\d{1,3}_[A-Za-z0-9_-]{20,508}$/;

/** Generators for every id OpenRun issues. */
export interface IdGenerator {
  wechatAppid(): string;
  qqAppid(): string;
  secret(): string;
  openid(): string;
  unionid(): string;
  /** 16 random bytes, base64 (24 characters). */
  sessionKey(): string;
  /** 32 alphanumerics, like real login codes. */
  loginCode(): string;
  accessToken(): string;
  cloudId(): string;
  /** Request id in the platform's `8hex-8hex-8hex` form. */
  rid(): string;
  deviceToken(): string;
  controlToken(): string;
  /** A user id for OpenRun's own records. */
  userId(): string;
}

/** Creates an id generator drawing from `random` (default: Web Crypto). */
export function createIdGenerator(random: RandomSource = webCryptoRandom): IdGenerator {
  const pick = (alphabet: string, length: number): string => {
    // Rejection sampling keeps every character equally likely.
    const limit = 256 - (256 % alphabet.length);
    let out = '';
    while (out.length < length) {
      const buf = random(new Uint8Array(length * 2));
      for (const b of buf) {
        if (b < limit) out += alphabet[b % alphabet.length];
        if (out.length === length) break;
      }
    }
    return out;
  };
  const bytesBase64 = (n: number): string => {
    const buf = random(new Uint8Array(n));
    let s = '';
    for (let i = 0; i < buf.length; i += 3) {
      const a = buf[i] ?? 0;
      const b = buf[i + 1];
      const c = buf[i + 2];
      const triple = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
      s += BASE64[(triple >> 18) & 63]! + BASE64[(triple >> 12) & 63]!;
      s += b === undefined ? '=' : BASE64[(triple >> 6) & 63]!;
      s += c === undefined ? '=' : BASE64[triple & 63]!;
    }
    return s;
  };
  const digitPrefix = (): string => String(10 + (random(new Uint8Array(1))[0]! % 90));
  return {
    wechatAppid: () => `wx${pick(HEX, 16)}`,
    qqAppid: () => `${pick('123456789', 1)}${pick('0123456789', 9)}`,
    secret: () => pick(HEX, 32),
    openid: () => `o${pick(URLSAFE, 27)}`,
    unionid: () => `o${pick(URLSAFE, 27)}`,
    sessionKey: () => bytesBase64(16),
    loginCode: () => pick(ALNUM, 32),
    accessToken: () => `${digitPrefix()}_${pick(URLSAFE, 130)}`,
    cloudId: () => `${digitPrefix()}_${pick(URLSAFE, 59)}`,
    rid: () => `${pick(HEX, 8)}-${pick(HEX, 8)}-${pick(HEX, 8)}`,
    deviceToken: () => `ordev_${pick(ALNUM, 32)}`,
    controlToken: () => `orctl_${pick(ALNUM, 32)}`,
    userId: () => `u_${pick(HEX, 12)}`,
  };
}
