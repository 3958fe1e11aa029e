/**
 * The WeChat mini-program backend client: `api.weixin.qq.com` by default, OpenRun by `baseUrl` or
 * `OPENRUN_EMULATOR_HOST`.
 * @see PROTOCOL.md §8–§10
 */
import { PLATFORM_ERRORS } from '@openrun/core';
import { sessionKeySignature } from '@openrun/core/cipher';
import { cloudIdErrorFrom } from './cloud-id-error.js';
import type { CloudIdError } from './cloud-id-error.js';
import { PlatformError, UnexpectedResponseError } from './errors.js';
import { MiniProgramClient } from './internal/mini-program-client.js';
import type { MiniProgramOptions, TokenEndpoint } from './internal/mini-program-client.js';
import { parseWeRunData } from './parse-werun-data.js';
import type { ParseWeRunDataOptions, WeRunSnapshot } from './parse-werun-data.js';
import type { RequestOptions } from './request-options.js';

/** Which WeChat token endpoint the client uses. */
export type AccessTokenMode = 'token' | 'stable_token';

/** Options of {@link WeChatMiniProgram}. */
export interface WeChatMiniProgramOptions extends MiniProgramOptions {
  /** `token` (`GET /cgi-bin/token`, default) or `stable_token` (`POST /cgi-bin/stable_token`). */
  accessTokenMode?: AccessTokenMode;
}

/** One cloudID's outcome in {@link WeChatMiniProgram.getOpenData}. */
export type OpenDataResult<T = unknown> =
  | { cloudId: string; ok: true; data: T }
  | { cloudId: string; ok: false; error: CloudIdError };

function tokenEndpoint(mode: AccessTokenMode): TokenEndpoint {
  if (mode === 'stable_token') {
    return {
      mode,
      operation: 'getStableAccessToken',
      request: (appid, secret, forceRefresh) => ({
        operation: 'getStableAccessToken',
        method: 'POST',
        path: '/cgi-bin/stable_token',
        query: {},
        body: { grant_type: 'client_credential', appid, secret, force_refresh: forceRefresh },
        replaySafe: true,
      }),
    };
  }
  return {
    mode,
    operation: 'getAccessToken',
    request: (appid, secret) => ({
      operation: 'getAccessToken',
      method: 'GET',
      path: '/cgi-bin/token',
      query: { grant_type: 'client_credential', appid, secret },
      replaySafe: true,
    }),
  };
}

function parseItemJson(cloudId: string, json: unknown): unknown {
  if (typeof json !== 'string') return json;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new UnexpectedResponseError('getOpenData', 200, `the json of one cloudID is not JSON`);
  }
}

function toResult(item: unknown): OpenDataResult {
  const { cloud_id: cloudId, json } = (item ?? {}) as { cloud_id?: unknown; json?: unknown };
  if (typeof cloudId !== 'string') throw new UnexpectedResponseError('getOpenData', 200, 'a data_list item has no cloud_id');
  const parsed = parseItemJson(cloudId, json) as { errCode?: unknown; errMsg?: unknown; data?: unknown } | null;
  if (typeof parsed !== 'object' || parsed === null) {
    throw new UnexpectedResponseError('getOpenData', 200, 'the json of one cloudID is not an object');
  }
  if (typeof parsed.errCode === 'number' && parsed.errCode !== 0) {
    const errMsg = typeof parsed.errMsg === 'string' ? parsed.errMsg : '';
    return { cloudId, ok: false, error: cloudIdErrorFrom(cloudId, parsed.errCode, errMsg) };
  }
  return { cloudId, ok: true, data: parsed.data };
}

/** A WeChat mini program's backend client. */
export class WeChatMiniProgram extends MiniProgramClient {
  protected readonly code2SessionPath = '/sns/jscode2session';

  constructor(options: WeChatMiniProgramOptions) {
    super('weapp', options, tokenEndpoint(options.accessTokenMode ?? 'token'));
  }

  /**
   * Resolves cloudIDs over HTTPS (`POST /wxa/getopendata`). Each `json` is parsed whether the platform sent a string
   * or an object; per-id failures come back as results with a typed {@link CloudIdError}, in request order.
   * @see PROTOCOL.md §10
   */
  async getOpenData<T = unknown>(
    openid: string,
    cloudIds: readonly string[],
    options?: RequestOptions,
  ): Promise<OpenDataResult<T>[]> {
    const body = await this.sendWithToken(
      (accessToken) => ({
        operation: 'getOpenData',
        method: 'POST',
        path: '/wxa/getopendata',
        query: { access_token: accessToken, openid },
        body: { cloudid_list: cloudIds },
        replaySafe: true,
      }),
      options,
    );
    const list = body['data_list'];
    if (!Array.isArray(list)) throw new UnexpectedResponseError('getOpenData', 200, 'the reply has no data_list');
    return list.map(toResult) as OpenDataResult<T>[];
  }

  /**
   * Resolves one WeRun cloudID and validates it like {@link decryptWeRunData}; throws its {@link CloudIdError} when
   * the platform refused it (expired, foreign, invalid).
   */
  async getWeRunDataByCloudId(
    openid: string,
    cloudId: string,
    options: RequestOptions & Omit<ParseWeRunDataOptions, 'appid'> = {},
  ): Promise<WeRunSnapshot> {
    const [result] = await this.getOpenData(openid, [cloudId], options);
    if (result === undefined) throw new UnexpectedResponseError('getOpenData', 200, 'the reply has an empty data_list');
    if (!result.ok) throw result.error;
    return parseWeRunData(result.data, { ...options, appid: this.appid });
  }

  /**
   * Checks whether `sessionKey` is still the user's current session key (`GET /wxa/checksession`): true when it is,
   * false when the platform answers 87009 (invalid signature: the key rotated or is wrong).
   * @see PROTOCOL.md §9.3
   */
  async checkSessionKey(openid: string, sessionKey: string, options?: RequestOptions): Promise<boolean> {
    try {
      await this.sendWithToken(
        (accessToken) => ({
          operation: 'checkSessionKey',
          method: 'GET',
          path: '/wxa/checksession',
          query: { access_token: accessToken, signature: sessionKeySignature(sessionKey), openid, sig_method: 'hmac_sha256' },
          replaySafe: true,
        }),
        options,
      );
      return true;
    } catch (error) {
      if (error instanceof PlatformError && error.errcode === PLATFORM_ERRORS.INVALID_SIGNATURE.errcode) return false;
      throw error;
    }
  }

  /**
   * Calls a cloud function over HTTPS (`POST /tcb/invokecloudfunction`) and returns what it returned (`resp_data`,
   * parsed when it is JSON).
   */
  async invokeCloudFunction<T = unknown>(env: string, name: string, data: unknown, options?: RequestOptions): Promise<T> {
    const body = await this.sendWithToken(
      (accessToken) => ({
        operation: 'invokeCloudFunction',
        method: 'POST',
        path: '/tcb/invokecloudfunction',
        query: { access_token: accessToken, env, name },
        body: JSON.stringify(data ?? {}),
        replaySafe: false,
      }),
      options,
    );
    const resp = body['resp_data'];
    if (typeof resp !== 'string') return resp as T;
    try {
      return JSON.parse(resp) as T;
    } catch {
      return resp as T;
    }
  }
}
