// Control-plane bulk work on the embedded SQLite store: generating 100k users × 60 days through
// POST /openrun/control/v1/users/generate, and streaming Apple Health export.xml files of 50, 100 and 200 MB through
// POST /openrun/control/v1/users/{id}/steps/import. Prints rows/s and peak memory, and shows memory stays flat as the
// input grows (the import streams, batches and writes one transaction). The platform runs in a child process with a
// small fixed heap (--max-old-space-size=96, far below the 200 MB file), which samples its own memory; the uploads
// stream from disk with backpressure. Baselines measured in the same run: a bare saxes pass over the same file (speed
// ratio) and the smallest import (memory ratio). Writes bench/results/control-import.json. Run after `npm run build`:
//   node bench/control-import.mjs [--users N] [--days D] [--mb 50,100,200]
import { fork } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';
import { buildPlatform, listenPlatform } from '@openrun/platform';

const SERVER_HEAP_MB = 96;

if (process.argv.includes('--serve')) {
  // Child: the platform, sampling its own peak memory every 20 ms; the parent resets and reads the peak over IPC.
  const platform = buildPlatform({ dataDir: process.argv[process.argv.indexOf('--serve') + 1] });
  const url = await listenPlatform(platform, { host: '127.0.0.1', port: 0 });
  let peak = { rss: 0, heapUsed: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak = { rss: Math.max(peak.rss, m.rss), heapUsed: Math.max(peak.heapUsed, m.heapUsed) };
  };
  setInterval(sample, 20).unref();
  process.on('message', async (m) => {
    if (m === 'reset') {
      globalThis.gc?.();
      peak = { rss: 0, heapUsed: 0 };
      sample();
      process.send({ start: peak });
    } else if (m === 'peak') {
      sample();
      process.send({ peak });
    } else if (m === 'stop') {
      await platform.close();
      process.exit(0);
    }
  });
  process.send({ url });
  await new Promise(() => {});
}

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const USERS = Number(arg('users', 100_000));
const DAYS = Number(arg('days', 60));
const SIZES_MB = String(arg('mb', '50,100,200')).split(',').map(Number);
const CHUNK = 10_000;

const MB = 2 ** 20;
const dir = mkdtempSync(join(tmpdir(), 'openrun-bench-import-'));
const server = fork(fileURLToPath(import.meta.url), ['--serve', join(dir, 'store')], {
  execArgv: ['--expose-gc', `--max-old-space-size=${SERVER_HEAP_MB}`],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ask = (message, key) =>
  new Promise((resolve) => {
    const on = (m) => {
      if (key in m) {
        server.off('message', on);
        resolve(m[key]);
      }
    };
    server.on('message', on);
    if (message) server.send(message);
  });
const base = await ask(undefined, 'url');

/** Times `work` and reads the server's peak memory during it (the start is taken after a full GC). */
async function measure(work) {
  const start = await ask('reset', 'start');
  const t0 = process.hrtime.bigint();
  const result = await work();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peak = await ask('peak', 'peak');
  return {
    result,
    seconds,
    peakRssMb: peak.rss / MB,
    peakRssDeltaMb: (peak.rss - start.rss) / MB,
    peakHeapMb: peak.heapUsed / MB,
  };
}

/** Streams a file as the body of a POST (backpressure all the way) and returns the JSON reply. */
function upload(path, file, contentType) {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: 'POST', headers: { 'content-type': contentType } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    pipeline(createReadStream(file), req).catch(reject);
  });
}

/** Writes an export.xml of about `mb` megabytes: step samples every ~10 minutes of waking time, plus heart-rate noise. */
async function writeHealthExport(path, mb) {
  const out = createWriteStream(path);
  const write = (text) => (out.write(text) ? undefined : new Promise((r) => out.once('drain', r)));
  await write('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE HealthData [\n<!ELEMENT HealthData (ExportDate,Me,(Record)*)>\n]>\n');
  await write('<HealthData locale="zh_CN">\n <ExportDate value="2026-11-21 10:00:00 +0800"/>\n');
  let bytes = 0;
  let samples = 0;
  let t = Date.UTC(2015, 0, 1);
  const pad = (n) => String(n).padStart(2, '0');
  const fmt = (ms) => {
    const d = new Date(ms + 8 * 3600e3);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0800`;
  };
  while (bytes < mb * 1e6) {
    t += 10 * 60_000;
    const start = fmt(t);
    const record =
      ` <Record type="HKQuantityTypeIdentifierStepCount" sourceName="iPhone" sourceVersion="17.1" device="&lt;&lt;HKDevice: 0x28&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone&gt;" unit="count" creationDate="${start}" startDate="${start}" endDate="${fmt(t + 540_000)}" value="${(samples * 7919) % 700}">\n` +
      `  <MetadataEntry key="HKMetadataKeyTimeZone" value="Asia/Shanghai"/>\n </Record>\n` +
      (samples % 4 === 0 ? ` <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" creationDate="${start}" startDate="${start}" endDate="${start}" value="72"/>\n` : '');
    bytes += record.length;
    samples++;
    await write(record);
  }
  await write('</HealthData>\n');
  await new Promise((r) => out.end(r));
  return { bytes: statSync(path).size, samples };
}

