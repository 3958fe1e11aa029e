/**
 * The calls running right now, by their `WX_API_TOKEN`: the cloud gateway accepts a `wxCloudApiToken` only while its
 * call runs, and acts as that call's app and user with that function's permissions. Kept in memory: a token is only
 * ever presented by a worker of this same platform process.
 */

/** A running call as the gateway sees it. */
export interface LiveInvocation {
  token: string;
  requestId: string;
  appid: string;
  openid: string;
  unionid: string | undefined;
  clientIp: string;
  functionName: string;
  cloudEnv: string;
  /** The function's `config.json` `permissions.openapi`. */
  openapi: string[];
  /** `TCB_SOURCE` of the call (a nested call appends `,scf`). */
  source: string;
}

/** The registry of running calls. */
export interface LiveInvocations {
  begin(invocation: LiveInvocation): void;
  end(token: string): void;
  get(token: string): LiveInvocation | undefined;
}

/** Creates an empty registry. */
export function createLiveInvocations(): LiveInvocations {
  const byToken = new Map<string, LiveInvocation>();
  return {
    begin: (invocation) => void byToken.set(invocation.token, invocation),
    end: (token) => void byToken.delete(token),
    get: (token) => byToken.get(token),
  };
}
