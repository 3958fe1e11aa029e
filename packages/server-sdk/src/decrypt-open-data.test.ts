import { encryptOpenData } from '@openrun/core/cipher';
import { describe, expect, it } from 'vitest';
import {
  Base64DecodeError,
  DecryptFailedError,
  InvalidIvError,
  InvalidOpenDataError,
  InvalidSessionKeyError,
  WatermarkAppIdMismatchError,
  WatermarkFromFutureError,
  WatermarkTooOldError,
} from './decrypt-error.js';
import { decryptOpenData } from './decrypt-open-data.js';

// The official WXBizDataCrypt sample vector (signature.html, aes-sample.zip).
const VECTOR = {
  appid: 'wx4f4bc4dec97d474b',
  sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==',
  encryptedData:
    'CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==',
  iv: 'r7BXXKkLb8qrSNn05n0qiA==',
  watermarkTimestamp: 1477314187,
};
const { appid, sessionKey, encryptedData, iv } = VECTOR;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('decryptOpenData', () => {
  it('decrypts the official sample vector and checks its watermark', () => {
    const data = decryptOpenData(sessionKey, encryptedData, iv, { appid });
    expect(data['openId']).toBe('oGZUI0egBJY1zhBYw2KhdUfwVJJE');
    expect(data.watermark).toEqual({ timestamp: VECTOR.watermarkTimestamp, appid });
  });

  it('throws InvalidSessionKeyError (-41001) for a session_key that is not 16 bytes of base64', () => {
    const error = thrown(() => decryptOpenData('abc', encryptedData, iv, { appid }));
    expect(error).toBeInstanceOf(InvalidSessionKeyError);
    expect(error).toMatchObject({ code: -41001, type: 'invalid_session_key' });
  });

  it('throws InvalidIvError (-41002) for an iv that is not 16 bytes of base64', () => {
    expect(thrown(() => decryptOpenData(sessionKey, encryptedData, 'abc', { appid }))).toMatchObject({
      constructor: InvalidIvError,
      code: -41002,
    });
  });

  it('throws Base64DecodeError (-41004) for encryptedData that is not base64', () => {
    expect(thrown(() => decryptOpenData(sessionKey, '#not base64#', iv, { appid }))).toMatchObject({
      constructor: Base64DecodeError,
      code: -41004,
    });
  });

  it('throws DecryptFailedError (-41003, bad padding) for a session_key that rotated', () => {
    const otherKey = Buffer.alloc(16, 7).toString('base64');
    expect(thrown(() => decryptOpenData(otherKey, encryptedData, iv, { appid }))).toMatchObject({
      constructor: DecryptFailedError,
      code: -41003,
    });
  });

  it('throws DecryptFailedError (-41003, bad JSON) when the plaintext is not JSON', () => {
    const sealed = encryptOpenData(sessionKey, 'not json at all');
    expect(thrown(() => decryptOpenData(sessionKey, sealed.encryptedData, sealed.iv, { appid }))).toMatchObject({
      constructor: DecryptFailedError,
      code: -41003,
      reason: 'bad-json',
    });
  });

  it('throws InvalidOpenDataError for JSON without a watermark', () => {
    const sealed = encryptOpenData(sessionKey, '{"stepInfoList":[]}');
    expect(thrown(() => decryptOpenData(sessionKey, sealed.encryptedData, sealed.iv, { appid }))).toBeInstanceOf(
      InvalidOpenDataError,
    );
  });

  it('throws WatermarkAppIdMismatchError (-41003) when the data was issued to another app', () => {
    expect(thrown(() => decryptOpenData(sessionKey, encryptedData, iv, { appid: 'wx0000000000000000' }))).toMatchObject({
      constructor: WatermarkAppIdMismatchError,
      code: -41003,
    });
  });

  it('throws WatermarkTooOldError when the watermark is older than maxAgeSeconds', () => {
    const nowSeconds = VECTOR.watermarkTimestamp + 601;
    expect(thrown(() => decryptOpenData(sessionKey, encryptedData, iv, { appid, maxAgeSeconds: 600, nowSeconds }))).toBeInstanceOf(
      WatermarkTooOldError,
    );
    expect(decryptOpenData(sessionKey, encryptedData, iv, { appid, maxAgeSeconds: 601, nowSeconds }).watermark.appid).toBe(appid);
  });

  it('throws WatermarkFromFutureError for data stamped beyond the allowed clock skew', () => {
    const nowSeconds = VECTOR.watermarkTimestamp - 301;
    expect(thrown(() => decryptOpenData(sessionKey, encryptedData, iv, { appid, maxAgeSeconds: 600, nowSeconds }))).toBeInstanceOf(
      WatermarkFromFutureError,
    );
  });

  it('reads spaces as plus signs (form-encoded mangling) unless told not to', () => {
    const mangled = encryptedData.replace(/\+/g, ' ');
    expect(mangled).not.toBe(encryptedData);
    expect(decryptOpenData(sessionKey, mangled, iv, { appid })['openId']).toBe('oGZUI0egBJY1zhBYw2KhdUfwVJJE');
    expect(thrown(() => decryptOpenData(sessionKey, mangled, iv, { appid, acceptSpaceAsPlus: false }))).toBeInstanceOf(
      Base64DecodeError,
    );
  });

  it('never puts the session_key into an error message', () => {
    const otherKey = Buffer.alloc(16, 9).toString('base64');
    const error = thrown(() => decryptOpenData(otherKey, encryptedData, iv, { appid })) as Error;
    expect(error.message).not.toContain(otherKey);
  });
});
