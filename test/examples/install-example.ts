/**
 * Installs the example for the end-to-end test the way a user would (`npm ci --ignore-scripts` in the example), and
 * only when needed: a stamp in node_modules records the lockfile and the manifests of the `file:` dependencies it
 * was installed from. The copies of the workspace packages (`@openrun/*`, installed as copies by `install-links`)
 * are then refreshed from `packages/*` so they always hold the current build.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  files?: string[];
}

const readJson = (path: string): Manifest => JSON.parse(readFileSync(path, 'utf8')) as Manifest;

/** The `file:` dependencies of the example: package name → folder. */
function fileDependencies(exampleDir: string): Map<string, string> {
  const manifest = readJson(join(exampleDir, 'package.json'));
  const all = { ...manifest.dependencies, ...manifest.devDependencies };
  return new Map(
    Object.entries(all)
      .filter(([, spec]) => spec.startsWith('file:'))
      .map(([name, spec]) => [name, resolve(exampleDir, spec.slice('file:'.length))]),
  );
}

/** Copies what `npm pack` would ship of `from` (its `files`, minus test files) over the installed copy `to`. */
function refreshCopy(from: string, to: string): void {
  const files = readJson(join(from, 'package.json')).files ?? ['dist'];
  for (const entry of ['package.json', 'README.md', ...files.filter((f) => !f.startsWith('!'))]) {
    const source = join(from, entry);
    rmSync(join(to, entry), { recursive: true, force: true });
    if (existsSync(source)) cpSync(source, join(to, entry), { recursive: true, filter: (path) => !path.endsWith('.test.ts') });
  }
}

/** What the example was installed from; a different value means `npm ci` again. */
function installStamp(exampleDir: string, deps: Map<string, string>): string {
  const hash = createHash('sha256').update(readFileSync(join(exampleDir, 'package-lock.json')));
  for (const [name, dir] of [...deps].sort()) hash.update(name).update(readFileSync(join(dir, 'package.json')));
  return hash.digest('hex');
}

/** Installs the example unless node_modules already matches; returns whether `npm ci` ran. */
export function installExample(exampleDir: string): boolean {
  const deps = fileDependencies(exampleDir);
  const stampFile = join(exampleDir, 'node_modules/.openrun-install-stamp');
  const stamp = installStamp(exampleDir, deps);
  const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : '';
  let installed = false;
  if (current !== stamp) {
    execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: exampleDir, stdio: 'inherit' });
    writeFileSync(stampFile, stamp);
    installed = true;
  }
  for (const [name, dir] of deps) refreshCopy(dir, join(exampleDir, 'node_modules', name));
  return installed;
}
