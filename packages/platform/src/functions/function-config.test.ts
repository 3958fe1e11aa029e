import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readFunctionConfig } from './function-config.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function configFile(text: string): string {
  dir = mkdtempSync(join(tmpdir(), 'openrun-config-'));
  const path = join(dir, 'config.json');
  writeFileSync(path, text);
  return path;
}

describe('config.json of a cloud function', () => {
  it('defaults a function without config.json to a 3 s timeout and no open API permissions', () => {
    expect(readFunctionConfig('/nonexistent/config.json')).toEqual({ timeoutMs: 3000, openapi: [] });
  });

  it('reads timeout and permissions.openapi from config.json, capping the timeout at 60 s', () => {
    expect(readFunctionConfig(configFile('{"timeout": 20, "permissions": {"openapi": ["cloudbase.getOpenData"]}}'))).toEqual({
      timeoutMs: 20_000,
      openapi: ['cloudbase.getOpenData'],
    });
    expect(readFunctionConfig(configFile('{"timeout": 600}')).timeoutMs).toBe(60_000);
  });

  it('explains a malformed config.json instead of ignoring it', () => {
    expect(() => readFunctionConfig(configFile('{timeout: 3'))).toThrow(/config\.json is not valid JSON/);
  });
});
