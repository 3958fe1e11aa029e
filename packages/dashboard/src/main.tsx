/**
 * The dashboard entry: a header with the clock controls and tabs for apps, users, grants, live records, requests,
 * cloud-function calls and faults. The tab is kept in the URL hash so a reload stays where it was.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, setToken, type Clock } from './api.js';
import { usePoll } from './use-poll.js';
import { AppsView } from './views/apps-view.js';
import { ClockBar } from './views/clock-bar.js';
import { FaultsView } from './views/faults-view.js';
import { FunctionsView } from './views/functions-view.js';
import { GrantsView } from './views/grants-view.js';
import { LiveView } from './views/live-view.js';
import { RequestsView } from './views/requests-view.js';
import { UsersView } from './views/users-view.js';
import './styles.css';

const TABS = ['users', 'apps', 'grants', 'live', 'requests', 'functions', 'faults'] as const;
type Tab = (typeof TABS)[number];

const tabOf = (hash: string): Tab => (TABS as readonly string[]).includes(hash.slice(1)) ? (hash.slice(1) as Tab) : 'users';

function Dashboard() {
  const [tab, setTab] = useState<Tab>(tabOf(location.hash));
  useEffect(() => {
    const onHash = () => setTab(tabOf(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const clock = usePoll(() => call<Clock>('GET', '/clock'), 1000);
  const needsToken = clock.error !== undefined && /token/i.test(clock.error);
  return (
    <div class="page">
      <header>
        <h1>OpenRun</h1>
        <nav>
          {TABS.map((t) => (
            <a key={t} href={`#${t}`} class={t === tab ? 'active' : ''} data-testid={`tab-${t}`}>{t}</a>
          ))}
        </nav>
        <ClockBar clock={clock} />
      </header>
      {needsToken ? (
        <form class="token" onSubmit={(e) => { e.preventDefault(); setToken(String(new FormData(e.currentTarget).get('token') ?? '')); clock.reload(); }}>
          The control API needs the token printed by <code>openrun start</code>: <input name="token" /> <button>Use</button>
        </form>
      ) : null}
      <main>
        {tab === 'users' ? <UsersView clock={clock.data} /> : null}
        {tab === 'apps' ? <AppsView /> : null}
        {tab === 'grants' ? <GrantsView /> : null}
        {tab === 'live' ? <LiveView clockMs={clock.data?.nowMs} /> : null}
        {tab === 'requests' ? <RequestsView /> : null}
        {tab === 'functions' ? <FunctionsView /> : null}
        {tab === 'faults' ? <FaultsView /> : null}
      </main>
    </div>
  );
}

render(<Dashboard />, document.getElementById('app')!);
