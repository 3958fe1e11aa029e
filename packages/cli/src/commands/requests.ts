/**
 * `openrun requests`: the platform's recent request log (secrets redacted), oldest first; `--follow` keeps printing
 * new calls until interrupted.
 */
import type { RequestLogView } from '@openrun/platform';
import type { Command } from 'commander';
import { withExample } from '../internal/help-example.js';
import { chinaTime } from '../internal/format.js';
import { clientOf, stdoutOutput, whole, withTarget, type CommandOutput, type TargetOptions } from '../internal/target.js';

/** How often `--follow` asks for new calls. */
const FOLLOW_INTERVAL_MS = 500;

function line(e: RequestLogView): string {
  const code = e.errcode === null ? '' : `  errcode ${e.errcode}`;
  const fault = e.faultId ? `  fault ${e.faultId}` : '';
  return `${chinaTime(e.at)}  ${String(e.status).padStart(3)}  ${e.method.padEnd(6)} ${e.url}  ${e.durationMs} ms${code}${fault}`;
}

/** Adds `requests`. */
export function registerRequestsCommand(program: Command, output: CommandOutput = stdoutOutput): void {
  withExample(withTarget(program.command('requests')), 'openrun requests --limit 20', 'openrun requests --follow --route "GET /sns/jscode2session"')
    .description('print the recent calls of the platform routes (secrets redacted) and exit; --follow keeps tailing')
    .option('--route <route>', 'only this route, e.g. "GET /sns/jscode2session"')
    .option('--status <status>', 'only this HTTP status', whole('--status', 0, 999))
    .option('--limit <n>', 'at most this many of the newest calls', whole('--limit', 1, 1000), 50)
    .option('-f, --follow', 'keep printing new calls until Ctrl-C')
    .option('--json', 'one JSON object per line')
    .action(async (o: TargetOptions & { route?: string; status?: number; limit: number; follow?: boolean; json?: boolean }) => {
      const api = clientOf(o);
      const query = (limit: number) =>
        '/requests?' +
        new URLSearchParams({
          limit: String(limit),
          ...(o.route ? { route: o.route } : {}),
          ...(o.status !== undefined ? { status: String(o.status) } : {}),
        }).toString();
      const print = (e: RequestLogView) => output.out(o.json ? JSON.stringify(e) : line(e));
      let last = 0;
      const fetchNew = async (limit: number): Promise<void> => {
        const { requests } = await api.json<{ requests: RequestLogView[] }>('GET', query(limit));
        // Newest first on the wire; a cleared log restarts the numbering.
        if (requests.length > 0 && requests[0]!.seq < last) last = 0;
        for (const e of requests.filter((r) => r.seq > last).reverse()) print(e);
        if (requests.length > 0) last = Math.max(last, requests[0]!.seq);
      };
      await fetchNew(o.limit);
      if (!o.follow) return;
      for (;;) {
        await new Promise((done) => setTimeout(done, FOLLOW_INTERVAL_MS));
        await fetchNew(1000);
      }
    });
}
