import { afterEach, describe, expect, it, vi } from 'vitest';
import { connect } from '../connect.js';
import { installGlobals, uninstallGlobals } from './install-globals.js';

const options = { baseUrl: 'http://127.0.0.1:9', appid: 'wx0123456789abcdef', deviceToken: 'dev' };
const scope = globalThis as Record<string, unknown>;

afterEach(() => {
  uninstallGlobals();
  delete scope.wx;
  delete scope.qq;
});

describe('installGlobals', () => {
  it('puts the given wx object on globalThis and removes it on uninstall', () => {
    const wx = connect({ ...options, platform: 'weapp' });
    const installed = installGlobals({ wx });
    expect(scope.wx).toBe(wx);
    installed.uninstall();
    expect('wx' in scope).toBe(false);
  });

  it('connects from options, forcing the platform of each global', () => {
    const { wx, qq } = installGlobals({ wx: options, qq: { ...options, appid: '1112345678' } });
    expect(scope.wx).toBe(wx);
    expect(scope.qq).toBe(qq);
    expect(typeof (scope.qq as Record<string, unknown>).getQQRunData).toBe('function');
  });

  it('restores a wx the suite had before', () => {
    const mine = { mine: true };
    scope.wx = mine;
    installGlobals({ wx: options });
    expect(scope.wx).not.toBe(mine);
    uninstallGlobals();
    expect(scope.wx).toBe(mine);
  });

  it('undoes a previous install before installing again', () => {
    installGlobals({ qq: { ...options, appid: '1112345678' } });
    installGlobals({ wx: options });
    expect('qq' in scope).toBe(false);
  });

  it('touches nothing on import', async () => {
    delete scope.wx;
    vi.resetModules();
    await import('./index.js');
    await import('../index.js');
    expect('wx' in scope).toBe(false);
  });

  it('explains what it needs when given nothing to install', () => {
    expect(() => installGlobals({})).toThrow(/needs \{ wx \} and\/or \{ qq \}/);
  });
});
