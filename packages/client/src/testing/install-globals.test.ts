import { afterEach, describe, expect, it, vi } from 'vitest';
import { connect } from '../connect.js';
import { installGlobals, OVERLAID_APIS, uninstallGlobals } from './install-globals.js';

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

  it('with replace: true puts OpenRun’s object in place of the suite’s wx and restores the same object', () => {
    const mine = { mine: true };
    scope.wx = mine;
    const { wx } = installGlobals({ wx: options, replace: true });
    expect(scope.wx).toBe(wx);
    expect(scope.wx).not.toBe(mine);
    expect((scope.wx as Record<string, unknown>).mine).toBeUndefined();
    uninstallGlobals();
    expect(scope.wx).toBe(mine);
  });

  it('overlays OpenRun’s APIs onto an existing wx, keeping every other member as the same function', () => {
    const showLoading = () => undefined;
    const request = () => undefined;
    const mockLogin = () => undefined;
    const mine: Record<string, unknown> = { showLoading, request, login: mockLogin };
    scope.wx = mine;
    const wx = connect({ ...options, platform: 'weapp' });
    const installed = installGlobals({ wx });
    expect(scope.wx).toBe(mine);
    expect(installed.wx).toBe(mine);
    expect(mine.showLoading).toBe(showLoading);
    expect(mine.request).toBe(request);
    for (const key of OVERLAID_APIS.wx) expect(mine[key]).toBe((wx as unknown as Record<string, unknown>)[key]);
    installed.uninstall();
    expect(mine.login).toBe(mockLogin);
    expect(Object.keys(mine).sort()).toEqual(['login', 'request', 'showLoading']);
    expect(mine.showLoading).toBe(showLoading);
  });

  it('overlays qq without cloud, and restores an inherited member by removing the own one it added', () => {
    const proto = { getSetting: () => 'inherited' };
    const mine = Object.create(proto) as Record<string, unknown>;
    scope.qq = mine;
    installGlobals({ qq: { ...options, appid: '1112345678' } });
    expect(Object.keys(mine).sort()).toEqual([...OVERLAID_APIS.qq].sort());
    expect('cloud' in mine).toBe(false);
    uninstallGlobals();
    expect(Object.keys(mine)).toEqual([]);
    expect(mine.getSetting).toBe(proto.getSetting);
  });

  it('keeps property attributes of the covered originals (getters, non-enumerable values)', () => {
    const getter = () => () => 'from getter';
    const mine = {} as Record<string, unknown>;
    Object.defineProperty(mine, 'login', { get: getter, configurable: true, enumerable: false });
    scope.wx = mine;
    installGlobals({ wx: options });
    uninstallGlobals();
    expect(Object.getOwnPropertyDescriptor(mine, 'login')).toEqual({ get: getter, set: undefined, configurable: true, enumerable: false });
  });

  it('refuses to overlay a frozen wx without changing anything, and replace: true still works', () => {
    const mine = Object.freeze({ showLoading: () => undefined });
    scope.wx = mine;
    expect(() => installGlobals({ wx: options })).toThrow(/cannot add login, .*globalThis\.wx.*replace: true/);
    expect(scope.wx).toBe(mine);
    installGlobals({ wx: options, replace: true });
    expect(scope.wx).not.toBe(mine);
    uninstallGlobals();
    expect(scope.wx).toBe(mine);
  });

  it('refuses a wx that is not an object, and a replace option that is not a boolean', () => {
    scope.wx = 'not an object';
    expect(() => installGlobals({ wx: options })).toThrow(/globalThis\.wx is a string/);
    expect(scope.wx).toBe('not an object');
    expect(() => installGlobals({ wx: options, replace: 'yes' as unknown as boolean })).toThrow(/replace must be true or false/);
  });

  it('a second overlay undoes the first before overlaying again', () => {
    const login = () => undefined;
    const mine: Record<string, unknown> = { login };
    scope.wx = mine;
    const first = installGlobals({ wx: options });
    const firstLogin = mine.login;
    installGlobals({ wx: options });
    expect(mine.login).not.toBe(firstLogin);
    first.uninstall();
    expect(mine.login).toBe(login);
    uninstallGlobals();
    expect(mine.login).toBe(login);
  });

  it('an uninstall with nothing installed is a no-op', () => {
    const mine = { login: () => undefined };
    scope.wx = mine;
    uninstallGlobals();
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
