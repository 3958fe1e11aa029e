/**
 * POST /openrun/runtime/v1/apps/{appid}/werun — wx.getWeRunData; POST …/qqrun — qq.getQQRunData.
 * `{encryptedData, iv, cloudID?}`; cloudID only for cloud-enabled WeChat apps on base library ≥ 2.7.0.
 * @see PROTOCOL.md §5, §6
 */
import { STEP_API, type MiniProgramPlatform } from '@openrun/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireRuntimeCaller } from '../../domain/runtime-caller.js';
import { getStepData } from '../../domain/step-data.js';
import { bearerToken } from '../shared/openrun-personality.js';
import { AppParams } from './schemas.js';

const Reply = Type.Object({ encryptedData: Type.String(), iv: Type.String(), cloudID: Type.Optional(Type.String()) });

/** Registers werun and qqrun. */
export const stepDataRoute: FastifyPluginAsyncTypebox = async (app) => {
  const paths: Record<MiniProgramPlatform, string> = { weapp: '/apps/:appid/werun', qq: '/apps/:appid/qqrun' };
  for (const platform of ['weapp', 'qq'] as const) {
    app.post(
      paths[platform],
      {
        schema: { params: AppParams, response: { 200: Reply } },
        config: { operation: `POST ${app.prefix}${paths[platform]}`, api: STEP_API[platform] },
      },
      async (request) => {
        const caller = await requireRuntimeCaller(app.openrun, request.params.appid, bearerToken(request.headers.authorization));
        return getStepData(app.openrun, caller.app, caller.user, platform);
      },
    );
  }
};
