/**
 * A native custom component (`fixtures/miniprogram/components/step-card`) tested the way a native mini-program team
 * tests one: with miniprogram-simulate (Tencent's component test tool, j-component under jsdom) and with a plain
 * global `wx` mock. OpenRun's APIs are overlaid on that `wx` by `installGlobals()`; `wx.showLoading` and `wx.request`
 * stay the test's own. The DOM globals miniprogram-simulate needs come from jsdom, set here rather than through vitest's
 * jsdom environment, whose `URL` would replace Node's in the platform the test also runs. The component's `attached` calls `wx.login` → `wx.getWeRunData` → `wx.request` to its backend,
 * which decrypts with `@openrun/server-sdk` against a real platform, and renders the steps.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installGlobals, uninstallGlobals } from '../src/testing/index.js';
import { httpWxRequest } from './helpers/http-wx-request.js';
import { FROZEN_NOW, startPlatform, type TestApp, type TestPlatform } from './helpers/platform.js';
import { startStepBackend, type StepBackend } from './helpers/step-backend.js';

const require = createRequire(import.meta.url);
/** The one jsdom API used here (jsdom ships no types, and @types/jsdom is not worth a dependency for one line). */
const { JSDOM } = require('jsdom') as { JSDOM: new (html: string, options: { pretendToBeVisual: boolean }) => { window: Window } };
const COMPONENT = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/miniprogram/components/step-card/step-card');

/** The parts of miniprogram-simulate this test uses. */
interface Simulate {
  load(path: string, options?: { compiler?: 'simulate' | 'official'; rootPath?: string }): string;
  render(id: string, properties?: Record<string, unknown>): SimulatedComponent;
}
interface SimulatedComponent {
  dom: HTMLElement;
  data: Record<string, unknown>;
  attach(parent: Element): void;
  detach(): void;
  addEventListener(name: string, handler: (event: { detail: unknown }) => void): void;
  querySelector(selector: string): { dom: HTMLElement } | null | undefined;
}

type Scope = Record<string, unknown>;
const scope = globalThis as Scope;

let platform: TestPlatform;
let app: TestApp;
let backend: StepBackend;

beforeEach(async () => {
  platform = await startPlatform();
  await platform.control('PUT', '/clock', { now: FROZEN_NOW, frozen: true });
  app = await platform.createApp({ platform: 'weapp' });
  backend = await startStepBackend(platform.baseUrl, app);
});

/** Gives this file the browser globals miniprogram-simulate and j-component use. */
function installDom(): void {
  const { window } = new JSDOM('<!doctype html><html><head></head><body></body></html>', { pretendToBeVisual: true });
  vi.stubGlobal('window', window);
  for (const name of ['document', 'Event', 'CustomEvent', 'TouchEvent', 'Touch', 'Node', 'HTMLElement', 'getComputedStyle', 'requestAnimationFrame']) {
    const value = (window as unknown as Scope)[name];
    vi.stubGlobal(name, typeof value === 'function' && /^[a-z]/.test(name) ? value.bind(window) : value);
  }
}

afterEach(async () => {
  uninstallGlobals();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  delete scope.wx;
  delete scope.Component;
  await backend.close();
  await platform.close();
});

