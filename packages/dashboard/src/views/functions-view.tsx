/**
 * Cloud functions: the functions found in `--functions DIR` and their recent calls, newest first, each expandable to
 * its result or error and its console output.
 */
import { formatChinaTime } from '@openrun/core';
import { call, type FunctionCall } from '../api.js';
import { usePoll } from '../use-poll.js';

/** Pretty-prints a result's JSON when it is whole (it is cut at 4096 characters). */
function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** The function-call log, refreshed every 2 seconds. */
export function FunctionsView() {
  const log = usePoll(() => call<{ functions: string[]; calls: FunctionCall[] }>('GET', '/functions/calls?limit=100'), 2000);
  const functions = log.data?.functions ?? [];
  const calls = log.data?.calls ?? [];
  return (
    <section class="calls">
      <h2>Cloud functions</h2>
      {log.error ? <p class="error">{log.error}</p> : null}
      <p data-testid="function-names">
        {functions.length === 0 ? 'No functions: start the platform with --functions DIR.' : functions.map((f) => <code key={f}>{f} </code>)}
      </p>
      {log.data && calls.length === 0 ? <p data-testid="no-function-calls">No calls yet.</p> : null}
      {calls.map((c) => (
        <details key={c.requestId} data-testid="function-call">
          <summary>
            <b data-testid="function-call-name">{c.name}</b>
            <span class={c.ok ? 'ok' : 'error'} data-testid="function-call-outcome">{c.ok ? 'ok' : `failed: ${c.failure ?? ''}`}</span>
            <span data-testid="function-call-duration">{c.durationMs} ms</span>
            <span>{formatChinaTime(Date.parse(c.at))}</span>
            <small>{c.appid} · {c.source} · {c.requestId}</small>
          </summary>
          {c.ok ? (
            <>
              <div>result</div>
              <pre data-testid="function-call-result">{c.result === undefined ? 'undefined' : pretty(c.result)}</pre>
            </>
          ) : (
            <>
              <div>error</div>
              <pre class="error" data-testid="function-call-error">{c.message ?? c.failure}</pre>
            </>
          )}
          <div>console ({c.logs.length} {c.logs.length === 1 ? 'line' : 'lines'})</div>
          <pre data-testid="function-call-logs">{c.logs.map((l) => `${l.level.padEnd(5)} ${l.text}`).join('\n')}</pre>
        </details>
      ))}
    </section>
  );
}
