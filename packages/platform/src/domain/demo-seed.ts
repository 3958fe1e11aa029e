/**
 * The demo data `openrun start` puts in an empty store: a WeChat app with cloud development, a QQ app and three users
 * with 60 days of realistic steps, granted WeRun in the WeChat app.
 */
import { chinaDateOf } from '@openrun/core';
import type { AppRecord, UserRecord } from '../stores/records.js';
import { createApp } from './apps.js';
import type { PlatformContext } from './context.js';
import { generateStepHistory } from './step-generator.js';
import { createUser } from './users.js';

/** What the demo seed created. */
export interface DemoData {
  apps: AppRecord[];
  users: UserRecord[];
}

const DEMO_USERS = [
  { nickname: 'Xiao Ming', seed: 1, baseline: 9000, weekendFactor: 1.3 },
  { nickname: 'Li Hua', seed: 2, baseline: 6500, weekendFactor: 0.7 },
  { nickname: 'Wang Fang', seed: 3, baseline: 12000, weekendFactor: 1.1 },
];

/** Seeds the demo apps and users. */
export async function seedDemo(ctx: PlatformContext): Promise<DemoData> {
  const wechat = await createApp(ctx, { platform: 'weapp', name: 'Demo step challenge (WeChat)', cloud: true });
  const qq = await createApp(ctx, { platform: 'qq', name: 'Demo step challenge (QQ)' });
  const today = chinaDateOf(ctx.clock.nowSeconds());
  const users: UserRecord[] = [];
  for (const spec of DEMO_USERS) {
    const user = await createUser(ctx, { nickname: spec.nickname });
    await ctx.durable.putSteps(user.id, generateStepHistory(today, 60, spec));
    users.push(user);
  }
  return { apps: [wechat, qq], users };
}
