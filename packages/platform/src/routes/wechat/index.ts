/**
 * The WeChat developer API (api.weixin.qq.com), byte-compatible: its routes in one scope with the WeChat wire personality.
 */
import type { FastifyPluginAsync } from 'fastify';
import { applyWirePersonality } from '../shared/wire-personality.js';
import { checksessionRoute } from './checksession.js';
import { getopendataRoute } from './getopendata.js';
import { invokeCloudFunctionRoute } from './invokecloudfunction.js';
import { jscode2sessionRoute } from './jscode2session.js';
import { stableTokenRoute } from './stable-token.js';
import { tokenRoute } from './token.js';

/** Registers the WeChat developer API at the root. */
export const wechatApi: FastifyPluginAsync = async (app) => {
  applyWirePersonality(app, 'weapp');
  await app.register(jscode2sessionRoute, { platform: 'weapp' });
  await app.register(tokenRoute, { platform: 'weapp', path: '/cgi-bin/token' });
  await app.register(stableTokenRoute);
  await app.register(checksessionRoute);
  await app.register(getopendataRoute);
  await app.register(invokeCloudFunctionRoute);
};
