/**
 * The package as a browser app's bundler sees it: esbuild with `platform: 'browser'` (which fails on any Node
 * built-in), and tree-shaking that leaves out what an app does not import.
 */
import { fileURLToPath } from 'node:url';
import { RUNTIME_API_PREFIX } from '@openrun/core';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

async function bundle(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: packageDir, loader: 'ts' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['openrun-source'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

describe('browser bundle', () => {
  it('bundles connect and the testing entry for the browser without any Node built-in', async () => {
    const code = await bundle(
      "import { connect } from '@openrun/client'; import { installGlobals } from '@openrun/client/testing'; console.log(connect, installGlobals);",
    );
    expect(code).toContain(RUNTIME_API_PREFIX);
  });

  it('leaves the runtime client and CloudID out of an app that imports only platformOfAppid', async () => {
    const code = await bundle("import { platformOfAppid } from '@openrun/client'; console.log(platformOfAppid('x'));");
    expect(code).not.toContain(RUNTIME_API_PREFIX);
    expect(code).not.toContain('prototype');
  });
});
