/**
 * The runtime API (`/openrun/runtime/v1`): plays the WeChat / QQ app on the user's phone for `@openrun/client`.
 * Bearer device token; JSON; CORS open so browser builds can call it; never returns a session_key.
 */
import type { FastifyPluginAsync } from 'fastify';
import { jsonNestsDeeperThan, JsonTooDeepError } from '../shared/json-body.js';
import { applyOpenRunPersonality } from '../shared/openrun-personality.js';
import { authorizeRoute } from './authorize.js';
import { callFunctionRoute } from './call-function.js';
import { checkSessionRoute } from './check-session.js';
import { deviceUsersRoute } from './device-users.js';
import { loginRoute } from './login.js';
import { promptRoute } from './prompt.js';
import { settingRoute } from './setting.js';
import { stepDataRoute } from './step-data.js';

/** Registers the runtime API (mount with prefix `/openrun/runtime/v1`). */
export const runtimeApi: FastifyPluginAsync = async (app) => {
  applyOpenRunPersonality(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    if (jsonNestsDeeperThan(text)) return done(new JsonTooDeepError(), undefined);
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(Object.assign(new Error('the body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('access-control-allow-origin', '*');
    done(null, payload);
  });
  app.options('/*', async (_request, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, POST, PUT, OPTIONS')
      .header('access-control-allow-headers', 'authorization, content-type')
      .header('access-control-max-age', '600')
      .send(),
  );
  await app.register(loginRoute);
  await app.register(checkSessionRoute);
  await app.register(authorizeRoute);
  await app.register(promptRoute);
  await app.register(settingRoute);
  await app.register(stepDataRoute);
  await app.register(callFunctionRoute);
  await app.register(deviceUsersRoute);
};
