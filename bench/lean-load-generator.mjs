// Worker for benchmarks that must leave the cores to the servers they measure: a lean HTTP/1.1 client that sends
// `requests` (absolute URLs) with `concurrency` in flight, each lane over its own keep-alive connection per server,
// one request at a time per connection (no pipelining). Every request is serialised once before the clock starts;
// replies are read into one reused buffer per connection (net's `onread`, no stream or Buffer per read) and parsed
// there: each reply is read to its end (its content-length, or the last chunk) and any status but 200 fails the run.
// Lanes move on by callbacks rather than a promise per request. Posts back requests per second, the mean response
// size and the CPU it took.
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
const LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;
const CHUNKED = /\r\ntransfer-encoding:[ \t]*chunked/i;

/**
 * A keep-alive connection that sends one request at a time; `done(error, size)` is called when its reply has been
 * read to the end.
 */
function connection(target, fail) {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  /** Part of a reply that did not arrive in one read, copied out of the reused buffer. */
  let partial;
  let done;
  const onread = (nread, buffer) => {
    let data = buffer.subarray(0, nread);
    if (partial) data = partial = Buffer.concat([partial, data]);
    const headEnd = data.indexOf(HEADER_END);
    if (headEnd < 0 || !done) return keep(data);
    const head = data.latin1Slice(0, headEnd);
    const length = LENGTH.exec(head);
    let end;
    if (length) {
      end = headEnd + 4 + Number(length[1]);
      if (data.length < end) return keep(data);
    } else if (CHUNKED.test(head)) {
      const at = data.indexOf(CHUNKED_END, headEnd);
      if (at < 0) return keep(data);
      end = at + CHUNKED_END.length;
    } else {
      return fail(new Error(`a reply from ${target} without a length: ${head.split('\r\n')[0]}`));
    }
    if (end !== data.length) return fail(new Error(`${data.length - end} bytes from ${target} after a reply nobody asked for`));
    partial = undefined;
    const status = head.slice(9, 12);
    const finished = done;
    done = undefined;
    if (status !== '200') fail(new Error(`HTTP ${status} from ${target}: ${head.split('\r\n')[0]}`));
    else finished(end - headEnd - 4);
  };
  const keep = (data) => {
    if (data !== partial) partial = Buffer.from(data);
  };
  const socket = net.connect({ host, port, noDelay: true, onread: { buffer: Buffer.allocUnsafe(64 * 1024), callback: onread } });
  socket.on('error', fail);
  socket.on('close', () => done && fail(new Error(`connection to ${target} closed`)));
  return {
    send(bytes, then) {
      done = then;
      socket.write(bytes);
    },
    close: () => socket.destroy(),
  };
}

const prepared = requests.map(serialise);
const lanes = Array.from({ length: concurrency }, () => new Map());
let next = 0;
let bytes = 0;
let running = concurrency;
let failed;
let started;
let cpu0;
const finish = () => {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  for (const lane of lanes) for (const conn of lane.values()) conn.close();
  if (failed) throw failed;
  parentPort.postMessage({ rps: prepared.length / seconds, meanBytes: Math.round(bytes / prepared.length), cpuSeconds: (cpu.user + cpu.system) / 1e6 });
};
const fail = (error) => {
  if (failed) return;
  failed = error;
  next = prepared.length;
  finish();
};
/** Sends the lane's next request, and the one after when it is answered, until none is left. */
const step = (lane) => {
  if (failed) return;
  if (next >= prepared.length) {
    if (--running === 0) finish();
    return;
  }
  const { target, bytes: request } = prepared[next++];
  let conn = lane.get(target);
  if (!conn) lane.set(target, (conn = connection(target, fail)));
  conn.send(request, (size) => {
    bytes += size;
    step(lane);
  });
};
started = process.hrtime.bigint();
// The process's CPU over the timed window (the bench's main thread waits meanwhile): what the generator took.
cpu0 = process.cpuUsage();
for (const lane of lanes) step(lane);
