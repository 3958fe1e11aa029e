/**
 * Payload types of OpenRun's runtime API (`/openrun/runtime/v1`), shared by the platform and the client SDK.
 * The runtime API plays the WeChat/QQ app on the user's phone; it never returns a session_key.
 */
import type { MiniProgramPlatform } from './platforms.js';

/** Prefix of every runtime API path. */
export const RUNTIME_API_PREFIX = '/openrun/runtime/v1';

/** `POST …/apps/{appid}/login` reply. */
export interface RuntimeLoginResult {
  code: string;
}

/** `GET|PUT …/apps/{appid}/setting` reply: granted `true`, refused `false`; never-asked scopes are absent. */
export interface RuntimeSettingResult {
  authSetting: Record<string, boolean>;
}

/** `POST …/apps/{appid}/werun` and `…/qqrun` reply. */
export interface RuntimeStepDataResult {
  encryptedData: string;
  iv: string;
  /** Only for WeChat apps with cloud development on and base library ≥ 2.7.0. */
  cloudID?: string;
}

/** `POST …/apps/{appid}/functions/{name}` reply: what `main` returned and the call's request id. */
export interface RuntimeCallFunctionResult {
  result?: unknown;
  requestID: string;
}

/** How a user answers the consent dialog: by a fixed answer the platform plays, or on the device (`ask`). */
export type PromptAnswer = 'accept' | 'deny' | 'ask';

/** The consent dialog a device must show (`OR_ERR_RUNTIME_PROMPT_REQUIRED`, for users whose `promptAnswer` is `ask`). */
export interface RuntimePrompt {
  /** The scope asked for, e.g. `scope.werun`. */
  scope: string;
  /** The mini program's name, shown at the top of the dialog. */
  appName: string;
  /** Whose dialog it is: WeChat's or QQ's. */
  platform: MiniProgramPlatform;
}

/** `POST …/apps/{appid}/prompt` body: the user's answer in the consent dialog. */
export interface RuntimePromptAnswer {
  scope: string;
  answer: 'accept' | 'deny';
}

/** `POST …/apps/{appid}/prompt` reply: the remembered decision. */
export interface RuntimePromptResult {
  scope: string;
  granted: boolean;
}

/** Body of every runtime/control API failure. */
export interface OpenRunErrorBody {
  error: {
    code: string;
    message: string;
    /** On the runtime API: the exact errMsg the client API reports. */
    errMsg?: string;
    /** On the runtime API: the errCode the client API reports, where it has one (cloud.callFunction). */
    errCode?: number;
    /** With `OR_ERR_RUNTIME_PROMPT_REQUIRED`: the dialog to show. */
    prompt?: RuntimePrompt;
  };
}
