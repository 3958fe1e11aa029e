/**
 * The example app end to end, as CI runs it: the example is installed (`npm ci --ignore-scripts`, skipped when
 * node_modules already matches), built for H5 with the real Taro CLI with webpack5 and with Vite (the @openrun/taro
 * plugin in its config), served by its own backend, and driven in Debian's Chromium against OpenRun started with the
 * example's scenario and cloud functions. Two people in two browser contexts: Alice allows the WeRun sheet and sees
 * her 31 days, Bob refuses and sees the refusal remembered; Alice donates through the `donate` cloud function, an
 * expired cloudID (+301 s) shows -601006 and a fresh one works, and the leaderboard follows. Every page the test
 * lands on is asserted to be on screen once Taro's slide-in is over (not only present in the DOM), and each screenshot
 * is taken only then; screenshots go to test-results/step-challenge/. Without Chromium (OPENRUN_TEST_CHROMIUM or /usr/bin/chromium) the browser tests are skipped
 * loudly. The example's own Vitest suite runs too.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exampleDir, startBackend, startOpenRun, weappOf, type Started, type WeApp } from '../../examples/step-challenge/scripts/processes.mjs';
import { installExample } from './install-example.js';

const CHROMIUM = process.env.OPENRUN_TEST_CHROMIUM?.trim() || '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `[openrun] SKIPPING the step-challenge example test: ${CHROMIUM} not found. Install Debian's Chromium (apt-get install -y chromium) or set OPENRUN_TEST_CHROMIUM.`,
  );
}
const SHOTS = resolve(exampleDir, '../../test-results/step-challenge');
const COMPILERS = ['webpack5', 'vite'] as const;
const execFileAsync = promisify(execFile);

/** Runs a command; a failure throws with the command's output, so the test report shows what broke. */
async function run(file: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  try {
    await execFileAsync(file, args, { ...options, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${[file, ...args].join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

let openrun: Started | undefined;
let weapp: WeApp;
let browser: Browser | undefined;
const timings: Record<string, number> = {};

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${openrun!.url}/openrun/control/v1${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

async function timed<T>(name: string, work: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings[name] = Math.round(performance.now() - started);
  }
}

/** `taro build --type h5` with the given compiler, the OpenRun plugin pointed at this run's platform (Alice's phone by default). */
async function buildH5(compiler: (typeof COMPILERS)[number]): Promise<string> {
  const outputRoot = `dist/e2e-h5-${compiler}`;
  await run(process.execPath, [join(exampleDir, 'node_modules/@tarojs/cli/bin/taro'), 'build', '--type', 'h5'], {
    cwd: exampleDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      TARO_COMPILER: compiler,
      STEP_OUTPUT_ROOT: outputRoot,
      OPENRUN_URL: openrun!.url,
      OPENRUN_APPID: weapp.appid,
      OPENRUN_DEVICE_TOKEN: 'dev-alice-0001',
    },
  });
  const dir = join(exampleDir, outputRoot);
  expect(existsSync(join(dir, 'index.html'))).toBe(true);
  return dir;
}

/** A page of a new browser context (a person with their own phone), as `user`. */
async function openAs(backendUrl: string, user: string, errors: string[]): Promise<Page> {
  const context = await browser!.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => errors.push(`${user}: ${e.message}`));
  await page.goto(`${backendUrl}/?openrun_user=${user}`);
  await expectShown(page, 'login', page.locator('.login-button'));
  return page;
}

async function logIn(page: Page, team: 'red' | 'blue'): Promise<void> {
  await page.locator(`.team-${team}`).click();
  await page.locator('.login-button').click();
}

/** The example's pages, by the class of each page's root view (`.login-page`, …). */
type PageName = 'login' | 'steps' | 'team';

/**
 * What is wrong with what the person sees, empty when nothing is: whether Taro's router has shown the page whose root
 * is `.<name>-page` (the `.taro_page` around it has `taro_page_show` and, after the slide, `taro_page_stationed`),
 * whether it lies inside the viewport, whether `key` does, and whether an animation is still running.
 */
async function whatIsNotShown(page: Page, name: PageName, key: Locator): Promise<string[]> {
  const seen = await page.evaluate((name) => {
    const root = Array.from(document.querySelectorAll(`.${name}-page`)).at(-1);
    const container = root?.closest('.taro_page');
    const box = root?.getBoundingClientRect();
    return {
      classes: container ? container.className : undefined,
      transform: container ? getComputedStyle(container).transform : undefined,
      box: box && { x: box.x, y: box.y, width: box.width, height: box.height },
      running: document.getAnimations().filter((a) => a.playState === 'running').length,
    };
  }, name);
  const viewport = page.viewportSize()!;
  const problems: string[] = [];
  const where = `(classes '${seen.classes}', transform ${seen.transform}, box ${JSON.stringify(seen.box)}, viewport ${viewport.width}×${viewport.height})`;
  if (seen.classes === undefined) problems.push(`no .taro_page holds .${name}-page`);
  else if (!/\btaro_page_show\b/.test(seen.classes) || !/\btaro_page_stationed\b/.test(seen.classes) || /\btaro_page_shade\b/.test(seen.classes)) {
    problems.push(`the router has not shown the ${name} page ${where}`);
  }
  const b = seen.box;
  // The page may be taller than the viewport, but never beside it: Taro slides a page in from the right.
  if (b && !(b.width > 0 && b.x >= 0 && b.x + b.width <= viewport.width + 0.5 && b.y < viewport.height && b.y + b.height > 0)) {
    problems.push(`the ${name} page is off-screen ${where}`);
  }
  const k = await key.boundingBox();
  if (!k || !(k.width > 0 && k.x >= 0 && k.y >= 0 && k.x + k.width <= viewport.width + 0.5 && k.y + k.height <= viewport.height + 0.5)) {
    problems.push(`${key} is not on screen (box ${JSON.stringify(k)})`);
  }
  if (seen.running > 0) problems.push(`${seen.running} animation(s) still running`);
  return problems;
}

/**
 * Asserts the person sees the `name` page with `key` on it, once Taro's page transition is over (the router adds
 * `taro_page_show` 50 ms after the page has mounted, so the page's data can be in the DOM while it is still off-screen
 * to the right, and only then slides in for 300 ms). Polls while the transition runs; fails saying what is not shown.
 */
async function expectShown(page: Page, name: PageName, key: Locator): Promise<void> {
  await key.waitFor();
  const until = Date.now() + 15_000;
  let problems = await whatIsNotShown(page, name, key);
  while (problems.length > 0 && Date.now() < until) {
    await page.waitForTimeout(50);
    problems = await whatIsNotShown(page, name, key);
  }
  expect(problems, `the ${name} page as the person sees it`).toEqual([]);
}

/** A screenshot of the `name` page once it is shown (see expectShown), so the picture is of the page in view. */
async function shot(page: Page, compiler: string, file: string, name: PageName, key: Locator): Promise<void> {
  await expectShown(page, name, key);
  await page.screenshot({ path: join(SHOTS, `${compiler}-${file}.png`) });
}

/** The chart's bars: date and steps of each. */
const bars = (page: Page) =>
  page.locator('.bar').evaluateAll((nodes) => nodes.map((n) => ({ date: n.getAttribute('data-date'), steps: Number(n.getAttribute('data-steps')) })));

const teamTotal = async (page: Page, team: string) => Number(await page.locator(`.team-${team}`).first().getAttribute('data-total'));

beforeAll(async () => {
  await timed('install', () => installExample(exampleDir));
  if (!hasChromium) return;
  mkdirSync(SHOTS, { recursive: true });
  openrun = await startOpenRun();
  weapp = await weappOf(openrun.url);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await openrun?.stop();
  if (Object.keys(timings).length) console.log(`[step-challenge] timings (ms): ${JSON.stringify(timings)}`);
});

it("the example's own unit tests pass (Taro.getWeRunData through @openrun/taro/vitest, decrypted by the backend)", async () => {
  await timed('example unit tests', () =>
    run(join(exampleDir, 'node_modules/.bin/vitest'), ['run'], { cwd: exampleDir, env: { ...process.env, NODE_ENV: 'test' } }),
  );
}, 180_000);

for (const compiler of COMPILERS) {
  it.skipIf(!hasChromium)(
    `the ${compiler} H5 build: the sheet's 允许 and 拒绝, the 31-day chart, donating through the cloud function with an expired cloudID, the leaderboard`,
    async () => {
      const staticDir = await timed(`build:${compiler}`, () => buildH5(compiler));
      const started = performance.now();
      // A fresh world for each build: the scenario again, and a clock that moves only when the test says so.
      await control('POST', '/scenario', parse(readFileSync(join(exampleDir, 'openrun/scenario.yaml'), 'utf8')));
      await control('PUT', '/clock', { frozen: true });
      const backend = await startBackend({ openrunUrl: openrun!.url, appid: weapp.appid, secret: weapp.secret, staticDir });
      const errors: string[] = [];
      try {
        const alice = await openAs(backend.url, 'alice', errors);
        const bob = await openAs(backend.url, 'bob', errors);

        // Alice logs in and is asked for her WeRun steps in the page: she allows.
        await logIn(alice, 'red');
        await alice.getByText('获取你的微信运动步数').waitFor();
        await shot(alice, compiler, '1-alice-sheet', 'steps', alice.getByText('允许', { exact: true }));
        await alice.getByText('允许', { exact: true }).click();
        await alice.locator('.bar').nth(30).waitFor();
        const chart = await bars(alice);
        expect(chart).toHaveLength(31);
        const { days } = await control<{ days: { date: string; steps: number }[] }>(
          'GET',
          `/users/alice/steps?from=${chart[0]!.date}&to=${chart[30]!.date}`,
        );
        expect(chart).toEqual(days.map((d) => ({ date: d.date, steps: d.steps })));
        const today = days.at(-1)!.steps;
        await shot(alice, compiler, '2-alice-chart', 'steps', alice.locator('.chart'));

        // Bob refuses: the page shows the auth deny path, and the refusal is remembered (no sheet the second time).
        await logIn(bob, 'blue');
        await bob.getByText('获取你的微信运动步数').waitFor();
        await bob.getByText('拒绝', { exact: true }).click();
        await expect.poll(() => bob.locator('.werun-error').textContent()).toBe('getWeRunData:fail auth deny');
        await bob.locator('.refusal-remembered').waitFor();
        const grants = await control<{ authSetting: Record<string, boolean> }>('GET', `/apps/${weapp.appid}/users/bob/grants`);
        expect(grants.authSetting['scope.werun']).toBe(false);
        const again = bob.waitForResponse((r) => r.url().endsWith('/werun'));
        await bob.locator('.retry-button').click();
        await again;
        await expect.poll(() => bob.locator('.werun-error').textContent()).toBe('getWeRunData:fail 系统错误，错误码：-12006,auth deny');
        expect(await bob.getByText('获取你的微信运动步数').count()).toBe(0);
        await shot(bob, compiler, '3-bob-refused', 'steps', bob.locator('.werun-error'));

        // Bob watches the leaderboard: nobody has donated yet.
        await bob.locator('.team-link').click();
        await expectShown(bob, 'team', bob.locator('.leaderboard .team-red'));
        expect(await teamTotal(bob, 'red')).toBe(0);

        // Alice donates today's steps through the cloud function (CloudID → open data → backend → getopendata).
        await alice.locator('.donate-button').click();
        await alice.locator('.donate-ok').waitFor();
        expect(Number(await alice.locator('.donated-steps').textContent())).toBe(today);
        await shot(alice, compiler, '4-alice-donated', 'steps', alice.locator('.donate-ok'));

        // The leaderboard updates.
        await bob.locator('.refresh-button').click();
        await expect.poll(() => teamTotal(bob, 'red')).toBe(today);
        await expect.poll(() => bob.locator('.team-red .member').count()).toBe(1);
        await shot(bob, compiler, '5-bob-leaderboard', 'team', bob.locator('.leaderboard .team-red .member'));

        // Five minutes and a second later Alice's cloudID has expired: the function answers -601006, a fresh one works.
        await control('POST', '/clock/advance', { seconds: 301 });
        await alice.locator('.donate-button').click();
        await expect.poll(() => alice.locator('.donate-error').first().textContent()).toContain('-601006');
        await shot(alice, compiler, '6-alice-expired', 'steps', alice.locator('.donate-error').first());
        await alice.locator('.refresh-donate-button').click();
        await alice.locator('.donate-ok').waitFor();
        // Today's count grew with the clock; the fresh cloudID carries the new count, and it replaces today's donation.
        const later = await control<{ days: { steps: number }[] }>('GET', `/users/alice/steps?from=${chart[30]!.date}&to=${chart[30]!.date}`);
        const todayLater = later.days[0]!.steps;
        expect(Number(await alice.locator('.donated-steps').textContent())).toBe(todayLater);
        await alice.locator('.team-link').click();
        await expectShown(alice, 'team', alice.locator('.leaderboard .team-red'));
        expect(await teamTotal(alice, 'red')).toBe(todayLater);
        expect(await teamTotal(alice, 'blue')).toBe(0);
        await shot(alice, compiler, '7-alice-leaderboard', 'team', alice.locator('.leaderboard .team-red .member'));
        expect(errors).toEqual([]);
      } finally {
        await backend.stop();
        timings[`browser:${compiler}`] = Math.round(performance.now() - started);
      }
    },
    600_000,
  );
}
