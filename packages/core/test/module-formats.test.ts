import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const built = ['core', 'platform', 'server-sdk', 'client'].every((p) => existsSync(resolve(ROOT, `packages/${p}/dist/index.js`)));

function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
}

describe.skipIf(!built)('the built packages', () => {
  it('load with require() from CommonJS', () => {
    const out = run([
      '-e',
      `const c = require('@openrun/core'); const k = require('@openrun/core/cipher');
       const p = require('@openrun/platform'); const s = require('@openrun/server-sdk'); const w = require('@openrun/client');
       console.log([typeof c.buildStepInfoList, typeof k.decryptOpenData, typeof p.buildPlatform, Object.keys(s).length > 0, typeof w.connect].join(','));`,
    ]);
    expect(out.trim()).toBe('function,function,function,true,function');
  });

  it('load with import from ESM, and deep imports are refused', () => {
    const out = run([
      '--input-type=module',
      '-e',
      `import { chinaDateOf } from '@openrun/core'; import { encryptOpenData } from '@openrun/core/cipher';
       let deep = 'refused'; try { await import('@openrun/core/dist/step-calendar.js'); deep = 'allowed'; } catch {}
       console.log(chinaDateOf(1505985046), typeof encryptOpenData, deep);`,
    ]);
    expect(out.trim()).toBe('2017-09-21 function refused');
  });
});

if (!built) console.warn('[openrun] module-format tests SKIPPED: run `npm run build` first (npm test does)');
