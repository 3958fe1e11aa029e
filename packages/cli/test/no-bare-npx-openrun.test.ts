/**
 * The npm name `openrun` belongs to an unrelated package: a README or doc telling a user to run a bare `npx openrun`
 * (or `npm exec`/`pnpm dlx`/`yarn dlx`/`bunx openrun`) in their own project would have them download and run a
 * stranger's code. Such a command may appear only where the text right there says it is for this checkout (the same
 * paragraph or code block, or the one next to it, mentions "this checkout"); everywhere else the docs say
 * `npx @openrun/cli`. A warning that names the hazard ("never a bare `npx openrun`") is not an instruction.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SKIP = new Set(['node_modules', 'dist', '.git', '.openrun', 'test-results', 'coverage']);
const BARE = /\b(?:npx|npm\s+exec|pnpm\s+(?:dlx|exec)|yarn\s+dlx|bunx)\s+(?:-{1,2}[\w-]+(?:=\S+)?\s+)*openrun(?:@[\w.^~-]+)?(?![\w@/.-])/;
/** A warning that names the hazard ("never a bare `npx openrun`") is not an instruction. */
const WARNING = /\bbare\s+`[^`]*`/gi;

/** A paragraph or fenced code block and the line it starts on. */
interface Block {
  line: number;
  text: string;
}

function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  let current: string[] = [];
  let start = 0;
  let fenced = false;
  const flush = () => {
    if (current.length > 0) out.push({ line: start + 1, text: current.join('\n') });
    current = [];
  };
  markdown.split('\n').forEach((line, i) => {
    const fence = line.trimStart().startsWith('```');
    if (!fenced && fence) {
      flush();
      start = i;
      current.push(line);
      fenced = true;
    } else if (fenced) {
      current.push(line);
      if (fence) {
        fenced = false;
        flush();
      }
    } else if (line.trim() === '') flush();
    else {
      if (current.length === 0) start = i;
      current.push(line);
    }
  });
  flush();
  return out;
}

/** Lines of `markdown` that tell the reader to run a bare `npx openrun` outside this checkout. */
function bareNpxOpenrun(markdown: string): Array<{ line: number; text: string }> {
  const found: Array<{ line: number; text: string }> = [];
  const all = blocks(markdown);
  all.forEach((block, i) => {
    const nearby = [all[i - 1], block, all[i + 1]].some((b) => b !== undefined && /this checkout/i.test(b.text));
    block.text.split('\n').forEach((text, offset) => {
      if (BARE.test(text.replace(WARNING, '')) && !nearby) found.push({ line: block.line + offset, text: text.trim() });
    });
  });
  return found;
}

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...markdownFiles(path));
    else if (entry.name.endsWith('.md')) out.push(path);
  }
  return out;
}

describe('bare npx openrun in the docs', () => {
  it('flags a bare npx openrun, with or without flags, and the other package runners', () => {
    expect(bareNpxOpenrun('Start it:\n\n```sh\nnpx openrun start\n```\n')).toEqual([{ line: 4, text: 'npx openrun start' }]);
    expect(bareNpxOpenrun('Run `npx -y openrun start --memory` in your project.')).toHaveLength(1);
    expect(bareNpxOpenrun('Run `npx --yes openrun@latest start`.')).toHaveLength(1);
    for (const runner of ['npm exec openrun', 'pnpm dlx openrun', 'yarn dlx openrun', 'bunx openrun']) {
      expect(bareNpxOpenrun(`\`${runner} start\``), runner).toHaveLength(1);
    }
  });

  it('allows npx @openrun/cli, other packages and a command said to be for this checkout', () => {
    expect(bareNpxOpenrun('```bash\nnpx @openrun/cli start --memory\n```')).toEqual([]);
    expect(bareNpxOpenrun('`npx openrun-helper`, `npx tsc`, `openrun start`')).toEqual([]);
    expect(bareNpxOpenrun('Use `npx @openrun/cli`, never a bare `npx openrun`: that name is taken.')).toEqual([]);
    expect(bareNpxOpenrun('Never a bare `npx openrun`; run `npx openrun start` instead.')).toHaveLength(1);
    expect(bareNpxOpenrun('```sh\nnpm ci\nnpx openrun start\n```\n\nIn this checkout `npx openrun` runs the workspace bin.')).toEqual([]);
    expect(bareNpxOpenrun('```sh\nnpx openrun start\n```\n\nSomething else.\n\nIn this checkout it is fine.')).toHaveLength(1);
  });

  it('in this checkout, npx openrun runs the workspace’s own bin (offline, so it can never fetch the other package)', async () => {
    const run = (args: string[]) =>
      new Promise<string>((resolvePromise, reject) =>
        execFile('npx', args, { cwd: ROOT, env: { ...process.env, npm_config_offline: 'true' }, timeout: 60_000 }, (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolvePromise(stdout),
        ),
      );
    expect(await run(['openrun', '--help'])).toMatch(/^Usage: openrun /);
    expect(realpathSync(join(ROOT, 'node_modules', '.bin', 'openrun'))).toBe(join(ROOT, 'packages', 'cli', 'bin', 'openrun.js'));
    expect(JSON.parse(readFileSync(join(ROOT, 'packages', 'cli', 'package.json'), 'utf8'))).toMatchObject({ name: '@openrun/cli', bin: { openrun: './bin/openrun.js' } });
  });

  it('no README or doc in the repository tells a user to run a bare npx openrun outside the checkout', () => {
    const files = markdownFiles(ROOT);
    expect(files.map((f) => relative(ROOT, f))).toContain('README.md');
    const offending = files.flatMap((file) => bareNpxOpenrun(readFileSync(file, 'utf8')).map((hit) => `${relative(ROOT, file)}:${hit.line}: ${hit.text}`));
    expect(offending).toEqual([]);
  });
});
