/**
 * Apps: credentials and settings; name, cloud development and base-library version are edited in place.
 */
import { call, type App } from '../api.js';
import { usePoll } from '../use-poll.js';

/** The apps table. */
export function AppsView() {
  const apps = usePoll(() => call<{ apps: App[] }>('GET', '/apps'), 0);
  const patch = (appid: string, body: Partial<App>) => void call('PATCH', `/apps/${appid}`, body).then(apps.reload, (e: Error) => alert(e.message));
  return (
    <section>
      <h2>Apps</h2>
      <table data-testid="apps">
        <thead>
          <tr><th>platform</th><th>name</th><th>appid</th><th>secret</th><th>cloud</th><th>base library</th></tr>
        </thead>
        <tbody>
          {apps.data?.apps.map((a) => (
            <tr key={a.appid}>
              <td>{a.platform}</td>
              <td><input class="wide" value={a.name} onChange={(e) => patch(a.appid, { name: e.currentTarget.value })} /></td>
              <td><code>{a.appid}</code></td>
              <td><code class="secret">{a.secret}</code></td>
              <td>
                <input type="checkbox" checked={a.cloud} disabled={a.platform !== 'weapp'} onChange={(e) => patch(a.appid, { cloud: e.currentTarget.checked })} />
                {a.cloudEnv ? <small> {a.cloudEnv}</small> : null}
              </td>
              <td><input class="short" value={a.baseLibVersion} onChange={(e) => patch(a.appid, { baseLibVersion: e.currentTarget.value })} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {apps.data?.apps.length === 0 ? <p>No apps yet: POST /openrun/control/v1/apps or start with a scenario.</p> : null}
    </section>
  );
}
