/**
 * The result shapes of `@tarojs/taro@4.2.1` that the type-level test checks against, restated from PROTOCOL.md §15.1
 * because `@tarojs/taro` is not installed (its peer dependencies pull in webpack and vue). With the package installed,
 * import `getWeRunData`, `getQQRunData` and `TaroGeneral` from it instead.
 */
export declare namespace TaroShapes {
  namespace TaroGeneral {
    interface CallbackResult {
      errMsg: string;
    }
  }
  namespace getWeRunData {
    interface SuccessCallbackResult extends TaroGeneral.CallbackResult {
      cloudID?: string;
      encryptedData: string;
      iv: string;
      errMsg: string;
    }
  }
  namespace getQQRunData {
    interface SuccessCallbackResult extends TaroGeneral.CallbackResult {
      encryptedData: string;
      iv: string;
    }
  }
}
