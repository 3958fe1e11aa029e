/**
 * A page bundle served on its own loopback origin, opened in Debian's Chromium (playwright-core, never a downloaded
 * browser). `hasChromium` is false on a machine without /usr/bin/chromium; callers skip with a warning.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium, or OPENRUN_TEST_CHROMIUM. */
export const CHROMIUM = process.env.OPENRUN_TEST_CHROMIUM?.trim() || '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** A served page and a browser to open it in. */
export interface BrowserPage {
  origin: string;
  context: BrowserContext;
  close(): Promise<void>;
}

/** Bundles `entry` for the browser (sources of the workspace packages), serves it at `/` and starts Chromium. */
export async function serveBrowserPage(entry: string, define: Record<string, string> = {}): Promise<BrowserPage> {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['openrun-source'],
    define,
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0]?.text ?? '';
  const html = '<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>page</title><script type="module" src="/page.js"></script>';
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/page.js')) res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const profile = mkdtempSync(join(tmpdir(), 'openrun-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    context,
    async close() {
      await context.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
