/**
 * Browser page of the authorization-sheet test: an H5 mini program whose user answers the consent dialog in the page
 * (`promptAnswer: 'ask'`, no `onPrompt`, so the in-page sheet). Publishes the outcome on `window.__openrunResult`.
 */
import { connect, type CallbackResult } from '@openrun/client';

const params = new URLSearchParams(location.search);
const wx = connect({
  baseUrl: params.get('baseUrl') ?? '',
  appid: params.get('appid') ?? '',
  deviceToken: params.get('token') ?? '',
  platform: 'weapp',
});

async function run(): Promise<Record<string, unknown>> {
  const { code } = await wx.login();
  try {
    const res = await wx.getWeRunData();
    return { code, encryptedData: res.encryptedData, iv: res.iv };
  } catch (failure) {
    const again = await wx.getWeRunData().catch((r: CallbackResult) => r.errMsg);
    return { code, errMsg: (failure as CallbackResult).errMsg, again };
  }
}

const target = window as unknown as { __openrunResult?: Record<string, unknown> };
run().then(
  (result) => (target.__openrunResult = result),
  (failure: unknown) => (target.__openrunResult = { error: JSON.stringify(failure) }),
);
