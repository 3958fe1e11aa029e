/**
 * Start-up values are errors that name the variable, never silently ignored: OPENRUN_MEMORY=yes means yes; a scenario
 * user whose id was chosen is nicknamed by that id.
 */
import { buildPlatform, envFlag, resolveConfig } from '@openrun/platform';
import { expect, it } from 'vitest';

const TOKEN = 'orctl_test';
const AUTH = { authorization: `Bearer ${TOKEN}` };

it('OPENRUN_MEMORY accepts yes/true/1/on and no/false/0/off, and refuses anything else by name', () => {
  for (const v of ['yes', 'YES', 'true', '1', 'on']) expect(resolveConfig({}, { OPENRUN_MEMORY: v }).memory, v).toBe(true);
  for (const v of ['no', 'false', '0', 'off', ' ']) expect(resolveConfig({}, { OPENRUN_MEMORY: v }).memory, v).toBe(false);
  expect(() => resolveConfig({}, { OPENRUN_MEMORY: 'maybe' })).toThrow('[openrun] OPENRUN_MEMORY="maybe" is not on or off: use 1, true, yes or on (or 0, false, no, off)');
  expect(() => envFlag({ OPENRUN_LOG: 'loud' }, 'OPENRUN_LOG')).toThrow(/OPENRUN_LOG="loud"/);
});

it('a scenario user with id alice is nicknamed alice; a generated id still gets user-<last 4>', async () => {
  const app = buildPlatform({ memory: true, controlToken: TOKEN });
  try {
    const r = await app.inject({ method: 'POST', url: '/openrun/control/v1/scenario', headers: AUTH, payload: { users: [{ id: 'alice' }, { nickname: 'Bob' }, {}] } });
    expect(r.statusCode, r.body).toBe(200);
    const users = r.json<{ users: { id: string; nickname: string }[] }>().users;
    expect(users[0]!.nickname).toBe('alice');
    expect(users[1]!.nickname).toBe('Bob');
    expect(users[2]!.nickname).toBe(`user-${users[2]!.id.slice(-4)}`);
  } finally {
    await app.close();
  }
});
