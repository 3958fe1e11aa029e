/**
 * `donate`: gives today's WeRun steps to the caller's team. Unmodified WeChat cloud-function code (wx-server-sdk):
 * - the page passes `weRunData: wx.cloud.CloudID(cloudID)`; the platform replaces it with the open data before this
 *   function runs (`{ cloudID, data: { stepInfoList, watermark } }`, or `{ cloudID, errCode, errMsg }` when the cloudID
 *   expired or belongs to someone else);
 * - a plain cloudID string (e.g. a caller that cannot wrap it) is resolved with `cloud.openapi.cloudbase.getOpenData`;
 * - the donation is recorded by the challenge backend, which checks the cloudID once more with getopendata.
 */
const cloud = require('wx-server-sdk');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

/** Where the challenge backend listens: `backend.json` next to this file (`npm run dev` writes it). */
function backendUrl() {
  return JSON.parse(readFileSync(join(__dirname, 'backend.json'), 'utf8')).url;
}

/** The open data behind a cloudID the platform did not replace. */
async function resolveCloudId(cloudID) {
  const { dataList } = await cloud.openapi.cloudbase.getOpenData({ cloudidList: [cloudID] });
  return JSON.parse(dataList[0].json);
}

exports.main = async (event) => {
  const { OPENID } = cloud.getWXContext();
  const weRun = typeof event.weRunData === 'string' ? await resolveCloudId(event.weRunData) : event.weRunData;
  if (weRun?.errCode) return { ok: false, errCode: weRun.errCode, errMsg: weRun.errMsg };
  if (!Array.isArray(weRun?.data?.stepInfoList)) {
    return { ok: false, errCode: -1, errMsg: 'weRunData is not WeRun open data: pass wx.cloud.CloudID(cloudID) of getWeRunData' };
  }
  const today = weRun.data.stepInfoList[weRun.data.stepInfoList.length - 1];
  const response = await fetch(`${backendUrl()}/api/donations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid: OPENID, cloudID: weRun.cloudID }),
  });
  const body = await response.json();
  if (!response.ok) return { ok: false, errCode: -1, errMsg: `backend: ${body.error?.message ?? response.status}` };
  console.log(`donated ${body.steps} steps (${body.date}) to team ${body.team}; seen in the cloudID: ${today.step}`);
  return { ok: true, ...body };
};
