#!/usr/bin/env node
// `npm run pack`: one installable tarball per non-private workspace package in dist/packages/*.tgz, so a project
// outside this checkout can `npm install <tarballs>` before the packages are on the registry.
//
// Every workspace listed in the root package.json that is not `private` is packed (a new package is picked up
// without touching this file). Each package is staged in a temporary folder (its npm `files`, the root LICENSE, a
// package.json without devDependencies/scripts; the platform also gets the built dashboard in `ui/`), packed with
// `npm pack`, then extracted the way npm installs it and checked: every `exports` target (every condition), `types`,
// `main` and `bin` exists inside it, every subpath resolves, every bare import in its JavaScript is a declared
// dependency, and it has a README, a LICENSE, `license`, `engines` and no test files. A tarball that fails a check is
// deleted and the command exits 1 naming what is wrong. Run `npm run build` first (npm ci does it through prepare).
import { execFileSync } from 'node:child_process';
import { builtinModules, createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TEST_FILE = /(^|\/)(test|tests|__tests__)\/|\.test\.[cm]?[jt]sx?$|\.test-d\.[cm]?ts$|\.spec\.[cm]?[jt]sx?$/;

/** The non-private workspace packages, in the root package.json's order. */
export function publishableWorkspaces(root) {
  const rootPkg = readJson(join(root, 'package.json'));
  const dirs = [];
  for (const pattern of rootPkg.workspaces ?? []) {
    if (pattern.endsWith('/*')) {
      const parent = join(root, pattern.slice(0, -2));
      for (const name of existsSync(parent) ? readdirSync(parent).sort() : []) dirs.push(join(parent, name));
    } else dirs.push(join(root, pattern));
  }
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: readJson(join(dir, 'package.json')) }))
    .filter(({ pkg }) => pkg.private !== true);
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Every file path an `exports` map points at (all conditions), with the subpath it belongs to. */
export function exportTargets(exportsField) {
  const targets = [];
  const walk = (value, subpath) => {
    if (typeof value === 'string') targets.push({ subpath, target: value });
    else if (Array.isArray(value)) value.forEach((v) => walk(v, subpath));
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) walk(v, key.startsWith('.') ? key : subpath);
    }
  };
  if (typeof exportsField === 'string') targets.push({ subpath: '.', target: exportsField });
  else walk(exportsField, '.');
  return targets;
}

/** Checks an extracted package folder; returns the problems found (empty when it is fine). */
export function checkExtracted(pkgDir, name) {
  const problems = [];
  const pkg = readJson(join(pkgDir, 'package.json'));
  const files = listFiles(pkgDir);
  const has = (path) => existsSync(join(pkgDir, path));
  for (const { subpath, target } of exportTargets(pkg.exports ?? {})) {
    if (target.includes('*')) continue;
    if (!has(target)) problems.push(`exports["${subpath}"] points at ${target}, which is not in the tarball`);
  }
  if (!pkg.exports) problems.push('no "exports" field');
  for (const field of ['types', 'main']) {
    if (pkg[field] !== undefined && !has(pkg[field])) problems.push(`"${field}": ${pkg[field]} is not in the tarball`);
  }
  if (!pkg.types) problems.push('no "types" field');
  const bins = typeof pkg.bin === 'string' ? { [name]: pkg.bin } : (pkg.bin ?? {});
  for (const [bin, target] of Object.entries(bins)) if (!has(target)) problems.push(`bin "${bin}": ${target} is not in the tarball`);
  if (!pkg.license) problems.push('no "license" field');
  if (!pkg.engines?.node) problems.push('no "engines.node" field');
  if (!files.some((f) => /^readme(\.md)?$/i.test(f))) problems.push('no README.md');
  if (!files.some((f) => /^licen[sc]e(\.md|\.txt)?$/i.test(f))) problems.push('no LICENSE');
  for (const f of files.filter((file) => TEST_FILE.test(file))) problems.push(`test file ${f} is in the tarball`);
  problems.push(...undeclaredImports(pkgDir, pkg, files));
  return problems;
}

/** Resolves every non-pattern subpath with Node's own resolver (ESM and CommonJS) from the project it is installed in. */
export async function checkResolution(projectDir, name, pkg) {
  const problems = [];
  const require = createRequire(join(projectDir, 'index.cjs'));
  // import.meta.resolve answers relative to the module that calls it, so ask a module inside the project.
  const probe = join(projectDir, 'resolve-probe.mjs');
  writeFileSync(probe, 'export const resolveFrom = (specifier) => import.meta.resolve(specifier);\n');
  const { resolveFrom } = await import(pathToFileURL(probe).href);
  const subpaths = [...new Set(exportTargets(pkg.exports ?? {}).map((t) => t.subpath))].filter((s) => !s.includes('*'));
  for (const subpath of subpaths) {
    const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
    for (const [how, resolveIt] of [
      ['import', () => fileURLToPath(resolveFrom(specifier))],
      ['require', () => require.resolve(specifier)],
    ]) {
      try {
        const file = resolveIt();
        if (!existsSync(file)) problems.push(`${how} '${specifier}' resolves to ${file}, which does not exist`);
        else if (!file.startsWith(projectDir + sep)) problems.push(`${how} '${specifier}' resolves outside the installed package: ${file}`);
      } catch (error) {
        problems.push(`${how} '${specifier}' does not resolve: ${error.message.split('\n')[0]}`);
      }
    }
  }
  return problems;
}

