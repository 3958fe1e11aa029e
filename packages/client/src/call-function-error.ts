/**
 * The failure value of `wx.cloud.callFunction`: an `Error` with `errCode` and `errMsg`, as the cloud SDK gives.
 * @see PROTOCOL.md §11.6
 */

/**
 * A failed `wx.cloud.callFunction`: `fail` receives it and the Promise rejects with it.
 * @example wx.cloud.callFunction({ name: 'x' }).catch((e: CallFunctionError) => e.errCode)
 * @see PROTOCOL.md §11.6
 */
export class CallFunctionError extends Error {
  override readonly name = 'CallFunctionError';
  /** The cloud errCode (-1 when OpenRun gave none). */
  readonly errCode: number;
  /** `cloud.callFunction:fail …` */
  readonly errMsg: string;
  constructor(errMsg: string, errCode: number) {
    super(`errCode: ${errCode} | errMsg: ${errMsg}`);
    this.errCode = errCode;
    this.errMsg = errMsg;
  }
}
