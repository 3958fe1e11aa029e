/**
 * The packages as a user outside this checkout gets them: `npm run pack` writes the tarballs, a fresh project in the
 * OS temp folder installs them (`npm install <tarballs>`, the npm registry for everything else), and every guide in
 * docs/guides/ is then followed there as written: its `// file: NAME` code blocks are saved into the project, its bash
 * lines are run in order, and each "prints `…`" it promises is checked. `npx @openrun/cli start` lines get `--port 0`
 * (tests never listen on a fixed port) and later lines get the port it printed in place of 9527. The project
 * cannot reach this workspace: it lives outside it, and its processes run without this workspace on PATH and without
 * npm's run-script variables. The flows cover ESM (`import`) and CommonJS (`require`, through require(esm)) callers
 * of `@openrun/client` and `@openrun/server-sdk`, and the installed platform serving the dashboard at /ui/.
 *
 * Time: npm installs from its cache (`--prefer-offline`, the registry only for what is missing) with `--ignore-scripts`;
 * the one native addon, better-sqlite3, is the binary `npm ci` compiled in this checkout when the installed version is
 * the same (else `npm rebuild better-sqlite3` compiles it in the project), so the test does not spend two minutes
 * compiling SQLite again.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const GUIDES_DIR = join(ROOT, 'docs', 'guides');
const GUIDES = ['native-mini-program', 'taro', 'backend', 'cloud-functions'];
const STARTED = /OpenRun listening on (http:\/\/127\.0\.0\.1:(\d+))/;

/** What a guide asks the reader to do. */
interface Guide {
  name: string;
  /** Shell lines of its ```bash blocks, in order, each with the output it promises ("prints `…`"), if any. */
  steps: Array<{ line: string; prints: string | undefined }>;
  /** Code blocks that start with `// file: NAME`. */
  files: Array<{ path: string; text: string }>;
}

/** Reads the bash steps and the `// file:` blocks of a guide. */
function readGuide(name: string): Guide {
  const text = readFileSync(join(GUIDES_DIR, `${name}.md`), 'utf8');
  const guide: Guide = { name, steps: [], files: [] };
  const fence = /^```(\w*)\n([\s\S]*?)^```[ \t]*$(?=\n*(.*))/gm;
  for (const match of text.matchAll(fence)) {
    const [, lang, body = '', after = ''] = match;
    if (lang === 'bash') {
      const lines = body.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
      const prints = /^prints `([^`]+)`/.exec(after.trim())?.[1];
      lines.forEach((line, i) => guide.steps.push({ line, prints: i === lines.length - 1 ? prints : undefined }));
    }
    const file = /^\/\/ file: (\S+)\n/.exec(body);
    if (file) guide.files.push({ path: file[1]!, text: body.slice(file[0].length) });
  }
  return guide;
}

/** The environment of the project's processes: no route back into this workspace. */
function projectEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|NODE_PATH$|NODE_OPTIONS$|INIT_CWD$|VITEST)/i.test(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '').split(':').filter((p) => p !== '' && !p.startsWith(ROOT)).join(':');
  env.npm_config_update_notifier = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_audit = 'false';
  return env;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, cwd: string, env: NodeJS.ProcessEnv, timeout = 120_000): Promise<Ran> {
  return new Promise((resolvePromise) => {
    execFile('bash', ['-c', command], { cwd, env, timeout, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolvePromise({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Starts a long-running guide command and resolves with its base URL once it prints the banner. */
function startPlatform(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; port: string; output: () => string }> {
  return new Promise((resolvePromise, reject) => {
    // Its own process group, so that stopping it reaches the platform process npx starts, not only npx.
    const child = spawn('bash', ['-c', `exec ${command}`], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${command} printed no banner in 60 s:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = STARTED.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ child, url: m[1]!, port: m[2]!, output: () => out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before listening:\n${out}`));
    });
  });
}