describe('a native custom component under miniprogram-simulate', () => {
  /** Loads a fresh miniprogram-simulate, which puts its own `wx` (and `Component`) on the global object. */
  function loadSimulate(): Simulate {
    installDom();
    for (const key of Object.keys(require.cache)) {
      if (/[\\/]node_modules[\\/](miniprogram-simulate|j-component)[\\/]/.test(key)) delete require.cache[key];
    }
    return require('miniprogram-simulate') as Simulate;
  }

  async function renderStepCard(simulate: Simulate): Promise<{ comp: SimulatedComponent; detail: Record<string, unknown> }> {
    const comp = simulate.render(simulate.load(COMPONENT, { compiler: 'simulate' }), { backendUrl: backend.url });
    const done = new Promise<Record<string, unknown>>((resolve) => comp.addEventListener('done', (event) => resolve(event.detail as Record<string, unknown>)));
    comp.attach(document.createElement('parent-wrapper'));
    return { comp, detail: await done };
  }

  it('renders today’s steps from wx.login → wx.getWeRunData → the backend’s decryption, with simulate’s other wx APIs untouched', async () => {
    const simulate = loadSimulate();
    const simulatedWx = scope.wx as Scope;
    const showLoading = simulatedWx.showLoading;
    expect(typeof showLoading).toBe('function');
    // The page's backend call goes over real HTTP: the test's own wx.request, as a team would spy it.
    const { request, stats } = httpWxRequest();
    simulatedWx.request = request;
    const hideLoading = vi.spyOn(simulatedWx as { hideLoading: () => void }, 'hideLoading');
    const simulatedLogin = simulatedWx.login;

    const user = await platform.createUser({ promptAnswer: 'accept' });
    await platform.putSteps(user.id, [{ date: '2026-03-10', steps: 8_421 }]);
    const installed = installGlobals({ wx: { baseUrl: platform.baseUrl, appid: app.appid, deviceToken: user.deviceToken } });
    expect(installed.wx).toBe(simulatedWx);
    expect(simulatedWx.showLoading).toBe(showLoading);
    expect(simulatedWx.request).toBe(request);

    const { comp, detail } = await renderStepCard(simulate);
    expect(detail).toEqual({ steps: 8_421 });
    expect(comp.data.steps).toBe(8_421);
    expect(comp.querySelector('.steps')?.dom.textContent).toBe('今日步数 8421');
    expect(stats.requests).toBe(1);
    expect(hideLoading).toHaveBeenCalledTimes(1);
    comp.detach();

    uninstallGlobals();
    expect(simulatedWx.showLoading).toBe(showLoading);
    expect(simulatedWx.login).toBe(simulatedLogin);
    expect(simulatedWx.request).toBe(request);
  });

  it('renders the denial errMsg when the user refuses scope.werun', async () => {
    const simulate = loadSimulate();
    (scope.wx as Scope).request = httpWxRequest().request;
    const user = await platform.createUser({ promptAnswer: 'deny' });
    installGlobals({ wx: { baseUrl: platform.baseUrl, appid: app.appid, deviceToken: user.deviceToken } });
    const { comp, detail } = await renderStepCard(simulate);
    expect(detail).toEqual({ error: 'getWeRunData:fail auth deny' });
    expect(comp.querySelector('.error')?.dom.textContent).toBe('getWeRunData:fail auth deny');
    expect(comp.querySelector('.steps')).toBeFalsy();
  });
});

describe('the same component with a plain vitest global wx mock', () => {
  /** What a hand-rolled test does: a `Component` that captures the definition, and an instance with setData. */
  function mountWithPlainMock(): Promise<{ data: Record<string, unknown>; detail: Record<string, unknown> }> {
    let definition: { data: Record<string, unknown>; lifetimes: { attached(this: unknown): void } } | undefined;
    scope.Component = (options: typeof definition) => {
      definition = options;
    };
    delete require.cache[`${COMPONENT}.js`];
    require(`${COMPONENT}.js`);
    return new Promise((resolve) => {
      const instance = {
        data: { ...definition!.data, backendUrl: backend.url },
        setData(patch: Record<string, unknown>) {
          Object.assign(instance.data, patch);
        },
        triggerEvent(_name: string, detail: Record<string, unknown>) {
          resolve({ data: instance.data, detail });
        },
      };
      definition!.lifetimes.attached.call(instance);
    });
  }

  it('renders today’s steps, and the mock’s showLoading/hideLoading/request are the mock’s own functions', async () => {
    const { request } = httpWxRequest();
    const mock = { showLoading: vi.fn(), hideLoading: vi.fn(), request: vi.fn(request) };
    scope.wx = mock;
    const user = await platform.createUser({ promptAnswer: 'accept' });
    await platform.putSteps(user.id, [{ date: '2026-03-10', steps: 15_000 }]);
    installGlobals({ wx: { baseUrl: platform.baseUrl, appid: app.appid, deviceToken: user.deviceToken } });
    const { data, detail } = await mountWithPlainMock();
    expect(detail).toEqual({ steps: 15_000 });
    expect(data.steps).toBe(15_000);
    expect(mock.showLoading).toHaveBeenCalledWith({ title: '加载中' });
    expect(mock.hideLoading).toHaveBeenCalledTimes(1);
    expect(mock.request).toHaveBeenCalledTimes(1);
    expect(mock.request.mock.calls[0]?.[0]).toMatchObject({ url: `${backend.url}/steps`, method: 'POST' });
    uninstallGlobals();
    expect(Object.keys(mock).sort()).toEqual(['hideLoading', 'request', 'showLoading']);
  });

  it('without the overlay (replace: true) the page breaks exactly as the issue describes', async () => {
    scope.wx = { showLoading: vi.fn(), hideLoading: vi.fn(), request: vi.fn() };
    const user = await platform.createUser({ promptAnswer: 'accept' });
    installGlobals({ wx: { baseUrl: platform.baseUrl, appid: app.appid, deviceToken: user.deviceToken }, replace: true });
    await expect(mountWithPlainMock()).rejects.toThrow('wx.showLoading is not a function');
  });
});
