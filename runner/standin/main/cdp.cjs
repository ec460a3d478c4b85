'use strict';
// Minimal Chrome DevTools Protocol client over Chromium's --remote-debugging-pipe (fd 3 = our
// commands, fd 4 = its replies and events, messages separated by NUL). Chromium listens on no
// port: Playwright's connection is relayed onto this pipe by debug-endpoints.cjs (an interceptor
// takes the relayed replies and events before the stand-in sees them).
const { EventEmitter } = require('node:events');

const SCRIPT_PARSED = '{"method":"Debugger.scriptParsed"';

class CdpPipe extends EventEmitter {
  constructor(writable, readable) {
    super();
    this.setMaxListeners(0);
    this._out = writable;
    this._nextId = 1;
    this._pending = new Map();
    this._buffer = '';
    this._interceptors = [];
    this.closed = false;
    readable.setEncoding('utf8');
    readable.on('data', (chunk) => this._onData(chunk));
    readable.on('close', () => this._onClose());
    readable.on('error', () => this._onClose());
    writable.on('error', () => this._onClose());
  }

  _onData(chunk) {
    let start = 0;
    let end;
    while ((end = chunk.indexOf('\0', start)) !== -1) {
      const text = this._buffer + chunk.slice(start, end);
      this._buffer = '';
      start = end + 1;
      // With Debugger enabled (blocking renderer calls), every script Chromium compiles, including
      // each Runtime.callFunctionOn the stand-in sends, comes back as a scriptParsed event nobody
      // reads: skipped before parsing, they cost nothing on the IPC hot path.
      if (text.startsWith(SCRIPT_PARSED)) continue;
      this._dispatch(JSON.parse(text));
    }
    this._buffer += chunk.slice(start);
  }

  _dispatch(msg) {
    for (const take of this._interceptors) if (take(msg)) return;
    if (msg.id !== undefined) {
      const p = this._pending.get(msg.id);
      if (!p) return;
      this._pending.delete(msg.id);
      if (msg.error) p.reject(Object.assign(new Error(`${p.method}: ${msg.error.message}`), { cdp: msg.error }));
      else p.resolve(msg.result);
      return;
    }
    // Commands in flight on a session whose target went away get no answer from Chromium: they
    // fail now, so nobody awaits a window that is gone (and the map does not keep them).
    if (msg.method === 'Target.detachedFromTarget' && msg.params && msg.params.sessionId) this._failSession(msg.params.sessionId);
    // Events are emitted as (method, params, sessionId) on the connection.
    this.emit('event', msg.method, msg.params, msg.sessionId);
  }

  _failSession(sessionId) {
    for (const [id, p] of this._pending) {
      if (p.sessionId !== sessionId) continue;
      this._pending.delete(id);
      p.reject(new Error(`${p.method}: the target went away (session detached)`));
    }
  }

  _onClose() {
    if (this.closed) return;
    this.closed = true;
    for (const p of this._pending.values()) p.reject(new Error(`${p.method}: browser connection closed`));
    this._pending.clear();
    this.emit('close');
  }

  /** Sends a command; commands on one session are processed by Chromium in the order sent. */
  send(method, params = {}, sessionId) {
    if (this.closed) return Promise.reject(new Error(`${method}: browser connection closed`));
    const id = this._nextId++;
    const msg = { id, method, params };
    if (sessionId) msg.sessionId = sessionId;
    this._out.write(JSON.stringify(msg) + '\0');
    return new Promise((resolve, reject) => this._pending.set(id, { resolve, reject, method, sessionId }));
  }

  /** `take(msg)` sees every message first; returning true consumes it. Returns the remover. */
  addInterceptor(take) {
    this._interceptors.push(take);
    return () => { this._interceptors = this._interceptors.filter((t) => t !== take); };
  }

  /** Writes a message as is (a relayed client's command, with ids the interceptor maps back). */
  sendRaw(msg) {
    if (!this.closed) this._out.write(JSON.stringify(msg) + '\0');
  }

  /** Fire-and-forget command (errors ignored): used for renderer dispatches on hot paths. */
  post(method, params, sessionId) {
    this.send(method, params, sessionId).catch(() => {});
  }
}

module.exports = { CdpPipe };
