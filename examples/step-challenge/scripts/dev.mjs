/**
 * `npm run dev`: OpenRun (in memory, with openrun/scenario.yaml and cloudfunctions/), the backend, and the Taro H5
 * dev server with the OpenRun plugin pointed at them: one command, Ctrl-C stops all three.
 * Ports: OPENRUN_PORT (9527), BACKEND_PORT (3000), STEP_DEV_PORT (10086). TARO_COMPILER=vite uses Vite.
 */
import { join } from 'node:path';
import { exampleDir, startBackend, startOpenRun, startProcess, stopProcess, weappOf } from './processes.mjs';

const children = [];
async function stopAll() {
  await Promise.all(children.map((c) => stopProcess(c)));
  process.exit(0);
}
process.once('SIGINT', stopAll);
process.once('SIGTERM', stopAll);

try {
  const openrun = await startOpenRun({ port: Number(process.env.OPENRUN_PORT || 9527), echo: true });
  children.push(openrun.child);
  const weapp = await weappOf(openrun.url);
  const backend = await startBackend({
    openrunUrl: openrun.url,
    appid: weapp.appid,
    secret: weapp.secret,
    port: Number(process.env.BACKEND_PORT || 3000),
    echo: true,
  });
  children.push(backend.child);
  const devPort = process.env.STEP_DEV_PORT || '10086';
  const taro = await startProcess({
    name: 'taro',
    command: process.execPath,
    args: [join(exampleDir, 'node_modules/@tarojs/cli/bin/taro'), 'build', '--type', 'h5', '--watch'],
    env: {
      OPENRUN_URL: openrun.url,
      OPENRUN_APPID: weapp.appid,
      OPENRUN_DEVICE_TOKEN: process.env.OPENRUN_DEVICE_TOKEN || 'dev-alice-0001',
      STEP_BACKEND_URL: backend.url,
      STEP_DEV_PORT: devPort,
    },
    ready: /Watching\.\.\.|Local:\s/,
    timeoutMs: 180_000,
    echo: true,
  });
  children.push(taro.child);
  console.log(`
  step challenge is running
    app:       http://127.0.0.1:${devPort}/            (you are alice; ?openrun_user=bob makes this tab Bob)
    backend:   ${backend.url}
    OpenRun:   ${openrun.url}   dashboard ${openrun.url}/ui/
  Ctrl-C stops everything.
`);
  taro.child.once('exit', stopAll);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await Promise.all(children.map((c) => stopProcess(c)));
  process.exit(1);
}
