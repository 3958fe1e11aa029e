/**
 * Grants: per app, each user's openid, login state and remembered decision on the step scope (granted, refused, never
 * asked), changed with one click.
 */
import { useState } from 'preact/hooks';
import { call, type App, type AppUser, type User } from '../api.js';
import { usePoll } from '../use-poll.js';

/** The grants table of one app. */
export function GrantsView() {
  const apps = usePoll(() => call<{ apps: App[] }>('GET', '/apps'), 0);
  const users = usePoll(() => call<{ users: User[] }>('GET', '/users'), 0);
  const [appid, setAppid] = useState<string | undefined>(undefined);
  // Opens on the first WeChat app (the common case), else the first app.
  const app = apps.data?.apps.find((a) => a.appid === appid) ?? apps.data?.apps.find((a) => a.platform === 'weapp') ?? apps.data?.apps[0];
  const appUsers = usePoll(() => (app ? call<{ appUsers: AppUser[] }>('GET', `/apps/${app.appid}/users`) : Promise.resolve({ appUsers: [] })), 2000, app?.appid);
  const scope = app?.platform === 'qq' ? 'scope.qqrun' : 'scope.werun';
  const set = (userId: string, value: boolean | null) =>
    void call('PUT', `/apps/${app!.appid}/users/${userId}/grants`, { [scope]: value }).then(appUsers.reload);
  const byUser = new Map(appUsers.data?.appUsers.map((u) => [u.userId, u]));
  return (
    <section>
      <h2>Grants</h2>
      <select value={app?.appid} onChange={(e) => setAppid(e.currentTarget.value)}>
        {apps.data?.apps.map((a) => <option key={a.appid} value={a.appid}>{a.name} ({a.appid})</option>)}
      </select>
      <table data-testid="grants">
        <thead><tr><th>user</th><th>openid</th><th>logged in</th><th>{scope}</th></tr></thead>
        <tbody>
          {users.data?.users.map((u) => {
            const au = byUser.get(u.id);
            const decision = au?.authSetting[scope];
            return (
              <tr key={u.id}>
                <td>{u.nickname}</td>
                <td><code>{au?.openid ?? '—'}</code></td>
                <td>{au?.loggedIn ? 'yes' : 'no'}</td>
                <td>
                  <select value={decision === undefined ? 'unset' : String(decision)} onChange={(e) => set(u.id, e.currentTarget.value === 'unset' ? null : e.currentTarget.value === 'true')}>
                    <option value="unset">never asked</option>
                    <option value="true">granted</option>
                    <option value="false">refused</option>
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
