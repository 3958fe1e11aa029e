/**
 * The optional dev overlay (a small box in a corner: who holds the device, a switch among the platform's users) and
 * the notice an unknown `?openrun_user=` gets. Plain DOM in a shadow root, so the app's styles do not reach it.
 */
import { USER_PARAM, USER_STORAGE_KEY, type BrowserUser } from './browser-user.js';

const OVERLAY_STYLE = `
:host { all: initial; }
.box { position: fixed; right: 8px; bottom: 8px; z-index: 2147483000; font: 12px/1.4 -apple-system, "PingFang SC", sans-serif;
  background: rgba(17, 17, 17, .82); color: #fff; border-radius: 8px; padding: 6px 8px; display: flex; gap: 6px; align-items: center; }
.box b { color: #07c160; font-weight: 600; }
select { font: inherit; max-width: 180px; }
.notice { position: fixed; left: 0; right: 0; top: 0; z-index: 2147483001; background: #fa5151; color: #fff;
  font: 14px/1.5 -apple-system, "PingFang SC", sans-serif; padding: 10px 14px; }
`;

function host(document: Document, name: string): ShadowRoot {
  const element = document.createElement('openrun-taro');
  element.setAttribute('data-openrun', name);
  const root = element.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = OVERLAY_STYLE;
  root.append(style);
  document.body.append(element);
  return root;
}

/** Shows who holds the device and, where the platform lists users, a select that switches (and reloads the page). */
export function mountDevOverlay(document: Document, current: BrowserUser, appid: string): void {
  const root = host(document, 'overlay');
  const box = document.createElement('div');
  box.className = 'box';
  const label = document.createElement('span');
  label.append('OpenRun ');
  const who = document.createElement('b');
  who.setAttribute('data-testid', 'openrun-user');
  who.textContent = current.user ? `${current.user.nickname} (${current.user.id})` : `device ${current.deviceToken.slice(0, 10)}…`;
  label.append(who, ` · ${appid}`);
  box.append(label);
  if (current.users && current.users.length > 1) {
    const select = document.createElement('select');
    select.setAttribute('aria-label', 'switch OpenRun user');
    for (const user of current.users) {
      const option = document.createElement('option');
      option.value = user.id;
      option.textContent = `${user.nickname} (${user.id})`;
      option.selected = user.deviceToken === current.deviceToken;
      select.append(option);
    }
    select.addEventListener('change', () => switchUser(document, select.value));
    box.append(select);
  }
  root.append(box);
}

/** Shows a notice across the top of the page (an unknown `openrun_user`, an unreachable platform). */
export function showNotice(document: Document, message: string): void {
  const root = host(document, 'notice');
  const notice = document.createElement('div');
  notice.className = 'notice';
  notice.setAttribute('role', 'alert');
  notice.textContent = `[openrun] ${message}`;
  root.append(notice);
}

function switchUser(document: Document, id: string): void {
  const window = document.defaultView;
  if (!window) return;
  try {
    window.sessionStorage.setItem(USER_STORAGE_KEY, id);
    window.localStorage.setItem(USER_STORAGE_KEY, id);
  } catch {
    // storage disabled: the URL parameter below still switches
  }
  const url = new URL(window.location.href);
  url.searchParams.set(USER_PARAM, id);
  window.location.replace(url.toString());
}
