/**
 * Turns a checked scenario into a state document and imports it: the scenario replaces the platform's state in one
 * step, so a store is never left with half a scenario. Missing appids, secrets, user ids and tokens are generated;
 * histories are literal or generated from the seeded model at the scenario's clock.
 */
import { chinaDateOf } from '@openrun/core';
import type { FaultAction, FaultRule } from '../../stores/records.js';
import type { AppRecord } from '../../stores/records.js';
import type { AppUserSnapshot, UserSnapshot } from '../../stores/state-snapshot.js';
import type { PlatformContext } from '../context.js';
import type { StateDocument } from '../state-document.js';
import { importState } from '../state-transfer.js';
import { plannedHistory, seedOf } from '../steps.js';
import { defaultNickname } from '../users.js';
import { checkScenario } from './check-scenario.js';
import type { Scenario } from './scenario-schema.js';

/** What a scenario created. */
export interface AppliedScenario {
  apps: AppRecord[];
  users: UserSnapshot[];
}

function faultAction(f: NonNullable<Scenario['faults']>[number]): FaultAction {
  if (f.errcode !== undefined) return { errcode: f.errcode };
  if (f.delayMs !== undefined) return { delayMs: f.delayMs };
  return { drop: true };
}

/** Checks `value` (a parsed YAML/JSON file named `file`) and replaces the platform state with it. */
export async function applyScenario(
  ctx: PlatformContext,
  value: unknown,
  file: string,
): Promise<AppliedScenario> {
  const scenario = checkScenario(value, file);
  const nowMs = scenario.clock?.now !== undefined ? Date.parse(scenario.clock.now) : ctx.clock.now();
  const today = chinaDateOf(Math.floor(nowMs / 1000));
  const apps: AppRecord[] = (scenario.apps ?? []).map((a) => {
    const appid = a.appid ?? (a.platform === 'weapp' ? ctx.ids.wechatAppid() : ctx.ids.qqAppid());
    const cloud = a.platform === 'weapp' && (a.cloud ?? false);
    return {
      appid,
      secret: a.secret ?? ctx.ids.secret(),
      platform: a.platform as AppRecord['platform'],
      name: a.name ?? (a.platform === 'weapp' ? 'WeChat mini program' : 'QQ mini program'),
      cloud,
      cloudEnv: cloud ? `openrun-${appid.slice(-6)}` : null,
      baseLibVersion: a.baseLibVersion ?? '3.7.0',
      openPlatformId: a.openPlatformId ?? null,
      createdAt: nowMs,
    };
  });
  const users: UserSnapshot[] = (scenario.users ?? []).map((u) => {
    const id = u.id ?? ctx.ids.userId();
    const plan = u.generate ? plannedHistory({ ...u.generate, seed: u.generate.seed ?? seedOf(id) }, today, u.generate.days ?? 60) : undefined;
    return {
      id,
      nickname: u.nickname ?? defaultNickname(id, u.id !== undefined),
      deviceToken: u.deviceToken ?? ctx.ids.deviceToken(),
      werunEnabled: u.werunEnabled ?? true,
      hasStepCounter: u.hasStepCounter ?? true,
      promptAnswer: (u.promptAnswer ?? 'accept') as UserSnapshot['promptAnswer'],
      createdAt: nowMs,
      steps: plan ? plan.days : [...(u.steps ?? [])].sort((a, b) => (a.date < b.date ? -1 : 1)),
      stepModel: plan ? plan.model : null,
    };
  });
  const appUsers = new Map<string, AppUserSnapshot>();
  for (const g of scenario.grants ?? []) {
    const key = `${g.app} ${g.user}`;
    const app = apps.find((a) => a.appid === g.app)!;
    const entry = appUsers.get(key) ?? {
      appid: g.app,
      userId: g.user,
      openid: ctx.ids.openid(),
      unionid: app.openPlatformId ? ctx.ids.unionid() : null,
      sessionKey: null,
      sessionRotatedAt: null,
      grants: {},
    };
    entry.grants[g.scope] = g.granted;
    appUsers.set(key, entry);
  }
  const faultRules: FaultRule[] = (scenario.faults ?? []).map((f, i) => ({
    id: `fault_${i + 1}`,
    route: f.route,
    action: faultAction(f),
    ...(f.times !== undefined ? { times: f.times } : {}),
    ...(f.probability !== undefined ? { probability: f.probability } : {}),
    uses: 0,
  }));
  const doc: StateDocument = {
    format: 'openrun-state',
    version: 1,
    clock: { nowMs, frozen: scenario.clock?.frozen ?? ctx.clock.state().frozen },
    // Rules are matched newest first; the file lists them in the order they should be tried.
    faults: faultRules,
    apps,
    users,
    appUsers: [...appUsers.values()],
    ephemeral: { loginCodes: [], accessTokens: [], cloudIds: [], counters: [] },
  };
  await importState(ctx, doc);
  return { apps, users };
}
