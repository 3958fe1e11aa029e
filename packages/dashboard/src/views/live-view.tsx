/**
 * Live records: cloudIDs (with a TTL countdown on the platform clock), login codes and access tokens. The countdown
 * follows platform time, so a frozen clock holds it and "+5 min" expires a cloudID at once.
 */
import { call, type Live } from '../api.js';
import { usePoll } from '../use-poll.js';

const left = (ms: number) => (ms <= 0 ? 'expired' : `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`);
const short = (text: string) => (text.length > 24 ? `${text.slice(0, 12)}…${text.slice(-8)}` : text);

/** The live records, refreshed every second. */
export function LiveView({ clockMs }: { clockMs: number | undefined }) {
  const live = usePoll(() => call<Live>('GET', '/live'), 1000, clockMs);
  const d = live.data;
  return (
    <section>
      <h2>cloudIDs</h2>
      <table data-testid="cloud-ids">
        <thead><tr><th>cloudID</th><th>appid</th><th>openid</th><th>TTL</th></tr></thead>
        <tbody>
          {d?.cloudIds.map((c) => (
            <tr key={c.cloudId} data-testid="cloud-id-row">
              <td><code title={c.cloudId}>{short(c.cloudId)}</code></td>
              <td>{c.appid}</td>
              <td><code>{c.openid}</code></td>
              <td data-testid="cloud-id-ttl" class={c.remainingMs < 60_000 ? 'warn' : ''}>{left(c.remainingMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d && d.cloudIds.length === 0 ? <p data-testid="no-cloud-ids">No live cloudIDs.</p> : null}
      <h2>Login codes</h2>
      <table>
        <thead><tr><th>code</th><th>appid</th><th>user</th><th>used</th><th>TTL</th></tr></thead>
        <tbody>
          {d?.loginCodes.map((c) => (
            <tr key={c.code}><td><code>{short(c.code)}</code></td><td>{c.appid}</td><td>{c.userId}</td><td>{c.used ? 'yes' : 'no'}</td><td>{left(c.remainingMs)}</td></tr>
          ))}
        </tbody>
      </table>
      <h2>Access tokens</h2>
      <table>
        <thead><tr><th>token</th><th>appid</th><th>kind</th><th>TTL</th></tr></thead>
        <tbody>
          {d?.accessTokens.map((t) => (
            <tr key={t.token}><td><code>{short(t.token)}</code></td><td>{t.appid}</td><td>{t.kind}</td><td>{left(t.remainingMs)}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
