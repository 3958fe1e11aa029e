import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStrictBase64, decryptOpenData, encryptOpenData, OpenDataCipherError } from './open-data-cipher.js';
import { rawDataSignature, secretsEqual, sessionKeySignature } from './signatures.js';

// The official WXBizDataCrypt sample vector (signature.html, aes-sample.zip).
const VECTOR = {
  appid: 'wx4f4bc4dec97d474b',
  sessionKey: 'tiihtNczf5v6AKRyjwEUhQ==',
  encryptedData:
    'CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==',
  iv: 'r7BXXKkLb8qrSNn05n0qiA==',
};

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof OpenDataCipherError) return e.code;
    throw e;
  }
  return undefined;
}

describe('open-data cipher', () => {
  it('decrypts the official sample vector', () => {
    const data = decryptOpenData(VECTOR.sessionKey, VECTOR.encryptedData, VECTOR.iv) as {
      openId: string;
      watermark: { appid: string; timestamp: number };
    };
    expect(data.openId).toBe('oGZUI0egBJY1zhBYw2KhdUfwVJJE');
    expect(data.watermark).toEqual({ timestamp: 1477314187, appid: VECTOR.appid });
  });

  it('round-trips any text with a random iv', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.string(), (keyBytes, text) => {
        const key = Buffer.from(keyBytes).toString('base64');
        const payload = JSON.stringify({ text });
        const { encryptedData, iv } = encryptOpenData(key, payload);
        expect(Buffer.from(iv, 'base64')).toHaveLength(16);
        expect(decryptOpenData(key, encryptedData, iv)).toEqual({ text });
      }),
      { numRuns: 200 },
    );
  });

  it('encrypts exactly as a one-shot AES-128-CBC cipher, call after call with the same key and with keys in turn', () => {
    const oneShot = (key: string, text: string, iv: Uint8Array): string => {
      const c = createCipheriv('aes-128-cbc', Buffer.from(key, 'base64'), iv);
      return Buffer.concat([c.update(text, 'utf8'), c.final()]).toString('base64');
    };
    const keys = [Buffer.alloc(16, 1), Buffer.alloc(16, 2)].map((b) => b.toString('base64'));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...keys), fc.string({ unit: 'grapheme', maxLength: 80 }), fc.uint8Array({ minLength: 16, maxLength: 16 })), {
          minLength: 1, maxLength: 6,
        }),
        (calls) => {
          for (const [key, text, iv] of calls) {
            expect(encryptOpenData(key, text, iv)).toEqual({ encryptedData: oneShot(key, text, iv), iv: Buffer.from(iv).toString('base64') });
          }
        },
      ),
      { numRuns: 300 },
    );
    // Whole blocks get a whole block of padding.
    const iv = new Uint8Array(16).fill(9);
    expect(encryptOpenData(keys[0]!, 'x'.repeat(32), iv).encryptedData).toBe(oneShot(keys[0]!, 'x'.repeat(32), iv));
    expect(codeOf(() => encryptOpenData('abc', 'x'))).toBe(-41001);
    expect(codeOf(() => encryptOpenData(keys[0]!, 'x', new Uint8Array(15)))).toBe(-41002);
  });

  it('reports each failure with its official code', () => {
    expect(codeOf(() => decryptOpenData('abc', VECTOR.encryptedData, VECTOR.iv))).toBe(-41001);
    expect(codeOf(() => decryptOpenData('AAAAAAAAAAAAAAAAAAAAAAAAAAAA', VECTOR.encryptedData, VECTOR.iv))).toBe(-41001);
    expect(codeOf(() => decryptOpenData(VECTOR.sessionKey, VECTOR.encryptedData, 'abc'))).toBe(-41002);
    expect(codeOf(() => decryptOpenData(VECTOR.sessionKey, '###', VECTOR.iv))).toBe(-41004);
    expect(codeOf(() => decryptOpenData(VECTOR.sessionKey, 'AAAA', VECTOR.iv))).toBe(-41004);
    const otherKey = Buffer.alloc(16, 7).toString('base64');
    expect(codeOf(() => decryptOpenData(otherKey, VECTOR.encryptedData, VECTOR.iv))).toBe(-41003);
  });

  it('reads spaces as plus signs unless told not to', () => {
    const mangled = VECTOR.encryptedData.replace(/\+/g, ' ');
    expect(decryptOpenData(VECTOR.sessionKey, mangled, VECTOR.iv)).toMatchObject({ openId: 'oGZUI0egBJY1zhBYw2KhdUfwVJJE' });
    expect(codeOf(() => decryptOpenData(VECTOR.sessionKey, mangled, VECTOR.iv, { acceptSpaceAsPlus: false }))).toBe(-41004);
  });

  it('never throws anything but OpenDataCipherError on hostile input', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (k, d, i) => {
        try {
          decryptOpenData(k, d, i);
        } catch (e) {
          expect(e).toBeInstanceOf(OpenDataCipherError);
        }
      }),
    );
  });
});

describe('strict base64', () => {
  const DEFINITION = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
  const chars = fc.constantFrom(...'ABCxyz019+/=-_ .'.split(''));

  it('accepts exactly the texts of the standard alphabet with correct padding', () => {
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 24 }).map((a) => a.join('')), (text) => {
        expect(decodeStrictBase64(text, false) !== undefined).toBe(DEFINITION.test(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('decodes every encoding of any bytes back to them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeStrictBase64(Buffer.from(bytes).toString('base64'), false)).toEqual(Buffer.from(bytes));
      }),
    );
  });
});

describe('signatures', () => {
  it('computes the official rawData signature vector', () => {
    const rawData =
      '{"nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong","country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ1xlgZxx3w7bQxKARol6503Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0"}';
    expect(rawDataSignature(rawData, 'HyVFkGl5F5OQWJZZaNzBBg==')).toBe('75e81ceda165f4ffa64f4068af58c64b8f54b88c');
  });

  it('computes the official login-state signature vector with the key used as text', () => {
    expect(sessionKeySignature('o0q0otL8aEzpcZL/FT9WsQ==', '{"foo":"bar"}')).toBe(
      '654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b',
    );
    expect(sessionKeySignature('o0q0otL8aEzpcZL/FT9WsQ==')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('compares secrets by value', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
    expect(secretsEqual('abc', 'ab')).toBe(false);
    expect(secretsEqual('ab\u0000', 'ab')).toBe(false);
    expect(secretsEqual('abc', 'abc\u0000')).toBe(false);
    expect(secretsEqual('', '')).toBe(true);
    expect(secretsEqual('', 'a')).toBe(false);
    expect(secretsEqual('é', 'e')).toBe(false);
    expect(secretsEqual('é', 'é')).toBe(true);
  });
});
