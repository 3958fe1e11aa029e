// Worker for benchmarks that must leave the cores to the servers they measure: a lean HTTP/1.1 client that sends
// `requests` (absolute URLs) with `concurrency` in flight, each lane over its own keep-alive connection per server.
// Every request is serialised once before the clock starts, and a reply is read only as far as its status and length,
// so a request costs the generator a few microseconds instead of the tenth of a millisecond node:http takes. Any
// status but 200 fails the run. Posts back requests per second, the mean response size and the CPU it took.
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

const { requests, concurrency } = workerData;

/** The request as bytes, and the host:port it goes to. */
function serialise({ method, path, body, headers = {} }) {
  const url = new URL(path);
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`, 'connection: keep-alive'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body !== undefined) lines.push('content-type: application/json');
  if (body !== undefined || method !== 'GET') lines.push(`content-length: ${payload.length}`);
  return { target: url.host, bytes: Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), payload]) };
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n');

/** A keep-alive connection that sends one request at a time and resolves with the size of each reply. */
function connection(target) {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const socket = net.connect({ host, port, noDelay: true });
  let buffered = Buffer.alloc(0);
  let waiting;
  const fail = (error) => waiting?.reject(error);
  socket.on('error', fail);
  socket.on('close', () => fail(new Error(`connection to ${target} closed`)));
  socket.on('data', (chunk) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    const headEnd = buffered.indexOf(HEADER_END);
    if (headEnd < 0 || !waiting) return;
    const head = buffered.subarray(0, headEnd).toString('latin1');
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let end;
    if (length) {
      end = headEnd + 4 + Number(length[1]);
      if (buffered.length < end) return;
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const at = buffered.indexOf(CHUNKED_END, headEnd);
      if (at < 0) return;
      end = at + CHUNKED_END.length;
    } else {
      return fail(new Error(`a reply from ${target} without a length: ${head.split('\r\n')[0]}`));
    }
    const done = waiting;
    waiting = undefined;
    const size = end - headEnd - 4;
    buffered = buffered.subarray(end);
    if (status !== 200) done.reject(new Error(`HTTP ${status} from ${target}: ${head.split('\r\n')[0]}`));
    else done.resolve(size);
  });
  return {
    send(bytes) {
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        socket.write(bytes);
      });
    },
    close: () => socket.destroy(),
  };
}

const prepared = requests.map(serialise);
const lanes = Array.from({ length: concurrency }, () => new Map());
let next = 0;
let bytes = 0;
const started = process.hrtime.bigint();
// The process's CPU over the timed window (the bench's main thread waits meanwhile): what the generator took.
const cpu0 = process.cpuUsage();
await Promise.all(
  lanes.map(async (lane) => {
    while (next < prepared.length) {
      const { target, bytes: request } = prepared[next++];
      let conn = lane.get(target);
      if (!conn) lane.set(target, (conn = connection(target)));
      const size = await conn.send(request);
      bytes += size;
    }
  }),
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpu0);
for (const lane of lanes) for (const conn of lane.values()) conn.close();
parentPort.postMessage({ rps: prepared.length / seconds, meanBytes: Math.round(bytes / prepared.length), cpuSeconds: (cpu.user + cpu.system) / 1e6 });
