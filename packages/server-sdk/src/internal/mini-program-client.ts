/**
 * What the WeChat and QQ clients share: configuration, the transport, code2Session, the token cache with its
 * refresh-once-retry-once rule, local decryption bound to the client's appid, and events.
 * @see PROTOCOL.md §7–§9, §14
 */
import type { MiniProgramPlatform } from '@openrun/core';
import { resolveBaseUrl } from '../config.js';
import type { Environment } from '../config.js';
import { decryptOpenData } from '../decrypt-open-data.js';
import type { DecryptOpenDataOptions, OpenData } from '../decrypt-open-data.js';
import { decryptWeRunData } from '../decrypt-werun-data.js';
import { AccessTokenInvalidError, UnexpectedResponseError } from '../errors.js';
import type { Operation } from '../errors.js';
import { MemoryTokenStore } from '../memory-token-store.js';
import type { WeRunSnapshot } from '../parse-werun-data.js';
import type { ClientEventListener, ClientEventMap, RequestOptions } from '../request-options.js';
import { DEFAULT_MAX_RETRIES } from '../retry-policy.js';
import type { TokenStore } from '../token-store.js';
import { AccessTokenCache } from './access-token-cache.js';
import type { FetchedToken } from './access-token-cache.js';
import { ClientEvents } from './client-events.js';
import { sendApiRequest } from './http-transport.js';
import type { ApiRequest, FetchFunction, TransportSettings } from './http-transport.js';

/** Options shared by {@link WeChatMiniProgram} and {@link QQMiniProgram}. */
export interface MiniProgramOptions {
  /** The mini program's appid. */
  appid: string;
  /** The mini program's AppSecret; it is only ever sent to the platform, never logged or put in errors. */
  secret: string;
  /** Platform base URL. Default: `OPENRUN_EMULATOR_HOST` when set, else the real host. */
  baseUrl?: string;
  /** Where access tokens are cached (default: a {@link MemoryTokenStore}; {@link RedisTokenStore} for several processes). */
  tokenStore?: TokenStore;
  /** Retries for -1 and connection failures (default 2). */
  maxRetries?: number;
  /** Milliseconds per attempt (default 10 000). */
  timeout?: number;
  /** The fetch implementation (default: global `fetch`). */
  fetch?: FetchFunction;
  /** Refresh a cached token this many seconds before it expires (default 300). */
  refreshAheadSeconds?: number;
  /** The environment to read `OPENRUN_*` variables from (default `process.env`). */
  env?: Environment;
  /** Clock, Unix milliseconds (default `Date.now`). */
  now?: () => number;
}

/** Options of the client-bound decrypt helpers: the appid is the client's own. */
export type BoundDecryptOptions = Omit<DecryptOpenDataOptions, 'appid'>;

/** What code2Session returns. */
export interface Code2SessionResult {
  /** The user's openid in this app. */
  openid: string;
  /** The session key: keep it on the server, never send it to the client. */
  sessionKey: string;
  /** Present when the app is bound to an Open Platform account. */
  unionid?: string;
}

/** A token endpoint's description for one platform. */
export interface TokenEndpoint {
  /** Cache key suffix (token mode). */
  mode: string;
  operation: Operation;
  request(appid: string, secret: string, forceRefresh: boolean): ApiRequest;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_REFRESH_AHEAD_SECONDS = 300;

/** Reads a required string field of a success body. */
export function requireString(operation: Operation, body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') {
    throw new UnexpectedResponseError(operation, 200, `the reply has no ${field}`);
  }
  return value;
}

/** The shared half of the platform clients. */
export abstract class MiniProgramClient {
  /** The client's appid. */
  readonly appid: string;
  /** The base URL the client talks to. */
  readonly baseUrl: string;
  readonly #secret: string;
  readonly #transport: TransportSettings;
  readonly #tokens: AccessTokenCache;
  readonly #events = new ClientEvents();

