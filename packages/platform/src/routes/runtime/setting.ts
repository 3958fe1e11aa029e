/**
 * GET|PUT /openrun/runtime/v1/apps/{appid}/setting — wx.getSetting, and what the user toggles in wx.openSetting.
 * Never-asked scopes are absent; openSetting only changes scopes asked before. @see PROTOCOL.md §4.1
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { changeSetting, getSetting } from '../../domain/grants.js';
import { requireRuntimeCaller } from '../../domain/runtime-caller.js';
import { bearerToken } from '../shared/openrun-personality.js';
import { AppParams, AuthSettingBody } from './schemas.js';

/** Registers getSetting and openSetting. */
export const settingRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/apps/:appid/setting',
    {
      schema: { params: AppParams, response: { 200: AuthSettingBody } },
      config: { operation: `GET ${app.prefix}/apps/:appid/setting`, api: 'getSetting' },
    },
    async (request) => {
      const caller = await requireRuntimeCaller(app.openrun, request.params.appid, bearerToken(request.headers.authorization));
      return { authSetting: await getSetting(app.openrun, caller.app, caller.user) };
    },
  );
  app.put(
    '/apps/:appid/setting',
    {
      schema: { params: AppParams, body: AuthSettingBody, response: { 200: AuthSettingBody } },
      config: { operation: `PUT ${app.prefix}/apps/:appid/setting`, api: 'openSetting' },
    },
    async (request) => {
      const caller = await requireRuntimeCaller(app.openrun, request.params.appid, bearerToken(request.headers.authorization));
      return { authSetting: await changeSetting(app.openrun, caller.app, caller.user, request.body.authSetting) };
    },
  );
};
