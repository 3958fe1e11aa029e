/**
 * The challenge's state: sessions (token → openid, session_key), team membership and donations (one per user and
 * day; a second donation the same day replaces the first). In memory, as an example; a real app keeps it in a database.
 */
import { randomBytes } from 'node:crypto';

/** The two teams. */
export const TEAMS = /** @type {const} */ ({ red: '红队', blue: '蓝队' });

/**
 * @typedef {keyof typeof TEAMS} TeamId
 * @typedef {{ token: string, openid: string, sessionKey: string, team: TeamId }} Session
 * @typedef {{ openid: string, date: string, steps: number }} Donation
 */

/** Creates an empty store. */
export function createChallengeStore() {
  /** @type {Map<string, Session>} */
  const sessions = new Map();
  /** @type {Map<string, TeamId>} */
  const teamOf = new Map();
  /** @type {Map<string, Donation>} keyed by `${openid}/${date}` */
  const donations = new Map();

  return {
    /** Starts a session for a user who just logged in (and puts them in `team`). @returns {Session} */
    startSession(/** @type {string} */ openid, /** @type {string} */ sessionKey, /** @type {TeamId} */ team) {
      const session = { token: randomBytes(24).toString('base64url'), openid, sessionKey, team };
      sessions.set(session.token, session);
      teamOf.set(openid, team);
      return session;
    },
    /** The session of a bearer token, if any. */
    session(/** @type {string} */ token) {
      return sessions.get(token);
    },
    /** The team of a user, if they ever logged in. */
    teamOf(/** @type {string} */ openid) {
      return teamOf.get(openid);
    },
    /** Records today's donation of a user (replacing an earlier one of the same day). */
    donate(/** @type {Donation} */ donation) {
      donations.set(`${donation.openid}/${donation.date}`, donation);
    },
    /** The teams, best first, each with its members' donations (largest first). */
    leaderboard() {
      const teams = Object.entries(TEAMS).map(([id, name]) => {
        const members = [...donations.values()].filter((d) => teamOf.get(d.openid) === id).sort((a, b) => b.steps - a.steps);
        return { id, name, total: members.reduce((sum, d) => sum + d.steps, 0), members };
      });
      return teams.sort((a, b) => b.total - a.total || a.id.localeCompare(b.id));
    },
  };
}
