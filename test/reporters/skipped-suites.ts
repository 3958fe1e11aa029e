/**
 * A vitest reporter that lists, once and at the end of the run, every suite that skipped itself because a service or
 * tool was missing (Chromium, Redis, PostgreSQL, a build), with the notice it gave. The notices are the
 * `[openrun] … SKIPPING/SKIPPED …` warnings the suites print; vitest.config.ts keeps them out of the per-file output.
 */
import { relative } from 'node:path';
import type { UserConsoleLog } from 'vitest';
import type { Reporter, TestModule } from 'vitest/node';

/** True for a suite's "skipped because X is missing" notice. */
export function isSkipNotice(text: string): boolean {
  return /^\[openrun\][^\n]*\bSKIPP(?:ING|ED)\b/.test(text.trimStart());
}

/** Collects the skip notices and the skipped tests, and prints them in one block at the end. */
export default class SkippedSuitesReporter implements Reporter {
  private readonly notices = new Set<string>();

  onUserConsoleLog(log: UserConsoleLog): void {
    if (isSkipNotice(log.content)) this.notices.add(log.content.trim());
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped = new Map<string, number>();
    for (const module of testModules) {
      let n = 0;
      for (const test of module.children.allTests()) if (test.result().state === 'skipped') n += 1;
      if (n > 0) skipped.set(relative(process.cwd(), module.moduleId), n);
    }
    if (this.notices.size === 0 && skipped.size === 0) return;
    const lines = ['', '[openrun] Skipped suites (see README "Test"):'];
    for (const notice of [...this.notices].sort()) lines.push(`  ${notice}`);
    for (const [file, n] of [...skipped].sort()) lines.push(`  ${file}: ${n} skipped`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
