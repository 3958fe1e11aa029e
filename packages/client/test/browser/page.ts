/**
 * The browser page of the browser test (bundled by esbuild): an H5 build of a mini program that logs in and reads
 * steps through `@openrun/client`, then publishes what it got on `window.__openrunResult`.
 */
import { connect, type CallbackResult } from '@openrun/client';

interface PageResult {
  code?: string;
  encryptedData?: string;
  iv?: string;
  cloudID?: string;
  deniedErrMsg?: string;
  error?: string;
}

const params = new URLSearchParams(location.search);
const baseUrl = params.get('baseUrl') ?? '';
const appid = params.get('appid') ?? '';

async function run(): Promise<PageResult> {
  const wx = connect({ baseUrl, appid, deviceToken: params.get('token') ?? '', platform: 'weapp' });
  wx.cloud.init();
  const { code } = await wx.login();
  const res = await wx.getWeRunData();
  const denier = connect({ baseUrl, appid, deviceToken: params.get('denyToken') ?? '', platform: 'weapp' });
  await denier.login();
  const deniedErrMsg = await new Promise<string>((resolve) =>
    denier.getWeRunData({ success: () => resolve('unexpected success'), fail: (r: CallbackResult) => resolve(r.errMsg) }),
  );
  return { code, encryptedData: res.encryptedData, iv: res.iv, cloudID: res.cloudID, deniedErrMsg };
}

const target = window as unknown as { __openrunResult?: PageResult };
run().then(
  (result) => (target.__openrunResult = result),
  (failure: unknown) => (target.__openrunResult = { error: JSON.stringify(failure) }),
);