/** Stops a started platform: SIGTERM to its whole process group, then waits until no process of the group is left. */
async function stop(child: ChildProcess): Promise<void> {
  const group = -child.pid!;
  const alive = () => {
    try {
      process.kill(group, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(group, 'SIGTERM');
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive()) process.kill(group, 'SIGKILL');
}

let sandbox: string;
let project: string;
let env: NodeJS.ProcessEnv;
const guides = GUIDES.map(readGuide);
const installLine = guides[0]!.steps.find((s) => s.line.startsWith('npm install'))?.line;

beforeAll(async () => {
  for (const dist of ['core', 'platform', 'cli', 'client', 'server-sdk', 'dashboard']) {
    if (!existsSync(join(ROOT, 'packages', dist, 'dist'))) throw new Error(`[openrun] packages/${dist} is not built: run \`npm run build\` (npm test does it first)`);
  }
  const packed = await run('node scripts/pack-packages.mjs', ROOT, { ...process.env });
  if (packed.code !== 0) throw new Error(`npm run pack failed:\n${packed.stdout}${packed.stderr}`);

  sandbox = mkdtempSync(join(tmpdir(), 'openrun-packed-'));
  // Node looks for packages in every ancestor's node_modules: none may exist, or the project is not on its own.
  for (let dir = dirname(sandbox); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) throw new Error(`[openrun] ${join(dir, 'node_modules')} exists, so a project in ${tmpdir()} is not isolated; set TMPDIR elsewhere`);
    if (dirname(dir) === dir) break;
  }
  if (sandbox.startsWith(ROOT + sep)) throw new Error(`[openrun] the temp folder ${sandbox} is inside the workspace; set TMPDIR elsewhere`);
  const tarballs = join(sandbox, 'openrun', 'dist', 'packages');
  mkdirSync(tarballs, { recursive: true });
  for (const file of readdirSync(join(ROOT, 'dist', 'packages')).filter((f) => f.endsWith('.tgz'))) {
    copyFileSync(join(ROOT, 'dist', 'packages', file), join(tarballs, file));
  }
  project = join(sandbox, 'my-app');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'my-app', version: '1.0.0', private: true }, null, 2)}\n`);
  env = projectEnv();

  if (!installLine) throw new Error('the native guide has no npm install line');
  const installed = await run(`${installLine} --ignore-scripts --prefer-offline`, project, env, 540_000);
  if (installed.code !== 0) throw new Error(`${installLine} failed:\n${installed.stdout}${installed.stderr}`);

  const addon = 'build/Release/better_sqlite3.node';
  const theirs = join(project, 'node_modules', 'better-sqlite3');
  const ours = join(ROOT, 'node_modules', 'better-sqlite3');
  const version = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  if (existsSync(join(ours, addon)) && version(ours) === version(theirs)) {
    mkdirSync(join(theirs, 'build', 'Release'), { recursive: true });
    copyFileSync(join(ours, addon), join(theirs, addon));
  } else {
    const rebuilt = await run('npm rebuild better-sqlite3', project, env, 540_000);
    if (rebuilt.code !== 0) throw new Error(`npm rebuild better-sqlite3 failed:\n${rebuilt.stdout}${rebuilt.stderr}`);
  }
}, 600_000);

afterAll(() => {
  if (sandbox) rmSync(sandbox, { recursive: true, force: true });
});

describe('the packed packages in a fresh project', () => {
  it('every guide installs with the same line, so one installed project serves them all', () => {
    for (const guide of guides) {
      const lines = guide.steps.filter((s) => s.line.startsWith('npm install')).map((s) => s.line);
      expect(lines, guide.name).toEqual([installLine]);
    }
    // The outputs the guides promise, each checked below.
    expect(guides.flatMap((g) => g.steps.flatMap((s) => (s.prints ? [s.prints] : [])))).toEqual([
      'today: 12345 steps (31 days)',
      'openid ok, 31 days, access token ok',
      'the function saw 31 days for o…',
    ]);
  });

  it('installs real copies inside the project, each subpath resolving there for import and require', async () => {
    for (const name of ['core', 'platform', 'cli', 'client', 'server-sdk']) {
      const dir = join(project, 'node_modules', '@openrun', name);
      expect(lstatSync(dir).isSymbolicLink(), name).toBe(false);
      expect(existsSync(join(dir, 'README.md')) && existsSync(join(dir, 'LICENSE')), name).toBe(true);
    }
    const specifiers = ['@openrun/core', '@openrun/core/cipher', '@openrun/platform', '@openrun/cli', '@openrun/client', '@openrun/client/testing', '@openrun/server-sdk'];
    writeFileSync(
      join(project, 'where.mjs'),
      `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n` +
        `console.log(JSON.stringify(${JSON.stringify(specifiers)}.map((s) => [import.meta.resolve(s), require.resolve(s)])));\n`,
    );
    const where = await run('node where.mjs', project, env);
    expect(where.code, where.stderr).toBe(0);
    for (const [esm, cjs] of JSON.parse(where.stdout) as Array<[string, string]>) {
      expect(fileURLToPath(esm).startsWith(join(project, 'node_modules') + sep)).toBe(true);
      expect(cjs.startsWith(join(project, 'node_modules') + sep)).toBe(true);
    }
    const loaded = await run(
      `node -e "const c = require('@openrun/client'); const s = require('@openrun/server-sdk'); const t = require('@openrun/client/testing'); console.log(typeof c.connect, typeof s.WeChatMiniProgram, typeof t.installGlobals)"`,
      project,
      env,
    );
    expect(loaded.stdout.trim(), loaded.stderr).toBe('function function function');
  }, 120_000);

  it('npx openrun start --memory --port 0 runs the installed bin, which serves the built dashboard at /ui/', async () => {
    const started = await startPlatform('npx openrun start --memory --port 0', project, { ...env, npm_config_offline: 'true' });
    try {
      const index = await fetch(`${started.url}/ui/`);
      expect(index.status).toBe(200);
      const html = await index.text();
      expect(html).toBe(readFileSync(join(project, 'node_modules', '@openrun', 'platform', 'ui', 'index.html'), 'utf8'));
      const asset = /(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(asset).toBeDefined();
      const script = await fetch(`${started.url}/ui/${asset}`);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toMatch(/javascript/);
    } finally {
      await stop(started.child);
    }
  }, 120_000);

  it.each(GUIDES)('the %s guide, followed as written, does what it says', async (name) => {
    const guide = guides.find((g) => g.name === name)!;
    for (const file of guide.files) {
      mkdirSync(dirname(join(project, file.path)), { recursive: true });
      writeFileSync(join(project, file.path), file.text);
    }
    const running: ChildProcess[] = [];
    let port: string | undefined;
    try {
      for (const step of guide.steps) {
        if (step.line.startsWith('npm install')) continue;
        if (/^npx @openrun\/cli start\b/.test(step.line)) {
          const started = await startPlatform(`${step.line} --port 0`, project, { ...env, npm_config_offline: 'true' });
          running.push(started.child);
          port = started.port;
          continue;
        }
        const line = port ? step.line.replaceAll('9527', port) : step.line;
        const ran = await run(line, project, { ...env, npm_config_offline: 'true' });
        expect(ran.code, `${line}\n${ran.stdout}${ran.stderr}`).toBe(0);
        if (step.prints !== undefined) expect(ran.stdout.trim(), line).toBe(step.prints);
      }
    } finally {
      await Promise.all(running.map(stop));
    }
    expect(guide.steps.length).toBeGreaterThan(1);
  }, 180_000);
});
