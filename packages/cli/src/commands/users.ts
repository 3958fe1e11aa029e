/**
 * `openrun users list` and `openrun users generate`: the users of a running platform.
 */
import type { Command } from 'commander';
import type { GeneratedUsersReply, UserView } from '@openrun/platform';
import { withExample } from '../internal/help-example.js';
import { counted, table } from '../internal/format.js';
import { createProgressBar } from '../internal/progress-bar.js';
import { clientOf, stdoutOutput, whole, withTarget, type CommandOutput, type TargetOptions } from '../internal/target.js';

/** Users created per request by `users generate` (each request is all or nothing; the platform commits it in chunks). */
const GENERATE_CHUNK = 1000;
/** Users asked for per page by `users list` (the control API's largest page). */
const PAGE_LIMIT = 1000;

const userRows = (users: UserView[]): string[][] =>
  users.map((u) => [u.id, u.nickname, u.deviceToken, u.werunEnabled ? 'on' : 'off', u.promptAnswer]);

/** Adds `users list` and `users generate`. */
export function registerUsersCommands(program: Command, output: CommandOutput = stdoutOutput): void {
  const users = withExample(program.command('users').description('users of a running platform'), 'openrun users list');

  withExample(withTarget(users.command('list')), 'openrun users list', 'openrun users list --search ali --limit 20', 'openrun users list --json | jq -r ".users[].id"')
    .description('list the users, oldest first (a table; --json for JSON), following the control API\'s pages')
    .option('--search <prefix>', 'only users whose id, nickname or device token starts with this')
    .option('--limit <n>', 'at most this many users', whole('--limit', 1, 100_000_000))
    .option('--json', 'print JSON')
    .action(async (o: TargetOptions & { search?: string; limit?: number; json?: boolean }) => {
      const api = clientOf(o);
      const found: UserView[] = [];
      let cursor: string | undefined;
      do {
        const want = Math.min(PAGE_LIMIT, (o.limit ?? Infinity) - found.length);
        const query = new URLSearchParams({ limit: String(want), ...(o.search ? { q: o.search } : {}), ...(cursor ? { cursor } : {}) });
        const page = await api.json<{ users: UserView[]; nextCursor?: string }>('GET', `/users?${query.toString()}`);
        found.push(...page.users);
        cursor = page.nextCursor;
      } while (cursor !== undefined && found.length < (o.limit ?? Infinity));
      if (o.json) return output.out(JSON.stringify({ users: found }, null, 2));
      if (found.length === 0) return output.out(o.search ? `[openrun] no user starts with "${o.search}"` : '[openrun] no users');
      for (const line of table(['ID', 'NICKNAME', 'DEVICE TOKEN', 'WERUN', 'ANSWERS'], userRows(found))) output.out(line);
    });

  withExample(withTarget(users.command('generate')), 'openrun users generate --count 1000 --days 60 --seed 7')
    .description('create users with realistic seeded step histories, and print their ids and device tokens')
    .requiredOption('-n, --count <n>', 'how many users', whole('--count', 1, 10_000_000))
    .option('--days <days>', 'days of history per user', whole('--days', 0, 3660), 60)
    .option('--seed <seed>', 'base seed (user i gets seed + i)', whole('--seed', 0, 4_294_967_295))
    .option('--json', 'print the created users as JSON')
    .action(async (o: TargetOptions & { count: number; days: number; seed?: number; json?: boolean }) => {
      const api = clientOf(o);
      const bar = createProgressBar(o.count, 'generating users');
      const created: UserView[] = [];
      while (created.length < o.count) {
        const count = Math.min(GENERATE_CHUNK, o.count - created.length);
        const r = await api.json<GeneratedUsersReply>('POST', '/users/generate', {
          count,
          days: o.days,
          ...(o.seed !== undefined ? { seed: o.seed + created.length } : {}),
        });
        created.push(...r.users);
        bar.update(created.length);
      }
      bar.finish();
      if (o.json) return output.out(JSON.stringify({ users: created }, null, 2));
      for (const line of table(['ID', 'NICKNAME', 'DEVICE TOKEN'], created.map((u) => [u.id, u.nickname, u.deviceToken]))) output.out(line);
      output.out(`[openrun] generated ${counted(created.length, 'user')} with ${counted(o.days, 'day')} of steps each`);
    });
}
