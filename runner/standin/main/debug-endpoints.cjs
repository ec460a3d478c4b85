'use strict';
// The stand-in's two debug endpoints, the ones Playwright's `_electron.launch` reads from stderr
// ("Debugger listening on ws://..." and "DevTools listening on ws://..."), without opening what
// Electron opens: no Node inspector port and no Chromium DevTools port that another local user
// could attach to (both are unauthenticated and answer /json discovery to anyone on loopback).
//
// Instead one loopback WebSocket server, private to this process, serves two paths that each carry
// a fresh 128-bit random token. The token is only ever written to our stderr (a pipe Playwright
// holds), never to argv or the environment (both readable in /proc). A request for any other path,
// and any plain HTTP request (/json, /json/version), gets a bare 404 before a single command runs;
// each endpoint accepts one client (Playwright) and then refuses further connections.
// - Node: an in-process `inspector.Session` (node:inspector), relayed message by message.
// - Chromium: Playwright's connection is multiplexed onto the stand-in's private
//   --remote-debugging-pipe as a separate browser session (`Target.attachToBrowserTarget`), so
//   Chromium itself listens on no port at all.
const http = require('node:http');
const crypto = require('node:crypto');
const { WebSocketServer } = require('ws');

// Ids of the relayed browser connection's commands on the shared pipe: far above the stand-in's own
// (CDP ids are 32-bit integers).
const RELAY_ID_BASE = 2 ** 30;

function sameToken(a, b) {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Starts the guarded server. `routes` maps a name to `{ path, onClient(ws) }`; resolves to
 * `{ url(name), close() }` once listening on 127.0.0.1:`port` (0 = any free port).
 */
function startGuardedServer(port, routes) {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 512 * 1024 * 1024 });
  const taken = new Set();
  const server = http.createServer((req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
  server.on('upgrade', (req, socket, head) => {
    const route = Object.entries(routes).find(([, r]) => sameToken(req.url, r.path));
    if (!route || taken.has(route[0])) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    taken.add(route[0]);
    wss.handleUpgrade(req, socket, head, (ws) => route[1].onClient(ws));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(port) || 0, '127.0.0.1', () => {
      server.unref();
      const { port: bound } = server.address();
      resolve({
        url: (name) => `ws://127.0.0.1:${bound}${routes[name].path}`,
        close: () => { for (const c of wss.clients) c.terminate(); server.close(); },
      });
    });
  });
}

/** Relays one WebSocket client to an in-process Node inspector session. */
function relayInspector(ws) {
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connect();
  session.on('inspectorNotification', (msg) => { if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg)); });
  ws.on('message', (data) => {
    let msg;
    try { msg = JSON.parse(String(data)); } catch { return; }
    if (!msg || typeof msg.method !== 'string') return;
    session.post(msg.method, msg.params || {}, (err, result) => {
      if (ws.readyState !== ws.OPEN) return;
      if (err) {
        // node:inspector reports "Inspector error <code>: <message>"; CDP clients expect the parts.
        const m = /Inspector error (-?\d+): ([\s\S]*)/.exec(err.message);
        ws.send(JSON.stringify({ id: msg.id, error: { code: m ? Number(m[1]) : -32000, message: m ? m[2] : err.message } }));
      } else {
        ws.send(JSON.stringify({ id: msg.id, result: result || {} }));
      }
    });
  });
  ws.on('close', () => { try { session.disconnect(); } catch { /* already gone */ } });
}

/**
 * Relays one WebSocket client to Chromium as its own browser session on the private pipe. The
 * client's session-less commands go to that browser session; it may use the sessions attached
 * through it (and only those); their replies and events come back, nothing of the stand-in's own.
 */
function relayBrowser(ws, cdp) {
  let nextId = RELAY_ID_BASE;
  const pendingIds = new Map(); // pipe id -> client id
  const owned = new Set();
  let rootSession;
  const queued = [];
  const toClient = (msg) => { if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg)); };
  const forward = (msg) => {
    const sessionId = msg.sessionId === undefined ? rootSession : msg.sessionId;
    if (!owned.has(sessionId)) {
      toClient({ id: msg.id, error: { code: -32001, message: `Session with given id not found.` }, sessionId: msg.sessionId });
      return;
    }
    const id = nextId++;
    pendingIds.set(id, msg.id);
    cdp.sendRaw({ id, method: msg.method, params: msg.params || {}, sessionId });
  };
  const release = cdp.addInterceptor((msg) => {
    if (msg.id !== undefined) {
      if (!pendingIds.has(msg.id)) return false;
      const clientId = pendingIds.get(msg.id);
      pendingIds.delete(msg.id);
      const out = { ...msg, id: clientId };
      if (out.sessionId === rootSession) delete out.sessionId;
      toClient(out);
      return true;
    }
    if (msg.sessionId === undefined || !owned.has(msg.sessionId)) return false;
    if (msg.method === 'Target.attachedToTarget') owned.add(msg.params.sessionId);
    const out = { ...msg };
    if (out.sessionId === rootSession) delete out.sessionId;
    toClient(out);
    if (msg.method === 'Target.detachedFromTarget') owned.delete(msg.params.sessionId);
    return true;
  });
  const closeClient = () => { if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(); };
  cdp.once('close', closeClient);
  cdp.send('Target.attachToBrowserTarget', {}).then(({ sessionId }) => {
    rootSession = sessionId;
    owned.add(sessionId);
    for (const msg of queued.splice(0)) forward(msg);
  }, closeClient);
  ws.on('message', (data) => {
    let msg;
    try { msg = JSON.parse(String(data)); } catch { return; }
    if (!msg || typeof msg.method !== 'string') return;
    if (rootSession === undefined) queued.push(msg);
    else forward(msg);
  });
  ws.on('close', () => {
    release();
    cdp.off('close', closeClient);
    if (rootSession !== undefined && !cdp.closed) cdp.post('Target.detachFromTarget', { sessionId: rootSession });
  });
}

/**
 * Opens the endpoints Playwright asked for (`--inspect[=port]` and/or `--remote-debugging-port`)
 * and prints their listening lines. Resolves once both lines are on stderr.
 */
async function openDebugEndpoints({ inspectPort, devtoolsPort, cdp }) {
  const routes = {};
  const token = () => crypto.randomBytes(16).toString('hex');
  if (inspectPort !== undefined) routes.node = { path: `/${token()}`, onClient: relayInspector };
  if (devtoolsPort !== undefined && cdp) routes.browser = { path: `/devtools/browser/${token()}`, onClient: (ws) => relayBrowser(ws, cdp) };
  if (!routes.node && !routes.browser) return undefined;
  // Both on one server: Playwright passes port 0 for both; a manual fixed --inspect port wins.
  const server = await startGuardedServer(inspectPort !== undefined ? inspectPort : devtoolsPort, routes);
  if (routes.node) process.stderr.write(`Debugger listening on ${server.url('node')}\nFor help, see: https://nodejs.org/en/docs/inspector\n`);
  if (routes.browser) process.stderr.write(`\nDevTools listening on ${server.url('browser')}\n`);
  return server;
}

module.exports = { openDebugEndpoints };
