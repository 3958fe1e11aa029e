/**
 * What the cloud-functions guide says is not emulated, as an unmodified wx-server-sdk 4.x function sees it: database
 * calls fail with -501001 naming the action, storage with -1, and an openapi other than cloudbase.getOpenData with
 * -604100 (API not found). Nothing hangs and nothing leaves the machine.
 * @see docs/guides/cloud-functions.md
 */
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { callFunction, startCloudSetup, type CloudSetup } from './helpers.js';

const FUNCTIONS = fileURLToPath(new URL('../fixtures/cloud-apis', import.meta.url));

let s: CloudSetup;
beforeEach(async () => {
  s = await startCloudSetup(FUNCTIONS);
});
afterEach(() => s.p.close());

it('database, storage and other openapi calls fail with the documented not-implemented errors', async () => {
  const r = await callFunction(s, 'unimplemented');
  expect(r.status).toBe(200);
  expect(r.body.result).toEqual({
    get: { errCode: -501001, errMsg: 'collection.get:fail -501001 resource system error. the cloud gateway does not implement this action: database.getDocument' },
    add: { errCode: -501001, errMsg: 'collection.add:fail -501001 resource system error. the cloud gateway does not implement this action: database.insertDocument' },
    uploadFile: { errCode: -1, errMsg: 'uploadFile:fail the cloud gateway does not implement this action: storage.getUploadMetadata' },
    getTempFileURL: { errCode: -1, errMsg: 'getTempFileURL:fail the cloud gateway does not implement this action: storage.batchGetDownloadUrl' },
    subscribeMessage: { errCode: -604100, errMsg: 'system error: error code: -604100' },
  });
});
