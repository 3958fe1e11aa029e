/**
 * The exact `errMsg` strings the WeChat / QQ client APIs produce, in one place for the platform's runtime API and the
 * client SDK. Where the real text is unknown (PROTOCOL.md §17) the chosen default is marked as such.
 * @see PROTOCOL.md §3–§5, §16
 */

/** `<api>:ok`, the success errMsg of every client API. */
export function okErrMsg(api: string): string {
  return `${api}:ok`;
}

/** `<api>:fail` or `<api>:fail <reason>`, the failure errMsg of every client API. */
export function failErrMsg(api: string, reason?: string): string {
  return reason ? `${api}:fail ${reason}` : `${api}:fail`;
}

/** The user tapped "deny" in the consent dialog. @see PROTOCOL.md §4.2 */
export function authDenyErrMsg(api: string): string {
  return failErrMsg(api, 'auth deny');
}

/** The scope was refused earlier, so no dialog appears (note the full-width `，` and `：`). @see PROTOCOL.md §4.2 */
export function rememberedDenyErrMsg(api: string): string {
  return failErrMsg(api, '系统错误，错误码：-12006,auth deny');
}

/** checkSession when the session_key is no longer current. @see PROTOCOL.md §3 */
export const CHECK_SESSION_EXPIRED_ERRMSG = failErrMsg('checkSession', '系统错误，错误码：-13001,session time out, need relogin');

/** getWeRunData when the user has not enabled WeRun (weak evidence, PROTOCOL.md §5.2). */
export const WERUN_DISABLED_REASON = '开发者未开通微信运动，请关注“微信运动”公众号后重试';

/** getWeRunData / getQQRunData on a device without a step counter (weak evidence, PROTOCOL.md §5.2). */
export const NO_STEP_COUNTER_REASON = 'device not support';

/** A data API called before any login of this app on this device (no real text is known: OpenRun's choice). */
export const NOT_LOGGED_IN_REASON = 'please call login first';

/** True when an errMsg is an authorization denial: match by substring, never equality. @see PROTOCOL.md §4.2 */
export function isAuthDenied(errMsg: string): boolean {
  return errMsg.includes('auth deny') || errMsg.includes('auth denied');
}
