/**
 * Users: pick one to see the 31-day step chart and edit any day in place (the chart redraws), or the user's settings.
 */
import { useState } from 'preact/hooks';
import { call, type Clock, type Day, type User } from '../api.js';
import { StepChart } from '../step-chart.js';
import { usePoll } from '../use-poll.js';

/** Props: the clock, so the window follows platform time. */
export interface UsersViewProps {
  clock: Clock | undefined;
}

/** The users list and the selected user's history. */
export function UsersView({ clock }: UsersViewProps) {
  const users = usePoll(() => call<{ users: User[] }>('GET', '/users'), 0);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const user = users.data?.users.find((u) => u.id === selected) ?? users.data?.users[0];
  return (
    <section class="split">
      <ul class="list" data-testid="users">
        {users.data?.users.map((u) => (
          <li key={u.id} class={u.id === user?.id ? 'active' : ''} data-testid={`user-${u.id}`} onClick={() => setSelected(u.id)}>
            {u.nickname} <small>{u.id}</small>
          </li>
        ))}
      </ul>
      {user ? <UserDetail user={user} clockMs={clock?.nowMs} onChange={users.reload} /> : <p>No users yet.</p>}
    </section>
  );
}

function UserDetail({ user, clockMs, onChange }: { user: User; clockMs: number | undefined; onChange: () => void }) {
  const steps = usePoll(() => call<{ days: Day[] }>('GET', `/users/${user.id}/steps`), 0, `${user.id} ${clockMs}`);
  const days = steps.data?.days ?? [];
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const save = (date: string, value: string) => {
    setEditing(undefined);
    void call('PUT', `/users/${user.id}/steps`, { days: [{ date, steps: Number(value) }] }).then(
      () => (setError(undefined), steps.reload()),
      (e: Error) => setError(e.message),
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
              <b data-testid={`steps-${d.date}`} title="click to edit" onClick={() => setEditing(d.date)}>{d.steps}</b>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}