/** The baseline: one bare saxes pass over the file, counting step records. */
async function bareParse(path) {
  const parser = new SaxesParser();
  let n = 0;
  parser.on('opentag', (tag) => {
    if (tag.name === 'Record' && tag.attributes.type === 'HKQuantityTypeIdentifierStepCount') n++;
  });
  for await (const chunk of createReadStream(path, { encoding: 'utf8' })) parser.write(chunk);
  parser.close();
  return n;
}

const control = async (method, path, body) => {
  const r = await fetch(`${base}/openrun/control/v1${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
};
await control('PUT', '/clock', { now: '2026-11-21T04:00:00Z', frozen: true });

// 1. Generate USERS × DAYS.
const generate = await measure(async () => {
  for (let done = 0; done < USERS; done += CHUNK) {
    await control('POST', '/users/generate', { count: Math.min(CHUNK, USERS - done), days: DAYS, seed: done });
  }
});
const generatedRows = USERS * (DAYS - 1); // today comes from the live model, not a row
console.log(`generate ${USERS} users × ${DAYS} days: ${(generatedRows / generate.seconds).toFixed(0)} rows/s, ${generate.seconds.toFixed(1)} s, server peak RSS ${generate.peakRssMb.toFixed(0)} MB`);

// 2. Apple Health imports of growing size.
const imports = [];
for (const mb of SIZES_MB) {
  const file = join(dir, `export-${mb}mb.xml`);
  const written = await writeHealthExport(file, mb);
  const user = await control('POST', '/users', {});
  const t0 = process.hrtime.bigint();
  const bareSamples = await bareParse(file);
  const bareSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const run = await measure(() => upload(`/openrun/control/v1/users/${user.id}/steps/import`, file, 'application/xml'));
  if (run.result.rows !== written.samples || bareSamples !== written.samples) throw new Error('sample counts disagree');
  const entry = {
    mb,
    bytes: written.bytes,
    samples: written.samples,
    days: run.result.days,
    seconds: run.seconds,
    rowsPerSecond: written.samples / run.seconds,
    mbPerSecond: written.bytes / 1e6 / run.seconds,
    peakRssMb: run.peakRssMb,
    peakRssDeltaMb: run.peakRssDeltaMb,
    peakHeapMb: run.peakHeapMb,
    bareParseSeconds: bareSeconds,
    speedRatioVsBareParse: bareSeconds / run.seconds,
  };
  imports.push(entry);
  console.log(
    `import apple health ${mb} MB: ${entry.rowsPerSecond.toFixed(0)} samples/s (${entry.mbPerSecond.toFixed(1)} MB/s) into ${entry.days} days, ` +
      `server peak RSS ${entry.peakRssMb.toFixed(0)} MB (+${entry.peakRssDeltaMb.toFixed(0)} MB), peak heap ${entry.peakHeapMb.toFixed(0)} MB`,
  );
  rmSync(file);
}

const small = imports[0];
const large = imports.at(-1);
const memoryRatio = large.peakRssMb / small.peakRssMb;
console.log(`apple_health_import_vs_bare_saxes: ${large.speedRatioVsBareParse.toFixed(2)}`);
console.log(`apple_health_memory_${large.mb}mb_vs_${small.mb}mb: ${memoryRatio.toFixed(2)}`);

server.send('stop');
await new Promise((r) => server.once('exit', r));
rmSync(dir, { recursive: true, force: true });
const results = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(results, { recursive: true });
writeFileSync(
  join(results, 'control-import.json'),
  JSON.stringify(
    {
      benchmark: 'control-import',
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      serverHeapLimitMb: SERVER_HEAP_MB,
      target: 'memory ratio (server peak RSS, largest vs smallest import) close to 1, with a heap limit below the file size: the import streams',
      generate: { users: USERS, days: DAYS, rows: generatedRows, seconds: generate.seconds, rowsPerSecond: generatedRows / generate.seconds, peakRssMb: generate.peakRssMb, peakHeapMb: generate.peakHeapMb },
      imports,
      ratios: {
        [`apple_health_memory_${large.mb}mb_vs_${small.mb}mb`]: memoryRatio,
        apple_health_import_vs_bare_saxes: large.speedRatioVsBareParse,
      },
    },
    null,
    2,
  ) + '\n',
);
