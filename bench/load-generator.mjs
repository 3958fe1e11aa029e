// Worker for the benchmarks: sends `requests` to `base` over keep-alive HTTP with `concurrency` in flight and posts
// back requests per second and the mean response size. `transport` 'https' speaks TLS to `base` (trusting `ca`, SNI
// `servername`); 'connect' opens each keep-alive connection as a CONNECT tunnel through the proxy `base` to
// `servername:443` and speaks TLS inside it, as an HTTPS_PROXY client does.
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { parentPort, workerData } from 'node:worker_threads';

const { requests, concurrency, transport = 'http', ca, servername } = workerData;

/** A keep-alive agent whose connections are CONNECT tunnels through `proxy`. */
class TunnelAgent extends https.Agent {
  constructor(proxy, options) {
    super(options);
    this.proxy = new URL(proxy);
  }
  createConnection(options, done) {
    const req = http.request({ host: this.proxy.hostname, port: this.proxy.port, method: 'CONNECT', path: `${servername}:443`, agent: false });
    req.once('connect', (res, socket) => {
      if (res.statusCode !== 200) return done(new Error(`CONNECT answered ${res.statusCode}`));
      const secure = tls.connect({ socket, servername, ca });
      secure.once('secureConnect', () => done(null, secure));
      secure.once('error', done);
    });
    req.once('error', done);
    req.end();
  }
}

const keepAlive = { keepAlive: true, maxSockets: concurrency };
const agent =
  transport === 'connect' ? new TunnelAgent(workerData.base, { ...keepAlive, ca, servername })
  : transport === 'https' ? new https.Agent({ ...keepAlive, ca, servername })
  : new http.Agent(keepAlive);
const base = transport === 'connect' ? `https://${servername}` : workerData.base;
const client = transport === 'http' ? http : https;
const hostHeader = transport === 'http' ? {} : { host: servername };

function send({ method, path, body, headers = {} }) {
  return new Promise((resolve, reject) => {
    const allHeaders = { ...hostHeader, ...headers, ...(body ? { 'content-type': 'application/json' } : {}) };
    const req = client.request(new URL(path, base), { method, agent, headers: allHeaders }, (res) => {
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
