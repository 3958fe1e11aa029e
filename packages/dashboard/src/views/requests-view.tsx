/**
 * The request inspector: recent calls of the platform routes (secrets redacted by the platform), newest first, with
 * the fault that hit them and, expandable, the request and response bodies (redacted too); filter by route and status.
 */
import { formatChinaTime } from '@openrun/core';
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { call, type LoggedRequest } from '../api.js';
import { usePoll } from '../use-poll.js';

/** A logged body, pretty-printed when it is whole JSON. */
function pretty(body: string | null): string | null {
  if (body === null) return null;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** The request log, refreshed every second. */
export function RequestsView() {
  const [route, setRoute] = useState('');
  const [status, setStatus] = useState('');
  const query = new URLSearchParams({ limit: '200', ...(route ? { route } : {}), ...(status ? { status } : {}) });
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (seq: number) => {
    const next = new Set(open);
    if (!next.delete(seq)) next.add(seq);
    setOpen(next);
  };
  const log = usePoll(() => call<{ requests: LoggedRequest[] }>('GET', `/requests?${query}`), 1000, query.toString());
  return (
    <section>
      <h2>Requests</h2>
      <p class="filters">
        <input placeholder="route, e.g. GET /sns/jscode2session" value={route} onInput={(e) => setRoute(e.currentTarget.value)} />
        <input class="short" placeholder="status" value={status} onInput={(e) => setStatus(e.currentTarget.value)} />
        <button onClick={() => void call('DELETE', '/requests').then(log.reload)}>Clear</button>
      </p>
      {log.error ? <p class="error">{log.error}</p> : null}
      <div class="table-wrap">
      <table data-testid="requests">
        <thead><tr><th>#</th><th>time (China)</th><th>route</th><th>url</th><th>status</th><th>errcode</th><th>ms</th><th>fault</th><th>bodies</th></tr></thead>
        <tbody>
          {log.data?.requests.map((r) => (
            <Fragment key={r.seq}>
              <tr class={r.faultId ? 'faulted' : r.status >= 400 || r.status === 0 ? 'failed' : ''} data-testid="request-row">
                <td>{r.seq}</td>
                <td>{formatChinaTime(Date.parse(r.at)).slice(11, 19)}</td>
                <td>{r.route}</td>
                <td class="url"><code>{r.url}</code></td>
                <td>{r.status === 0 ? 'dropped' : r.status}</td>
                <td data-testid="request-errcode">{r.errcode ?? ''}</td>
                <td>{r.durationMs}</td>
                <td data-testid="request-fault">{r.faultId ?? ''}</td>
                <td>
                  <button data-testid="request-body-toggle" onClick={() => toggle(r.seq)}>{open.has(r.seq) ? 'hide' : 'show'}</button>
                </td>
              </tr>
              {open.has(r.seq) ? (
                <tr class="bodies" data-testid="request-bodies">
                  <td colSpan={9}>
                    <div>request body</div>
                    <pre data-testid="request-body">{pretty(r.requestBody) ?? '(none)'}</pre>
                    <div>response body</div>
                    <pre data-testid="response-body">{pretty(r.responseBody) ?? '(none)'}</pre>
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
      </div>
    </section>
  );
}
