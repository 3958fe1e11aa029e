/**
 * The request inspector: recent calls of the platform routes (secrets redacted by the platform), newest first, with
 * the fault that hit them; filter by route and status.
 */
import { useState } from 'preact/hooks';
import { call, type LoggedRequest } from '../api.js';
import { usePoll } from '../use-poll.js';

/** The request log, refreshed every second. */
export function RequestsView() {
  const [route, setRoute] = useState('');
  const [status, setStatus] = useState('');
  const query = new URLSearchParams({ limit: '200', ...(route ? { route } : {}), ...(status ? { status } : {}) });
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
      <table data-testid="requests">
        <thead><tr><th>#</th><th>time (UTC)</th><th>route</th><th>url</th><th>status</th><th>errcode</th><th>ms</th><th>fault</th></tr></thead>
        <tbody>
          {log.data?.requests.map((r) => (
            <tr key={r.seq} class={r.faultId ? 'faulted' : r.status >= 400 || r.status === 0 ? 'failed' : ''} data-testid="request-row">
              <td>{r.seq}</td>
              <td>{r.at.slice(11, 19)}</td>
              <td>{r.route}</td>
              <td class="url"><code>{r.url}</code></td>
              <td>{r.status === 0 ? 'dropped' : r.status}</td>
              <td data-testid="request-errcode">{r.errcode ?? ''}</td>
              <td>{r.durationMs}</td>
              <td data-testid="request-fault">{r.faultId ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
