// Server for bench/scale-users.mjs: the platform on a store folder in a process of its own (as `openrun start` runs
// it), so that what the bench reads of its memory is the server's alone, without the load generator's or the
// seeding's. Started with fork(file, [dataDir, controlToken]); posts { base, startupMs } once it answers.
import { buildPlatform, listenPlatform } from '@openrun/platform';

const [dataDir, controlToken] = process.argv.slice(2);
const started = performance.now();
const platform = buildPlatform({ dataDir, controlToken, sessionRotationMinSeconds: 86400 });
const base = await listenPlatform(platform, { host: '127.0.0.1', port: 0 });
await (await fetch(`${base}/openrun/control/v1/clock`, { headers: { authorization: `Bearer ${controlToken}` } })).text();
process.send({ base, startupMs: performance.now() - started });
process.on('message', async () => {
  await platform.close();
  process.exit(0);
});
