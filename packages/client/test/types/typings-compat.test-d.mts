/**
 * Type-level test, compiled by `tsc -p packages/client/tsconfig.types.json` (not run): the client's results are
 * assignable to the official `miniprogram-api-typings` and to `@tarojs/taro`'s types, and its objects accept
 * callbacks written against those typings. A line that stops compiling is a failure; `@ts-expect-error` lines fail
 * when they start compiling.
 * (`.mts` keeps it out of the root program, whose Node/DOM globals clash with the mini-program typings' globals.)
 */
import {
  CallFunctionError,
  connect,
  type CallFunctionResult,
  type LoginResult,
  type QQRunDataResult,
  type QqApi,
  type SettingResult,
  type WeRunDataResult,
  type WxApi,
  type WxRequestLike,
} from '../../src/index.js';
import type Taro from '@tarojs/taro';

/** Compiles only when `value` is assignable to `T`. */
function assignable<T>(value: T): T {
  return value;
}

declare const ourWx: WxApi;
declare const ourQq: QqApi;
declare const weRun: WeRunDataResult;
declare const qqRun: QQRunDataResult;
declare const called: CallFunctionResult;
declare const login: LoginResult;
declare const setting: SettingResult;

// 1. Our results are assignable to the official typings' results…
assignable<WechatMiniprogram.GetWeRunDataSuccessCallbackResult>(weRun);
assignable<ICloud.CallFunctionResult>(called);
assignable<WechatMiniprogram.LoginSuccessCallbackResult>(login);
assignable<WechatMiniprogram.GetSettingSuccessCallbackResult>(setting);
assignable<WechatMiniprogram.OpenSettingSuccessCallbackResult>(setting);

// …and to @tarojs/taro's own result types.
assignable<Taro.getWeRunData.SuccessCallbackResult>(weRun);
assignable<Taro.getQQRunData.SuccessCallbackResult>(qqRun);
assignable<TaroGeneral.CallbackResult>(qqRun);

// 2. Callbacks typed with the official typings plug straight in.
ourWx.getWeRunData({
  success: (res: WechatMiniprogram.GetWeRunDataSuccessCallbackResult) => res.encryptedData,
  fail: (res: WechatMiniprogram.GeneralCallbackResult) => res.errMsg,
  complete: (res: WechatMiniprogram.GeneralCallbackResult) => res.errMsg,
});
ourWx.login({ success: (res: WechatMiniprogram.LoginSuccessCallbackResult) => res.code, timeout: 1000 });
ourWx.cloud.callFunction({ name: 'f', success: (res: ICloud.CallFunctionResult) => res.result, fail: (e: IAPIError) => e.errMsg });

// 3. Promise style without callbacks, nothing with them (as PromisifySuccessResult says).
assignable<Promise<WeRunDataResult>>(ourWx.getWeRunData());
assignable<Promise<QQRunDataResult>>(ourQq.getQQRunData());
assignable<Promise<CallFunctionResult>>(ourWx.cloud.callFunction({ name: 'f', data: { a: ourWx.cloud.CloudID('x') } }));
assignable<void>(ourWx.getWeRunData({ success: () => undefined }));
// @ts-expect-error a callback-style call returns no Promise
assignable<Promise<unknown>>(ourWx.login({ complete: () => undefined }));

// 4. wx.cloud's init and CloudID match the official wx.cloud. (The API methods are generic like the official ones but
//    with their own Promise-or-void conditional type, which TypeScript cannot relate to the official one; 2 and 3 show
//    the call sites agree.)
assignable<Pick<WxCloud, 'init' | 'CloudID'>>(ourWx.cloud);
assignable<ICloud.ICloudIDConstructor>(ourWx.cloud.CloudID);

// 5. What must not compile.
// @ts-expect-error authorize needs a scope
void ourWx.authorize({});
// @ts-expect-error a qq object has no getWeRunData
void ourQq.getWeRunData;
// @ts-expect-error callFunction needs a name
void ourWx.cloud.callFunction({});
// @ts-expect-error QQ results have no cloudID
void qqRun.cloudID;

// 6. connect() picks the object by platform; the failure value of callFunction is an Error with errCode.
assignable<WxApi>(connect({ baseUrl: 'http://127.0.0.1:1', appid: 'wx0123456789abcdef', deviceToken: 't', platform: 'weapp' }));
assignable<QqApi>(connect({ baseUrl: 'http://127.0.0.1:1', appid: '1112345678', deviceToken: 't', platform: 'qq' }));
assignable<Error & { errCode: number; errMsg: string }>(new CallFunctionError('cloud.callFunction:fail x', -1));

// 7. The base library's own wx.request is a valid transport, passed as it is or wrapped.
declare const realWx: WechatMiniprogram.Wx;
assignable<WxRequestLike>(realWx.request);
assignable<WxRequestLike>((option) => realWx.request(option));
connect({ baseUrl: 'http://192.168.1.5:9527', appid: 'wx0123456789abcdef', deviceToken: 't', transport: realWx.request });
connect({ baseUrl: 'http://192.168.1.5:9527', appid: 'wx0123456789abcdef', deviceToken: 't', transport: 'wx.request' });
// @ts-expect-error an unknown transport name
connect({ baseUrl: 'http://127.0.0.1:1', appid: 'wx0123456789abcdef', deviceToken: 't', transport: 'xhr' });
