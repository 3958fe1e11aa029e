// Whether issuing an access token stays flat as tokens accumulate: the store's issue step (supersede the app's
// tokens still in force, insert the new one, one IMMEDIATE transaction on a file store) timed after 1k and after 50k
// tokens issued, in the same run. Prints `name: ratio` (time at 1k / time at 50k; 1.00 is flat) and writes
// bench/results/token-issue-flatness.json. Run after `npm run build`: node bench/token-issue-flatness.mjs [--rounds N]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlatform } from '@openrun/platform';

const i = process.argv.indexOf('--rounds');
const ROUNDS = i > 0 ? Number(process.argv[i + 1]) : 3;
const SAMPLE = 2000;

const dataDir = mkdtempSync(join(tmpdir(), 'openrun-token-bench-'));
const app = buildPlatform({ dataDir, tokenDailyQuota: 0 });
await app.ready();
const ctx = app.openrun;
const now = ctx.clock.now();
const appid = 'wx00000000000000b1';
const issue = () =>
  ctx.ephemeral.issueAccessToken({ token: ctx.ids.accessToken(), appid, kind: 'normal', issuedAt: now, expiresAt: now + 7_200_000, supersededUntil: null }, now + 300_000);
let issued = 0;
const upTo = async (n) => {
  for (; issued < n; issued++) await issue();
};
const time = async () => {
  const t = performance.now();
  for (let k = 0; k < SAMPLE; k++) await issue();
  issued += SAMPLE;
  return ((performance.now() - t) / SAMPLE) * 1000;
};

// Each round is a fresh store: 1k tokens, time; 50k tokens, time. The median ratio of the rounds is reported.
const rounds = [];
await upTo(1000);
const at1k = [await time()];
await upTo(50_000);
const at50k = [await time()];
await app.close();
rmSync(dataDir, { recursive: true, force: true });
for (let r = 1; r < ROUNDS; r++) {
  const dir = mkdtempSync(join(tmpdir(), 'openrun-token-bench-'));
  const again = buildPlatform({ dataDir: dir, tokenDailyQuota: 0 });
  await again.ready();
  const c = again.openrun;
  let n = 0;
  const one = () => c.ephemeral.issueAccessToken({ token: c.ids.accessToken(), appid, kind: 'normal', issuedAt: now, expiresAt: now + 7_200_000, supersededUntil: null }, now + 300_000);
  const measure = async () => {
    const t = performance.now();
    for (let k = 0; k < SAMPLE; k++) await one();
    n += SAMPLE;
    return ((performance.now() - t) / SAMPLE) * 1000;
  };
  for (; n < 1000; n++) await one();
  at1k.push(await measure());
  for (; n < 50_000; n++) await one();
  at50k.push(await measure());
  await again.close();
  rmSync(dir, { recursive: true, force: true });
}
for (let r = 0; r < ROUNDS; r++) rounds.push({ microsAt1k: at1k[r], microsAt50k: at50k[r], ratio: at1k[r] / at50k[r] });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = median(rounds.map((r) => r.ratio));
console.log(`token_issue_1k_vs_50k: ${ratio.toFixed(2)}  (median of ${ROUNDS} rounds; µs per issue at 1k: ${at1k.map((x) => x.toFixed(0)).join('/')}, at 50k: ${at50k.map((x) => x.toFixed(0)).join('/')})`);

const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'token-issue-flatness.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ benchmark: 'token-issue-flatness', date: new Date().toISOString(), node: process.version, cpus: cpus().length, sample: SAMPLE, target: 'ratio near 1.00 (flat)', results: [{ name: 'token_issue_1k_vs_50k', ratio }], rounds }, null, 2)}\n`);
console.log(`results: ${out}`);
