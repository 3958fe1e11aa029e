/**
 * The clock controls: platform time, freeze/run, advance 5 minutes or 1 day.
 */
import { formatChinaTime } from '@openrun/core';
import { call, type Clock } from '../api.js';
import type { Polled } from '../use-poll.js';

/** Props: the polled clock. */
export interface ClockBarProps {
  clock: Polled<Clock>;
}

/** Shows and changes the platform clock. */
export function ClockBar({ clock }: ClockBarProps) {
  const c = clock.data;
  const act = (method: string, path: string, body: unknown) => () => void call(method, path, body).then(clock.reload);
  const china = c ? formatChinaTime(c.nowMs) : '…';
  return (
    <div class="clock" data-testid="clock">
      <span class="clock-now" data-testid="clock-now" title={c?.now}>
        {china} <small>China time</small>
      </span>
      <span class={c?.frozen ? 'badge frozen' : 'badge running'} data-testid="clock-state">{c?.frozen ? 'frozen' : 'running'}</span>
      <button data-testid="clock-freeze" onClick={act('PUT', '/clock', { frozen: !c?.frozen })}>{c?.frozen ? 'Run' : 'Freeze'}</button>
      <button data-testid="clock-5m" onClick={act('POST', '/clock/advance', { seconds: 300 })}>+5 min</button>
      <button data-testid="clock-1d" onClick={act('POST', '/clock/advance', { seconds: 86_400 })}>+1 day</button>
    </div>
  );
}
