/**
 * Faults: make a platform route answer an errcode, wait, or drop the connection, for the next N calls or with a
 * probability; the list shows each rule's use count.
 */
import { useState } from 'preact/hooks';
import { call, type Fault } from '../api.js';
import { usePoll } from '../use-poll.js';

const ROUTES = [
  'GET /sns/jscode2session',
  'GET /cgi-bin/token',
  'POST /cgi-bin/stable_token',
  'GET /wxa/checksession',
  'POST /wxa/getopendata',
  'GET /qq/sns/jscode2session',
  'GET /qq/api/getToken',
  'POST /openrun/runtime/v1/apps/:appid/login',
  'POST /openrun/runtime/v1/apps/:appid/werun',
];

/** The fault form and list. */
export function FaultsView() {
  const faults = usePoll(() => call<{ faults: Fault[] }>('GET', '/faults'), 1000);
  const [route, setRoute] = useState(ROUTES[0]!);
  const [kind, setKind] = useState<'errcode' | 'delayMs' | 'drop'>('errcode');
  const [value, setValue] = useState('-1');
  const [times, setTimes] = useState('1');
  const [error, setError] = useState<string | undefined>(undefined);
  const add = () => {
    const action = kind === 'drop' ? { drop: true } : { [kind]: Number(value) };
    void call('POST', '/faults', { route, ...action, ...(times ? { times: Number(times) } : {}) }).then(
      () => (setError(undefined), faults.reload()),
      (e: Error) => setError(e.message),
    );
  };
  return (
    <section>
      <h2>Faults</h2>
      <p class="filters" data-testid="fault-form">
        <input list="routes" class="wide" data-testid="fault-route" value={route} onInput={(e) => setRoute(e.currentTarget.value)} />
        <datalist id="routes">{ROUTES.map((r) => <option key={r} value={r} />)}</datalist>
        <select data-testid="fault-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as typeof kind)}>
          <option value="errcode">errcode</option>
          <option value="delayMs">delay (ms)</option>
          <option value="drop">drop connection</option>
        </select>
        {kind === 'drop' ? null : <input class="short" data-testid="fault-value" value={value} onInput={(e) => setValue(e.currentTarget.value)} />}
        <label>times <input class="short" data-testid="fault-times" value={times} onInput={(e) => setTimes(e.currentTarget.value)} /></label>
        <button data-testid="fault-add" onClick={add}>Add fault</button>
        <button onClick={() => void call('DELETE', '/faults').then(faults.reload)}>Clear all</button>
      </p>
      {error ? <p class="error">{error}</p> : null}
      <table data-testid="faults">
        <thead><tr><th>id</th><th>route</th><th>action</th><th>times</th><th>uses</th><th /></tr></thead>
        <tbody>
          {faults.data?.faults.map((f) => (
            <tr key={f.id} data-testid="fault-row">
              <td>{f.id}</td>
              <td>{f.route}</td>
              <td><code>{JSON.stringify(f.action)}</code></td>
              <td>{f.times ?? '∞'}</td>
              <td data-testid="fault-uses">{f.uses}</td>
              <td><button onClick={() => void call('DELETE', `/faults/${f.id}`).then(faults.reload)}>remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
