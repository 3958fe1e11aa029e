/**
 * The QQ developer API (api.q.qq.com), served under /qq: jscode2session and getToken with the QQ wire personality.
 * @see PROTOCOL.md §14
 */
import type { FastifyPluginAsync } from 'fastify';
import { applyWirePersonality } from '../shared/wire-personality.js';
import { jscode2sessionRoute } from '../wechat/jscode2session.js';
import { tokenRoute } from '../wechat/token.js';

/** Registers the QQ developer API (mount it with prefix `/qq`). */
export const qqApi: FastifyPluginAsync = async (app) => {
  applyWirePersonality(app, 'qq');
  await app.register(jscode2sessionRoute, { platform: 'qq' });
  await app.register(tokenRoute, { platform: 'qq', path: '/api/getToken' });
};
