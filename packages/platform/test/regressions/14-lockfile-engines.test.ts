/**
 * `npm ci` on the oldest Node the project supports (engines: >=20.19) must not warn EBADENGINE: every package in the
 * lockfile has to accept Node 20.19 (cookie 2.x, pulled by light-my-request, wants Node 22 and is overridden to 1.1.x,
 * which has the same API).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import semver from 'semver';
import { expect, it } from 'vitest';

const root = resolve(__dirname, '../../../..');

it('every package in the lockfile accepts the Node version the project promises', () => {
  const promised = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
  const oldest = semver.minVersion(promised)!.version;
  const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
  };
  const refusing = Object.entries(lock.packages)
    .filter(([path, p]) => path !== '' && !p.optional && p.engines && !Array.isArray(p.engines) && p.engines.node)
    .filter(([, p]) => !semver.satisfies(oldest, (p.engines as { node: string }).node, { includePrerelease: true }))
    .map(([path, p]) => `${path}@${p.version}: node ${(p.engines as { node: string }).node}`);
  expect(refusing).toEqual([]);
});
