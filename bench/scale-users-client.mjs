// Worker for bench/scale-users.mjs: the load, from its own thread so it does not share the server's event loop.
//   mode "mix": `concurrency` chains of runtime login → jscode2session → runtime werun → getopendata, each chain for a
//   random user of `tokens`, until `requests` requests were sent; posts back req/s and p50/p99 latency (ms).
//   mode "probe": `method` (default GET) `path` (with `body`, if given) one after another until told to stop; posts back the
//   slowest and the count.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { mode, base } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function send(method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(new URL(path, base), { method, agent, headers: payload ? { 'content-type': 'application/json', ...headers } : headers }, (res) => {
      const parts = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        if (res.statusCode < 200 || res.statusCode >= 300) reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${text.slice(0, 200)}`));
        else resolve(text ? JSON.parse(text) : undefined);
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

if (mode === 'mix') {
  const { tokens, requests, concurrency, appid, secret, accessToken } = workerData;
  const latencies = [];
  let sent = 0;
  const timed = async (method, path, body, headers) => {
    const t = performance.now();
    const r = await send(method, path, body, headers);
    latencies.push(performance.now() - t);
    sent++;
    return r;
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < requests) {
        const token = tokens[Math.floor(Math.random() * tokens.length)];
        const auth = { authorization: `Bearer ${token}` };
        const { code } = await timed('POST', `/openrun/runtime/v1/apps/${appid}/login`, undefined, auth);
        const session = await timed('GET', `/sns/jscode2session?appid=${appid}&secret=${secret}&js_code=${code}&grant_type=authorization_code`);
        if (!session.openid) throw new Error(`jscode2session: ${JSON.stringify(session)}`);
        const werun = await timed('POST', `/openrun/runtime/v1/apps/${appid}/werun`, undefined, auth);
        const data = await timed('POST', `/wxa/getopendata?access_token=${accessToken}&openid=${session.openid}`, { cloudid_list: [werun.cloudID] });
        if (!data.data_list) throw new Error(`getopendata: ${JSON.stringify(data)}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  parentPort.postMessage({ rps: sent / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) });
} else {
  let stop = false;
  parentPort.on('message', () => (stop = true));
  let slowest = 0;
  let count = 0;
  parentPort.postMessage({ ready: true });
  while (!stop) {
    const t = performance.now();
    await send(workerData.method ?? 'GET', workerData.path, workerData.body, workerData.headers);
    slowest = Math.max(slowest, performance.now() - t);
    count++;
    await new Promise((r) => setTimeout(r, 5));
  }
  parentPort.postMessage({ slowest, count });
}
agent.destroy();
