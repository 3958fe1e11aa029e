/**
 * The QQ mini-program backend client: `api.q.qq.com` by default, OpenRun's `/qq` prefix by `baseUrl` or
 * `OPENRUN_EMULATOR_HOST`. QQ documents no cloudID, getopendata, checksession or stable token.
 * @see PROTOCOL.md §14
 */
import { MiniProgramClient } from './internal/mini-program-client.js';
import type { BoundDecryptOptions, MiniProgramOptions, TokenEndpoint } from './internal/mini-program-client.js';
import type { WeRunSnapshot } from './parse-werun-data.js';

/** Options of {@link QQMiniProgram}. */
export type QQMiniProgramOptions = MiniProgramOptions;

const QQ_TOKEN_ENDPOINT: TokenEndpoint = {
  mode: 'token',
  operation: 'getAccessToken',
  request: (appid, secret) => ({
    operation: 'getAccessToken',
    method: 'GET',
    path: '/api/getToken',
    query: { grant_type: 'client_credential', appid, secret },
    replaySafe: true,
  }),
};

/** A QQ mini program's backend client. */
export class QQMiniProgram extends MiniProgramClient {
  protected readonly code2SessionPath = '/sns/jscode2session';

  constructor(options: QQMiniProgramOptions) {
    super('qq', options, QQ_TOKEN_ENDPOINT);
  }

  /** Decrypts getQQRunData data (same shape as WeRun's; 30 days) with the client's appid as the expected watermark. */
  decryptQQRunData(sessionKey: string, encryptedData: string, iv: string, options: BoundDecryptOptions = {}): WeRunSnapshot {
    return this.decryptWeRunData(sessionKey, encryptedData, iv, options);
  }
}
