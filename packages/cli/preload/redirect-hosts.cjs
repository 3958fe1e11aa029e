// OpenRun's Node preload for `openrun exec`: connections to the real WeChat, QQ and TCB API hosts go to OpenRun
// instead, for clients that ignore HTTPS_PROXY. Port 443 goes to OpenRun's TLS port (the server name is kept, so SNI
// routing and certificate checks see the real name); port 80 goes to the platform port. Everything else is untouched.
// Configured by `openrun exec` through OPENRUN_REDIRECT_TLS, OPENRUN_REDIRECT_HTTP (host:port) and
// OPENRUN_REDIRECT_HOSTS (comma-separated names; `*.x` is any name under x).
'use strict';
const net = require('node:net');
const tls = require('node:tls');

function target(value) {
  const m = /^(.+):(\d+)$/.exec(value || '');
  return m ? { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) } : undefined;
}

const tlsTarget = target(process.env.OPENRUN_REDIRECT_TLS);
const httpTarget = target(process.env.OPENRUN_REDIRECT_HTTP);
const patterns = (process.env.OPENRUN_REDIRECT_HOSTS || '').split(',').map((p) => p.trim().toLowerCase()).filter(Boolean);

function served(host) {
  if (typeof host !== 'string') return false;
  const name = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((p) => (p.startsWith('*.') ? name.endsWith(p.slice(1)) : name === p));
}

// The argument shapes of net.connect / tls.connect: (options[, cb]) or (port[, host][, options][, cb]).
function normalize(args) {
  const rest = [...args];
  const cb = typeof rest[rest.length - 1] === 'function' ? rest.pop() : undefined;
  let options;
  if (rest[0] !== null && typeof rest[0] === 'object') options = { ...rest[0] };
  else {
    options = { port: rest[0] };
    if (typeof rest[1] === 'string') options.host = rest[1];
    const extra = rest.find((a, i) => i > 0 && a !== null && typeof a === 'object');
    if (extra) options = { ...extra, ...options };
  }
  return { options, cb };
}

function redirect(args, defaultPort, to, keepServername) {
  if (!to) return undefined;
  const { options, cb } = normalize(args);
  if (options.socket || options.path || !served(options.host)) return undefined;
  if (Number(options.port || defaultPort) !== defaultPort) return undefined;
  const moved = { ...options, host: to.host, port: to.port };
  if (keepServername) moved.servername = options.servername || options.host;
  delete moved.lookup;
  return cb ? [moved, cb] : [moved];
}

if (tlsTarget) {
  const originalTls = tls.connect;
  tls.connect = function connect(...args) {
    return originalTls.apply(this, redirect(args, 443, tlsTarget, true) || args);
  };
}
if (httpTarget) {
  const originalNet = net.connect;
  const patched = function connect(...args) {
    return originalNet.apply(this, redirect(args, 80, httpTarget, false) || args);
  };
  net.connect = patched;
  net.createConnection = patched;
}
