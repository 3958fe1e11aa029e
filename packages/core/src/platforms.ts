/**
 * The two platforms OpenRun emulates and what differs between them: scope names, API names, errMsg prefixes.
 * @see PROTOCOL.md §14
 */
import type { Flavour } from './error-catalogue.js';

/** A mini-program platform: WeChat (`weapp`) or QQ (`qq`). */
export type MiniProgramPlatform = 'weapp' | 'qq';

/** The step scope of each platform. */
export const STEP_SCOPE = { weapp: 'scope.werun', qq: 'scope.qqrun' } as const satisfies Record<MiniProgramPlatform, string>;

/** A step scope name. */
export type StepScope = (typeof STEP_SCOPE)[MiniProgramPlatform];

/** The client API that reads steps on each platform. */
export const STEP_API = { weapp: 'getWeRunData', qq: 'getQQRunData' } as const satisfies Record<MiniProgramPlatform, string>;

/** The errmsg flavour of a platform's developer API. */
export function flavourOf(platform: MiniProgramPlatform): Flavour {
  return platform === 'weapp' ? 'wechat' : 'qq';
}

/** Base-library version from which getWeRunData returns `cloudID` (with cloud development on). */
export const CLOUD_ID_MIN_BASE_LIB = '2.7.0';

/** Compares dotted version strings numerically: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
