/**
 * The in-page authorization sheet, in the style of WeChat's dialog: the mini program's name at the top, what it asks
 * ("获取你的微信运动步数"), and 拒绝 / 允许. Plain DOM in an open shadow root (the page's styles do not reach it);
 * removed when answered.
 */
import type { AuthorizationAnswer, AuthorizationPrompt } from './authorization-prompt.js';

/** What each scope's dialog says it will do. */
const SCOPE_TEXT: Record<string, { weapp: string; qq: string } | string> = {
  'scope.werun': { weapp: '获取你的微信运动步数', qq: '获取你的QQ运动步数' },
  'scope.qqrun': { weapp: '获取你的QQ运动步数', qq: '获取你的QQ运动步数' },
  'scope.userInfo': '获取你的昵称、头像',
  'scope.userLocation': '获取你的位置信息',
  'scope.userLocationBackground': '在后台获取你的位置信息',
  'scope.userFuzzyLocation': '获取你的模糊地理位置',
  'scope.address': '获取你的通讯地址',
  'scope.invoiceTitle': '获取你的发票抬头',
  'scope.invoice': '获取你的发票',
  'scope.record': '使用你的麦克风',
  'scope.writePhotosAlbum': '保存图片或视频到你的相册',
  'scope.camera': '使用你的摄像头',
  'scope.bluetooth': '使用你的蓝牙',
};

/** The sentence the dialog shows for a scope. */
export function scopeDescription(prompt: Pick<AuthorizationPrompt, 'scope' | 'platform'>): string {
  const text = SCOPE_TEXT[prompt.scope];
  if (text === undefined) return `使用 ${prompt.scope}`;
  return typeof text === 'string' ? text : text[prompt.platform];
}

const STYLE = `
:host { all: initial; }
.mask { position: fixed; inset: 0; z-index: 2147483600; background: rgba(0, 0, 0, .5); display: flex; align-items: flex-end;
  justify-content: center; font: 16px/1.4 -apple-system, "PingFang SC", "Helvetica Neue", "Microsoft YaHei", sans-serif; }
.sheet { width: 100%; max-width: 560px; box-sizing: border-box; background: #fff; border-radius: 12px 12px 0 0;
  padding: 24px 24px calc(24px + env(safe-area-inset-bottom)); color: rgba(0, 0, 0, .9); }
.app { display: flex; align-items: center; gap: 8px; font-size: 15px; }
.icon { width: 24px; height: 24px; border-radius: 50%; background: #07c160; color: #fff; font-size: 13px;
  display: flex; align-items: center; justify-content: center; flex: none; }
.app .ask { color: rgba(0, 0, 0, .5); }
h2 { margin: 20px 0 32px; font-size: 17px; font-weight: 600; }
.buttons { display: flex; gap: 16px; justify-content: center; }
button { width: 128px; height: 40px; border: 0; border-radius: 8px; font: inherit; font-weight: 600; cursor: pointer; }
.deny { background: #f2f2f2; color: #07c160; }
.allow { background: #07c160; color: #fff; }
`;

/**
 * Shows the sheet in `document` and resolves with the user's answer (允许 → accept, 拒绝 → deny).
 * @example const answer = await showAuthorizationSheet({ api: 'getWeRunData', scope: 'scope.werun', appName: '步数挑战', platform: 'weapp' })
 */
export function showAuthorizationSheet(prompt: AuthorizationPrompt, doc: Document = document): Promise<AuthorizationAnswer> {
  return new Promise((resolve) => {
    const host = doc.createElement('openrun-authorization');
    host.setAttribute('data-scope', prompt.scope);
    const root = host.attachShadow({ mode: 'open' });
    const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] => {
      const node = doc.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined) node.textContent = text;
      return node;
    };
    const style = el('style', '', STYLE);
    const mask = el('div', 'mask');
    const sheet = el('div', 'sheet');
    sheet.setAttribute('role', 'dialog');
    sheet.setAttribute('aria-modal', 'true');
    const title = scopeDescription(prompt);
    sheet.setAttribute('aria-label', `${prompt.appName} 申请 ${title}`);
    const app = el('div', 'app');
    app.append(el('span', 'icon', Array.from(prompt.appName)[0] ?? '小'), el('span', 'name', prompt.appName), el('span', 'ask', '申请'));
    const buttons = el('div', 'buttons');
    const deny = el('button', 'deny', '拒绝');
    const allow = el('button', 'allow', '允许');
    deny.type = allow.type = 'button';
    buttons.append(deny, allow);
    sheet.append(app, el('h2', '', title), buttons);
    mask.append(sheet);
    root.append(style, mask);
    const answer = (choice: AuthorizationAnswer) => () => {
      host.remove();
      resolve(choice);
    };
    deny.addEventListener('click', answer('deny'), { once: true });
    allow.addEventListener('click', answer('accept'), { once: true });
    doc.body.append(host);
    allow.focus();
  });
}
