/**
 * Users: search, add, delete and page through them; pick one to see the 31-day step chart and edit any day in place
 * (the chart redraws), or the user's settings.
 */
import { useRef, useState } from 'preact/hooks';
import { call, type Clock, type Day, type User } from '../api.js';
import { StepChart } from '../step-chart.js';
import { usePoll } from '../use-poll.js';

/** Props: the clock, so the window follows platform time. */
export interface UsersViewProps {
  clock: Clock | undefined;
}

/** Users per page of the list (the control API pages; 2,000+ users never arrive as one list). */
const PAGE_SIZE = 50;
/** The most steps a day may hold (the control API's limit). */
const MAX_DAY_STEPS = 1_000_000;

/** The users list (search, add, delete, pages) and the selected user's history. */
export function UsersView({ clock }: UsersViewProps) {
  const [search, setSearch] = useState('');
  // Cursors of the pages before the current one; the current page's cursor is the last (undefined: the first page).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(search ? { q: search } : {}), ...(cursor ? { cursor } : {}) });
  const users = usePoll(() => call<{ users: User[]; nextCursor?: string }>('GET', `/users?${query}`), 0, query.toString());
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [newName, setNewName] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const list = users.data?.users ?? [];
  const user = list.find((u) => u.id === selected) ?? (selected === undefined ? list[0] : undefined) ?? list[0];
  // The search as typed, read when an add finishes (the closure's `search` is the one from the click).
  const typed = useRef(search);
  const onSearch = (value: string) => {
    typed.current = value;
    setSearch(value);
    setCursors([undefined]);
  };
  const add = () => {
    const searchAtClick = typed.current;
    void call<User>('POST', '/users', newName.trim() ? { nickname: newName.trim() } : {}).then(
      (u) => {
        setNewName('');
        setError(undefined);
        setSelected(u.id);
        // Show the new user by clearing the search, unless a search was typed while the add was on its way.
        if (typed.current === searchAtClick) onSearch('');
        users.reload();
      },
      (e: Error) => setError(e.message),
    );
  };
  const remove = (u: User) => {
    if (!confirm(`Delete ${u.nickname} (${u.id}) with the step history, openids, sessions and grants?`)) return;
    void call('DELETE', `/users/${encodeURIComponent(u.id)}`).then(
      () => (setSelected(undefined), setError(undefined), users.reload()),
      (e: Error) => setError(e.message),
    );
  };
  return (
    <section class="split">
      <div class="list-pane">
        <input type="search" placeholder="search id, nickname or device token" value={search} data-testid="user-search" onInput={(e) => onSearch(e.currentTarget.value)} />
        <form class="toolbar" onSubmit={(e) => (e.preventDefault(), add())}>
          <input placeholder="nickname of a new user" value={newName} data-testid="user-new-nickname" onInput={(e) => setNewName(e.currentTarget.value)} />
          <button data-testid="user-add">Add user</button>
        </form>
        {error ? <p class="error" data-testid="users-error">{error}</p> : null}
        <ul class="list" data-testid="users">
          {list.map((u) => (
            <li key={u.id} class={u.id === user?.id ? 'active' : ''} data-testid={`user-${u.id}`} onClick={() => setSelected(u.id)}>
              <button class="delete" title="delete this user" data-testid={`user-delete-${u.id}`} onClick={(e) => (e.stopPropagation(), remove(u))}>×</button>
              {u.nickname} <small>{u.id}</small>
            </li>
          ))}
          {users.data && list.length === 0 ? <li data-testid="users-empty">{search ? `No user starts with "${search}".` : 'No users yet.'}</li> : null}
        </ul>
        <div class="pager">
          <button data-testid="users-prev" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>‹ Previous</button>
          <small data-testid="users-page">page {cursors.length}</small>
          <button data-testid="users-next" disabled={!users.data?.nextCursor} onClick={() => setCursors([...cursors, users.data!.nextCursor])}>Next ›</button>
        </div>
      </div>
      {user ? <UserDetail user={user} clockMs={clock?.nowMs} onChange={users.reload} /> : <p>No user selected.</p>}
    </section>
  );
}

function UserDetail({ user, clockMs, onChange }: { user: User; clockMs: number | undefined; onChange: () => void }) {
  const steps = usePoll(() => call<{ days: Day[] }>('GET', `/users/${user.id}/steps`), 0, `${user.id} ${clockMs}`);
  const days = steps.data?.days ?? [];
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  // Enter saves and closes the input, and closing it fires blur: `open` makes that one save, not two.
  const open = useRef<string | undefined>(undefined);
  const startEditing = (date: string) => {
    open.current = date;
    setEditing(date);
  };
  const save = (date: string, value: string) => {
    if (open.current !== date) return;
    open.current = undefined;
    setEditing(undefined);
    const text = value.trim();
    if (!/^\d+$/.test(text) || Number(text) > MAX_DAY_STEPS) {
      setError(`Steps on ${date} are a whole number from 0 to ${MAX_DAY_STEPS.toLocaleString('en')}; "${value}" was not saved.`);
      return;
    }
    void call('PUT', `/users/${user.id}/steps`, { days: [{ date, steps: Number(text) }] }).then(
      () => (setError(undefined), steps.reload()),
      (e: Error) => setError(`Steps on ${date} were not saved: ${e.message}`),
    );
  };
  const patch = (body: Partial<User>) => void call('PATCH', `/users/${user.id}`, body).then(onChange, (e: Error) => setError(e.message));
  const generate = () => void call('POST', `/users/${user.id}/steps/generate`, { days: 60 }).then(steps.reload);
  return (
    <div class="detail">
      <h2>
        <input class="title" value={user.nickname} data-testid="nickname" onChange={(e) => patch({ nickname: e.currentTarget.value })} />
      </h2>
      <p class="settings">
        <label><input type="checkbox" checked={user.werunEnabled} onChange={(e) => patch({ werunEnabled: e.currentTarget.checked })} /> WeRun enabled</label>
        <label><input type="checkbox" checked={user.hasStepCounter} onChange={(e) => patch({ hasStepCounter: e.currentTarget.checked })} /> step counter</label>
        <label>dialog answer{' '}
          <select data-testid="prompt-answer" value={user.promptAnswer} onChange={(e) => patch({ promptAnswer: e.currentTarget.value as User['promptAnswer'] })}>
            <option value="accept">accept</option>
            <option value="deny">deny</option>
            <option value="ask">ask on the device</option>
          </select>
        </label>
        <button onClick={generate}>Generate 60 days</button>
      </p>
      <p><small>device token <code>{user.deviceToken}</code></small></p>
      {error ? <p class="error" data-testid="user-error">{error}</p> : null}
      <StepChart days={days} />
      <div class="days" data-testid="days">
        {days.map((d) => (
          <div class="day" key={d.date}>
            <span>{d.date.slice(5)}</span>
            {editing === d.date ? (
              <input
                autoFocus
                class="short"
                type="number"
                data-testid={`steps-input-${d.date}`}
                defaultValue={String(d.steps)}
                onBlur={(e) => save(d.date, e.currentTarget.value)}
                onKeyDown={(e) => e.key === 'Enter' && save(d.date, e.currentTarget.value)}
              />
            ) : (
              <b data-testid={`steps-${d.date}`} title="click to edit" onClick={() => startEditing(d.date)}>{d.steps}</b>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}
