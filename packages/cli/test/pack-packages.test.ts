/**
 * `npm run pack` (scripts/pack-packages.mjs) on a small monorepo made for the test: every non-private workspace found
 * through the root `workspaces` globs is packed, and a package whose tarball would be broken is refused (its tarball
 * deleted, exit code 1, every problem named) while the good ones are still written.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

const SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../scripts/pack-packages.mjs');

let root: string;
let result: { code: number; stdout: string; stderr: string };

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** A package.json that passes every check unless `overrides` breaks it. */
function manifest(name: string, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name,
    version: '1.0.0',
    license: 'MIT',
    type: 'module',
    types: './dist/index.d.ts',
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
    files: ['dist'],
    engines: { node: '>=20.19' },
    ...overrides,
  });
}

function goodPackage(dir: string, name: string, overrides: Record<string, unknown> = {}, index = 'export const x = 1;\n'): void {
  write(`${dir}/package.json`, manifest(name, overrides));
  write(`${dir}/README.md`, `# ${name}\n`);
  write(`${dir}/dist/index.js`, index);
  write(`${dir}/dist/index.d.ts`, 'export declare const x: number;\n');
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'openrun-pack-test-'));
  write('package.json', JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*', 'tools/extra'] }));
  write('LICENSE', 'MIT License\n');
  goodPackage('packages/good', '@demo/good');
  goodPackage('tools/extra', '@demo/extra');
  // exports points at a file that is not in the tarball (dist/missing.js), and a subpath outside `files`.
  goodPackage('packages/broken-exports', '@demo/broken-exports', {
    exports: { '.': { types: './dist/index.d.ts', default: './dist/missing.js' }, './src': './src/index.js' },
  });
  write('packages/broken-exports/src/index.js', 'export {};\n');
  // imports a package it does not declare, ships a test file, has no README and no engines.
  goodPackage('packages/sloppy', '@demo/sloppy', { files: ['dist'], engines: undefined }, "import 'left-pad';\nexport const x = 1;\n");
  write('packages/sloppy/dist/index.test.js', 'export {};\n');
  rmSync(join(root, 'packages/sloppy/README.md'));
  goodPackage('packages/private', '@demo/private', { private: true });

  result = await new Promise((resolvePromise) => {
    execFile('node', [SCRIPT, '--root', root], { timeout: 120_000 }, (error, stdout, stderr) =>
      resolvePromise({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}, 150_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

it('packs every non-private workspace the globs find, with the root LICENSE, and nothing private', () => {
  const tarballs = readdirSync(join(root, 'dist', 'packages')).sort();
  expect(tarballs).toEqual(['demo-extra-1.0.0.tgz', 'demo-good-1.0.0.tgz']);
  expect(result.stdout).toContain('packed @demo/good@1.0.0');
  expect(result.stdout).toContain('packed @demo/extra@1.0.0');
  expect(result.stdout + result.stderr).not.toContain('@demo/private');
});

it('refuses a tarball whose exports point at files that are not in it, and deletes it', () => {
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('npm run pack refused 2 package(s)');
  expect(result.stderr).toContain('exports["."] points at ./dist/missing.js, which is not in the tarball');
  expect(result.stderr).toContain('exports["./src"] points at ./src/index.js, which is not in the tarball');
  expect(result.stderr).toMatch(/import '@demo\/broken-exports' does not resolve|resolves to .*missing\.js, which does not exist/);
  expect(existsSync(join(root, 'dist', 'packages', 'demo-broken-exports-1.0.0.tgz'))).toBe(false);
});

it('refuses undeclared imports, test files, a missing README and missing engines, naming each', () => {
  expect(result.stderr).toContain("dist/index.js imports 'left-pad', but 'left-pad' is not in \"dependencies\"");
  expect(result.stderr).toContain('test file dist/index.test.js is in the tarball');
  expect(result.stderr).toContain('no README.md');
  expect(result.stderr).toContain('no "engines.node" field');
  expect(existsSync(join(root, 'dist', 'packages', 'demo-sloppy-1.0.0.tgz'))).toBe(false);
});
