/**
 * The step challenge's backend (Fastify + @openrun/server-sdk), the same code against api.weixin.qq.com and OpenRun:
 * - `POST /api/login` exchanges a `Taro.login` code (code2Session) for a session of this backend;
 * - `POST /api/werun` decrypts `Taro.getWeRunData`'s encryptedData with the session_key, checking the watermark;
 * - `POST /api/donations` is called by the `donate` cloud function: it resolves the cloudID with getopendata (the
 *   access token is cached by the SDK), so only the user's own, fresh WeRun data is counted;
 * - `GET /api/leaderboard`; and, when `staticDir` is given, the built H5 app at `/`.
 */
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import { CloudIdError, DecryptError, OpenRunError, PlatformError, WeChatMiniProgram } from '@openrun/server-sdk';
import { createChallengeStore, TEAMS } from './challenge-store.mjs';

/** How old a WeRun payload may be when it reaches the backend (its watermark), seconds. */
const MAX_DATA_AGE_SECONDS = 600;

const LoginBody = {
  type: 'object',
  required: ['code', 'team'],
  additionalProperties: false,
  properties: { code: { type: 'string', minLength: 1, maxLength: 128 }, team: { enum: Object.keys(TEAMS) } },
};
const WeRunBody = {
  type: 'object',
  required: ['encryptedData', 'iv'],
  additionalProperties: false,
  properties: { encryptedData: { type: 'string', minLength: 1, maxLength: 65536 }, iv: { type: 'string', minLength: 1, maxLength: 64 } },
};
const DonationBody = {
  type: 'object',
  required: ['openid', 'cloudID'],
  additionalProperties: false,
  properties: { openid: { type: 'string', minLength: 1, maxLength: 64 }, cloudID: { type: 'string', minLength: 1, maxLength: 256 } },
};

/**
 * Builds the backend (not listening). `appid`/`secret` are the mini program's; the SDK talks to the real host unless
 * `baseUrl` or `OPENRUN_EMULATOR_HOST` points it at OpenRun.
 * @param {{ appid: string, secret: string, baseUrl?: string, staticDir?: string, logger?: boolean }} options
 */
export function buildBackend(options) {
  const wechat = new WeChatMiniProgram({ appid: options.appid, secret: options.secret, baseUrl: options.baseUrl });
  const store = createChallengeStore();
  const app = Fastify({ logger: options.logger ?? false });

  /** A JSON error reply `{ error: { code, message } }`. */
  const fail = (reply, status, code, message) => reply.code(status).send({ error: { code, message } });

  /** The session of the request's bearer token, or a 401 reply. */
  function sessionOf(request, reply) {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const session = token ? store.session(token) : undefined;
    if (!session) fail(reply, 401, 'not_logged_in', 'please log in again (no or unknown session)');
    return session;
  }

  app.setErrorHandler((error, request, reply) => {
    if (error.validation) return fail(reply, 400, 'bad_request', error.message);
    if (error instanceof PlatformError) return fail(reply, 502, error.type, `WeChat answered ${error.errcode}: ${error.errmsg}`);
    if (error instanceof OpenRunError) return fail(reply, 502, error.type, error.message);
    request.log.error(error);
    return fail(reply, 500, 'internal', 'internal error');
  });

  app.post('/api/login', { schema: { body: LoginBody } }, async (request) => {
    const { code, team } = request.body;
    const { openid, sessionKey } = await wechat.code2Session(code);
    const session = store.startSession(openid, sessionKey, team);
    return { token: session.token, openid, team };
  });

  app.post('/api/werun', { schema: { body: WeRunBody } }, async (request, reply) => {
    const session = sessionOf(request, reply);
    if (!session) return reply;
    try {
      const { stepInfoList } = wechat.decryptWeRunData(session.sessionKey, request.body.encryptedData, request.body.iv, {
        maxAgeSeconds: MAX_DATA_AGE_SECONDS,
      });
      return { days: stepInfoList.map(({ date, step }) => ({ date, step })) };
    } catch (error) {
      // Almost always a session_key that rotated since login (the app logged in again elsewhere): log in again.
      if (error instanceof DecryptError) return fail(reply, 400, error.type, error.message);
      throw error;
    }
  });

  app.post('/api/donations', { schema: { body: DonationBody } }, async (request, reply) => {
    const { openid, cloudID } = request.body;
    const team = store.teamOf(openid);
    if (!team) return fail(reply, 409, 'no_team', 'this user never logged in to the challenge');
    let snapshot;
    try {
      snapshot = await wechat.getWeRunDataByCloudId(openid, cloudID);
    } catch (error) {
      if (error instanceof CloudIdError) return fail(reply, 422, error.type, error.message);
      throw error;
    }
    const today = snapshot.stepInfoList.at(-1);
    if (!today) return fail(reply, 422, 'no_steps', 'the WeRun data has no days');
    store.donate({ openid, date: today.date, steps: today.step });
    const standing = store.leaderboard().find((t) => t.id === team);
    return { date: today.date, steps: today.step, team, teamTotal: standing?.total ?? today.step };
  });

  app.get('/api/leaderboard', async () => ({ teams: store.leaderboard() }));

  if (options.staticDir) app.register(fastifyStatic, { root: options.staticDir });
  return app;
}
