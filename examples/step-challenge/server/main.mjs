/**
 * Starts the backend: `WECHAT_APPID`, `WECHAT_SECRET` (required), `OPENRUN_EMULATOR_HOST` (use OpenRun instead of
 * api.weixin.qq.com), `PORT` (default 3000; 0 picks a free one), `HOST` (default 127.0.0.1), `STATIC_DIR` (serve a
 * built H5 app at /). Prints one line with the URL it listens on.
 */
import { buildBackend } from './app.mjs';

const { WECHAT_APPID: appid, WECHAT_SECRET: secret } = process.env;
if (!appid || !secret) {
  console.error('[step-challenge] set WECHAT_APPID and WECHAT_SECRET (openrun start prints them; npm run dev sets them)');
  process.exit(1);
}
const app = buildBackend({ appid, secret, staticDir: process.env.STATIC_DIR || undefined, logger: process.env.LOG === '1' });
const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST || '127.0.0.1' });
console.log(`step-challenge backend listening on ${address}`);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void app.close().then(() => process.exit(0)));