function listFiles(dir, base = dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...listFiles(path, base));
    else out.push(relative(base, path).split(sep).join('/'));
  }
  return out;
}

/** Bare imports in the package's JavaScript that are neither built-ins, the package itself, nor declared dependencies. */
function undeclaredImports(pkgDir, pkg, files) {
  const declared = new Set([pkg.name, ...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const problems = new Set();
  const pattern = /(?:^|[^.\w$])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[^.\w$])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[^.\w$])import\s+['"]([^'"]+)['"]|(?:^|[^.\w$])require\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const file of files.filter((f) => /\.(m|c)?js$/.test(f) && !f.startsWith('ui/'))) {
    const text = readFileSync(join(pkgDir, file), 'utf8');
    for (const match of text.matchAll(pattern)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? match[4];
      if (!specifier || specifier.startsWith('.') || specifier.startsWith('/') || builtins.has(specifier) || specifier.startsWith('node:')) continue;
      const bare = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
      if (!declared.has(bare)) problems.add(`${file} imports '${specifier}', but '${bare}' is not in "dependencies"`);
    }
  }
  return [...problems];
}

/** Copies what npm would pack of `dir` into `stage`, adds LICENSE (and the platform's ui/), trims package.json. */
function stagePackage(root, dir, pkg, stage) {
  const dashboardBuild = join(root, 'packages', 'dashboard', 'dist');
  cpSync(dir, stage, {
    recursive: true,
    filter: (src) => {
      const rel = relative(dir, src).split(sep).join('/');
      return rel === '' || !(rel === 'node_modules' || rel.startsWith('node_modules/') || rel === 'ui' || rel.startsWith('ui/'));
    },
  });
  const staged = { ...pkg };
  delete staged.devDependencies;
  delete staged.scripts;
  if (!existsSync(join(stage, 'LICENSE')) && existsSync(join(root, 'LICENSE'))) cpSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));
  if (pkg.name === '@openrun/platform') {
    if (!existsSync(join(dashboardBuild, 'index.html'))) {
      throw new Error(`the dashboard is not built (${relative(root, dashboardBuild)}/index.html is missing): run \`npm run build\` first`);
    }
    cpSync(dashboardBuild, join(stage, 'ui'), { recursive: true });
    staged.files = [...(pkg.files ?? []), 'ui'];
  }
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
}

/** Packs every publishable workspace of `root` into `out`; returns the tarball paths, or throws naming every problem. */
export async function packAll({ root = ROOT, out = join(root, 'dist', 'packages'), log = (line) => console.log(line) } = {}) {
  mkdirSync(out, { recursive: true });
  for (const old of readdirSync(out).filter((f) => f.endsWith('.tgz'))) rmSync(join(out, old));
  const work = mkdtempSync(join(tmpdir(), 'openrun-pack-'));
  const failures = [];
  const tarballs = [];
  try {
    for (const { dir, pkg } of publishableWorkspaces(root)) {
      const stage = join(work, 'stage', pkg.name.replace('/', '+'));
      let tarball;
      try {
        stagePackage(root, dir, pkg, stage);
        const [result] = JSON.parse(execFileSync('npm', ['pack', stage, '--pack-destination', out, '--json', '--ignore-scripts'], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
        tarball = join(out, result.filename);
        // Install it the way npm does (extract into node_modules/<name>) in a project of its own, then check it.
        const project = join(work, 'check', pkg.name.replace('/', '+'));
        const installed = join(project, 'node_modules', ...pkg.name.split('/'));
        mkdirSync(installed, { recursive: true });
        execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
        writeFileSync(join(project, 'package.json'), '{ "private": true }\n');
        const problems = [...checkExtracted(installed, pkg.name), ...(await checkResolution(project, pkg.name, pkg))];
        if (problems.length > 0) throw new Error(problems.join('\n    '));
        tarballs.push(tarball);
        log(`packed ${pkg.name}@${pkg.version} → ${relative(root, tarball)} (${result.entryCount} files, ${(result.size / 1024).toFixed(0)} kB)`);
      } catch (error) {
        if (tarball && existsSync(tarball)) rmSync(tarball);
        failures.push(`${pkg.name}:\n    ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (failures.length > 0) throw new Error(`[openrun] npm run pack refused ${failures.length} package(s):\n  ${failures.join('\n  ')}`);
  return tarballs;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // `--root DIR` packs another monorepo laid out like this one (the script's own test uses it).
  const at = process.argv.indexOf('--root');
  const root = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]) : ROOT;
  packAll({ root }).catch((error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