  protected constructor(platform: MiniProgramPlatform, options: MiniProgramOptions, tokenEndpoint: TokenEndpoint) {
    if (!options.appid) throw new TypeError('[openrun] appid is required');
    if (!options.secret) throw new TypeError('[openrun] secret is required');
    this.appid = options.appid;
    this.#secret = options.secret;
    this.baseUrl = resolveBaseUrl(platform, options.baseUrl, options.env ?? process.env);
    const fetchFunction: FetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
    this.#transport = {
      baseUrl: this.baseUrl,
      fetch: fetchFunction,
      timeoutMs: options.timeout ?? DEFAULT_TIMEOUT_MS,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      events: this.#events,
    };
    const timeoutMs = this.#transport.timeoutMs;
    this.#tokens = new AccessTokenCache({
      key: `${platform}:${this.appid}:${tokenEndpoint.mode}`,
      store: options.tokenStore ?? new MemoryTokenStore(options.now ? { now: options.now } : {}),
      operation: tokenEndpoint.operation,
      now: options.now ?? Date.now,
      refreshAheadMs: (options.refreshAheadSeconds ?? DEFAULT_REFRESH_AHEAD_SECONDS) * 1000,
      lockTtlMs: Math.max(30_000, timeoutMs * (this.#transport.maxRetries + 2)),
      pollMs: 25,
      fetchToken: ({ forceRefresh, rejected }) => this.#fetchToken(tokenEndpoint, forceRefresh, rejected),
    });
  }

  async #fetchToken(endpoint: TokenEndpoint, forceRefresh: boolean, rejected: string | undefined): Promise<FetchedToken> {
    const once = async (force: boolean): Promise<FetchedToken> => {
      const body = await this.send(endpoint.request(this.appid, this.#secret, force));
      const expiresIn = body['expires_in'];
      if (typeof expiresIn !== 'number' || !(expiresIn > 0)) {
        throw new UnexpectedResponseError(endpoint.operation, 200, 'the reply has no expires_in');
      }
      return { accessToken: requireString(endpoint.operation, body, 'access_token'), expiresInSeconds: expiresIn };
    };
    const token = await once(forceRefresh);
    // stable_token hands back the same token until its last 5 minutes: if that is the one just rejected, force.
    if (!forceRefresh && rejected !== undefined && token.accessToken === rejected && endpoint.mode === 'stable_token') {
      return once(true);
    }
    return token;
  }

  /** Sends one API call through the client's transport. */
  protected send(request: ApiRequest, options?: RequestOptions): Promise<Record<string, unknown>> {
    return sendApiRequest(this.#transport, request, options);
  }

  /** Calls a token-protected API; on 40001/42001/40014 refreshes the token once (single-flight) and retries once. */
  protected async sendWithToken(
    build: (accessToken: string) => ApiRequest,
    options?: RequestOptions,
  ): Promise<Record<string, unknown>> {
    const token = await this.#tokens.get();
    try {
      return await this.send(build(token), options);
    } catch (error) {
      if (!(error instanceof AccessTokenInvalidError)) throw error;
      const fresh = await this.#tokens.replaceRejected(token);
      return this.send(build(fresh), options);
    }
  }

  /** The path of jscode2session on this platform. */
  protected abstract readonly code2SessionPath: string;

  /**
   * Exchanges a login code for the user's openid and session_key. Never retried once the request may have reached
   * the platform: a code is single-use. Throws {@link InvalidCodeError} (40029) or {@link CodeUsedError} (40163).
   * @see PROTOCOL.md §8
   */
  async code2Session(code: string, options?: RequestOptions): Promise<Code2SessionResult> {
    const body = await this.send(
      {
        operation: 'code2Session',
        method: 'GET',
        path: this.code2SessionPath,
        query: { appid: this.appid, secret: this.#secret, js_code: code, grant_type: 'authorization_code' },
        replaySafe: false,
      },
      options,
    );
    const result: Code2SessionResult = {
      openid: requireString('code2Session', body, 'openid'),
      sessionKey: requireString('code2Session', body, 'session_key'),
    };
    if (typeof body['unionid'] === 'string') result.unionid = body['unionid'];
    return result;
  }

  /**
   * A valid access token: cached (shared through the token store), refreshed ahead of expiry by one caller while
   * the others wait and reuse it. `forceRefresh` fetches a new one even if the cached one is valid.
   * @see PROTOCOL.md §9.1, §9.2
   */
  getAccessToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    return this.#tokens.get(options.forceRefresh ?? false);
  }

  /** Decrypts open data with the client's appid as the expected watermark. @see decryptOpenData */
  decryptOpenData<T extends OpenData = OpenData>(
    sessionKey: string,
    encryptedData: string,
    iv: string,
    options: BoundDecryptOptions = {},
  ): T {
    return decryptOpenData<T>(sessionKey, encryptedData, iv, { ...options, appid: this.appid });
  }

  /** Decrypts step data (WeRun / QQ Run) with the client's appid as the expected watermark. @see decryptWeRunData */
  decryptWeRunData(sessionKey: string, encryptedData: string, iv: string, options: BoundDecryptOptions = {}): WeRunSnapshot {
    return decryptWeRunData(sessionKey, encryptedData, iv, { ...options, appid: this.appid });
  }

  /** Listens to `request` / `response` events (URLs carry no secrets, codes or tokens). */
  on<E extends keyof ClientEventMap>(event: E, listener: ClientEventListener<E>): this {
    this.#events.on(event, listener);
    return this;
  }

  /** Stops listening. */
  off<E extends keyof ClientEventMap>(event: E, listener: ClientEventListener<E>): this {
    this.#events.off(event, listener);
    return this;
  }
}
