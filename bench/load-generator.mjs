// Worker for the benchmarks: sends `requests` to `base` over keep-alive HTTP with `concurrency` in flight and posts
// back requests per second and the mean response size.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { base, requests, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function send({ method, path, body, headers = {} }) {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, base), { method, agent, headers: body ? { 'content-type': 'application/json', ...headers } : headers }, (res) => {
      let size = 0;
      res.on('data', (c) => (size += c.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(size) : reject(new Error(`${method} ${path}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let next = 0;
let bytes = 0;
const started = process.hrtime.bigint();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < requests.length) {
      const size = await send(requests[next++]);
      bytes += size;
    }
  }),
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
agent.destroy();
parentPort.postMessage({ rps: requests.length / seconds, meanBytes: Math.round(bytes / requests.length) });
