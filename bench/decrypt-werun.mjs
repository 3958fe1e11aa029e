#!/usr/bin/env node
/**
 * Benchmark: @openrun/server-sdk `decryptWeRunData` on a realistic 31-day WeRun payload, against
 *   (a) raw node:crypto AES-128-CBC + JSON.parse, measured in the same run (the floor any decryptor pays), and
 *   (b) the decryptors of node-easywechat (MiniApp Decryptor) and wechat-jssdk (MiniProgram#decryptData).
 * decryptWeRunData does strictly more than (a): strict base64 checks, watermark check, stepInfoList validation and a
 * China-time date per day. Targets (issue 4): ≥ 0.9× raw, ≥ 1.0× each peer.
 *
 * Method: every contender runs in interleaved rounds (order rotated each round) after warm-up rounds. In each round
 * the ratio is ops/s of decryptWeRunData ÷ ops/s of the baseline in that same round (so load from other processes
 * hits both sides alike); the reported ratio is the median of those per-round ratios. wechat-jssdk's decryptor is
 * asynchronous (it returns a Promise), so it is awaited per call, as its users must.
 *
 * Prints `name: ratio` lines and writes bench/results/decrypt-werun.json.
 * Run: node bench/decrypt-werun.mjs   (bundles packages/server-sdk/src with esbuild; no build step needed)
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

async function loadSdk() {
  const dir = await mkdtemp(join(tmpdir(), 'openrun-bench-'));
  const outfile = join(dir, 'server-sdk.mjs');
  await build({
    entryPoints: [join(root, 'packages/server-sdk/src/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['openrun-source'],
    external: ['ioredis'],
    outfile,
    logLevel: 'silent',
  });
  try {
    return await import(pathToFileURL(outfile).href);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const sdk = await loadSdk();
const EasyWeChatDecryptor = require('node-easywechat/dist/MiniApp/Decryptor.js');
const { MiniProgram, Store } = require('wechat-jssdk');

// A realistic payload: 31 days of steps, as the platform serializes and encrypts it.
const appid = 'wx66e4ec7b580c2658';
const sessionKey = 'tiihtNczf5v6AKRyjwEUhQ==';
const nowSeconds = 1_763_700_000;
const steps = {};
for (let i = 0; i < 31; i++) {
  const date = new Date((nowSeconds + 28_800 - i * 86_400) * 1000).toISOString().slice(0, 10);
  steps[date] = 3_000 + ((i * 7_919) % 15_000);
}
const { encryptedData, iv } = sdk.encryptTestWeRunData(sessionKey, { appid, nowSeconds, steps });

// The same data in another key order (as the cloud docs print it): not the platform's compact AES form, so
// decryptWeRunData takes its general JSON.parse path. Reported for information; the targets concern the real form.
const reordered = (() => {
  const data = JSON.parse(
    Buffer.concat([
      (() => {
        const d = createDecipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), Buffer.from(iv, 'base64'));
        return Buffer.concat([d.update(Buffer.from(encryptedData, 'base64')), d.final()]);
      })(),
    ]).toString('utf8'),
  );
  const text = JSON.stringify({
    stepInfoList: data.stepInfoList.map((d) => ({ step: d.step, timestamp: d.timestamp })),
    watermark: { appid: data.watermark.appid, timestamp: data.watermark.timestamp },
  });
  const c = createCipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), Buffer.from(iv, 'base64'));
  return Buffer.concat([c.update(text, 'utf8'), c.final()]).toString('base64');
})();

function sdkDecryptGeneral() {
  return sdk.decryptWeRunData(sessionKey, reordered, iv, { appid });
}

function rawDecrypt() {
  const decipher = createDecipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), Buffer.from(iv, 'base64'));
  const plain = Buffer.concat([decipher.update(Buffer.from(encryptedData, 'base64')), decipher.final()]);
  return JSON.parse(plain.toString('utf8'));
}

function sdkDecrypt() {
  return sdk.decryptWeRunData(sessionKey, encryptedData, iv, { appid });
}

function easyWeChatDecrypt() {
  return EasyWeChatDecryptor.decrypt(sessionKey, iv, encryptedData);
}

const jssdk = new MiniProgram({ miniProgram: { appId: appid, appSecret: 'x'.repeat(32) }, store: new Store({ noInterval: true }) });
function jssdkDecrypt() {
  return jssdk.decryptData(encryptedData, iv, sessionKey);
}

// Every contender must agree on the data before it is timed.
const expected = rawDecrypt();
const check = (name, value) => {
  const got = value.stepInfoList.map((d) => d.step).join(',');
  if (got !== expected.stepInfoList.map((d) => d.step).join(',')) throw new Error(`${name} decrypted different data`);
};
check('decryptWeRunData', sdkDecrypt());
check('decryptWeRunData (general path)', sdkDecryptGeneral());
check('node-easywechat', easyWeChatDecrypt());
check('wechat-jssdk', await jssdkDecrypt());

const contenders = {
  raw: { run: rawDecrypt, async: false },
  decryptWeRunData: { run: sdkDecrypt, async: false },
  'decryptWeRunData-general': { run: sdkDecryptGeneral, async: false },
  'node-easywechat': { run: easyWeChatDecrypt, async: false },
  'wechat-jssdk': { run: jssdkDecrypt, async: true },
};

const ITERATIONS = 5_000;
const ROUNDS = 41;
const WARMUP_ROUNDS = 5;

async function timeOnce(contender) {
  const start = process.hrtime.bigint();
  if (contender.async) {
    for (let i = 0; i < ITERATIONS; i++) await contender.run();
  } else {
    for (let i = 0; i < ITERATIONS; i++) contender.run();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return ITERATIONS / seconds;
}

const samples = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
const names = Object.keys(contenders);
for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
  const order = names.map((_, i) => names[(i + round) % names.length]);
  for (const name of order) {
    const opsPerSecond = await timeOnce(contenders[name]);
    if (round >= WARMUP_ROUNDS) samples[name].push(opsPerSecond);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const opsPerSecond = Object.fromEntries(names.map((name) => [name, Math.round(median(samples[name]))]));
const ratio = (baseline, subject = 'decryptWeRunData') =>
  Number(median(samples[subject].map((ops, round) => ops / samples[baseline][round])).toFixed(3));
const ratios = {
  'decryptWeRunData vs raw crypto+JSON.parse': ratio('raw'),
  'decryptWeRunData vs node-easywechat': ratio('node-easywechat'),
  'decryptWeRunData vs wechat-jssdk': ratio('wechat-jssdk'),
};
const targets = {
  'decryptWeRunData vs raw crypto+JSON.parse': 0.9,
  'decryptWeRunData vs node-easywechat': 1.0,
  'decryptWeRunData vs wechat-jssdk': 1.0,
};

const informational = {
  'decryptWeRunData, payload not in the compact platform form (general JSON.parse path) vs raw crypto+JSON.parse': ratio(
    'raw',
    'decryptWeRunData-general',
  ),
};

for (const [name, value] of Object.entries({ ...ratios, ...informational })) console.log(`${name}: ${value}`);

const result = {
  benchmark: 'decrypt-werun',
  description: 'decryptWeRunData (decrypt + watermark + validation + China dates) on a 31-day WeRun payload; ratio = ops/s of decryptWeRunData ÷ ops/s of the baseline',
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  payload: { days: 31, encryptedDataChars: encryptedData.length },
  method: {
    iterationsPerRound: ITERATIONS,
    rounds: ROUNDS,
    warmupRounds: WARMUP_ROUNDS,
    statistic: 'ratio: median of per-round ratios; opsPerSecond: median over rounds',
  },
  opsPerSecond,
  ratios,
  targets,
  informational,
  meetsTargets: Object.fromEntries(Object.entries(ratios).map(([name, value]) => [name, value >= targets[name]])),
  peers: { 'node-easywechat': require('node-easywechat/package.json').version, 'wechat-jssdk': require('wechat-jssdk/package.json').version },
};
await mkdir(join(root, 'bench/results'), { recursive: true });
await writeFile(join(root, 'bench/results/decrypt-werun.json'), `${JSON.stringify(result, null, 2)}\n`);
