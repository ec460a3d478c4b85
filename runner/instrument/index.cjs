'use strict';
// Conform's instrumentation hook. Loaded into the app's main process with `-r` before the app's
// own code. It only observes: it wraps ipcMain registration, handler calls, webContents.send and
// window creation, and keeps what it saw in `globalThis.__conform`, which the runner drains
// through Playwright's `app.evaluate`. The app's behaviour must stay the same: wrappers call the
// original with the original `this`, return the original value/promise and rethrow errors.
const { encodeValue } = require('./codec.cjs');

if (!globalThis.__conform) {
  const electron = require('electron');
  const t0 = process.hrtime.bigint();
  /** Monotonic milliseconds since the hook loaded (hrtime, not the wall clock). */
  const now = () => Number(process.hrtime.bigint() - t0) / 1e6;
  const MAX_OBSERVATIONS = 200000;
  const observations = [];
  let seq = 0;
  let dropped = 0;
  let nextCallId = 1;
  // Values leave main unredacted (only to Conform's own process, over Playwright's guarded
  // connection): Conform redacts everything it writes out (specs/redact.ts) and needs the secret
  // values themselves to scrub them from free text (rejection messages, stderr) as well.
  const encode = (v) => {
    try { return encodeValue(v, { redact: false }); } catch (e) { return { $conform: 'unreadable', reason: String(e && e.message) }; }
  };
  function record(obs) {
    obs.seq = ++seq;
    obs.t = now();
    observations.push(obs);
    if (observations.length > MAX_OBSERVATIONS) {
      observations.splice(0, observations.length - MAX_OBSERVATIONS);
      dropped++;
    }
    return obs;
  }
  const errorInfo = (err) => {
    if (err instanceof Error) return { name: err.name, message: String(err.message), string: String(err), isError: true };
    let string;
    try { string = String(err); } catch { string = '[unprintable]'; }
    return { name: typeof err, message: string, string, isError: false, value: encode(err) };
  };
  // Only the sender's id per call (the URL of each webContents is in its 'load' records): every
  // byte here is paid again by each drain.
  const senderInfo = (event) => {
    try {
      return { webContentsId: event && event.sender ? event.sender.id : undefined };
    } catch { return {}; }
  };

  // ---------------------------------------------------------------- console
  // With Playwright attached, Node mirrors every console call in main to the inspector as a small
  // websocket frame. That socket does not disable Nagle's algorithm, so the next app.evaluate
  // answer queued behind such frames waits for a delayed ACK (~40 ms per drain after an app logs,
  // e.g. Electron's "Error occurred in handler" line for each rejected invoke). The runner reads
  // main's output from stdout/stderr, so console keeps writing there, exactly as before, and only
  // the mirror stops. CONFORM_INSPECTOR_CONSOLE=1 keeps it (for `electronApp.on('console')`).
  if (!process.env.CONFORM_INSPECTOR_CONSOLE && process.stdout && process.stderr) {
    try {
      const plain = new (require('node:console').Console)({ stdout: process.stdout, stderr: process.stderr });
      for (const k of Object.keys(plain)) {
        if (typeof plain[k] === 'function' && typeof console[k] === 'function') console[k] = plain[k];
      }
    } catch { /* keep the original console */ }
  }

  // ---------------------------------------------------------------- ipcMain
  const ipcMain = electron.ipcMain;
  const wrappedListeners = new WeakMap(); // original listener -> Map(channel -> wrapper)

  function wrapHandler(channel, api, fn) {
    return function conformHandler(event, ...args) {
      const callId = nextCallId++;
      record({ kind: 'handler-call', api, channel, callId, args: encode(args), sender: senderInfo(event) });
      const t1 = now();
      let result;
      try {
        result = fn.call(this, event, ...args);
      } catch (err) {
        record({ kind: 'handler-settle', channel, callId, ok: false, error: errorInfo(err), ms: now() - t1 });
        throw err;
      }
      if (result && typeof result.then === 'function') {
        Promise.resolve(result).then(
          (value) => record({ kind: 'handler-settle', channel, callId, ok: true, value: encode(value), ms: now() - t1 }),
          (err) => record({ kind: 'handler-settle', channel, callId, ok: false, error: errorInfo(err), ms: now() - t1 }),
        );
      } else {
        record({ kind: 'handler-settle', channel, callId, ok: true, value: encode(result), ms: now() - t1 });
      }
      return result;
    };
  }

  function wrapListener(channel, api, listener) {
    let perChannel = wrappedListeners.get(listener);
    if (!perChannel) wrappedListeners.set(listener, (perChannel = new Map()));
    if (perChannel.has(channel)) return perChannel.get(channel);
    const wrapper = function conformListener(event, ...args) {
      record({ kind: 'listener-call', api, channel, args: encode(args), sender: senderInfo(event) });
      if (event && typeof event.reply === 'function' && !event.reply.__conform) {
        const reply = event.reply;
        const wrappedReply = function (replyChannel, ...replyArgs) {
          record({ kind: 'send', api: 'event.reply', channel: replyChannel, args: encode(replyArgs), webContentsId: senderInfo(event).webContentsId });
          return reply.call(this, replyChannel, ...replyArgs);
        };
        wrappedReply.__conform = true;
        try { event.reply = wrappedReply; } catch { /* read-only event: leave it */ }
      }
      try {
        return listener.call(this, event, ...args);
      } catch (err) {
        record({ kind: 'listener-error', channel, error: errorInfo(err) });
        throw err;
      }
    };
    perChannel.set(channel, wrapper);
    return wrapper;
  }
  const lookupWrapper = (channel, listener) => {
    const perChannel = listener ? wrappedListeners.get(listener) : undefined;
    return (perChannel && perChannel.get(channel)) || listener;
  };

  if (ipcMain && !ipcMain.__conform) {
    const orig = {};
    for (const name of ['handle', 'handleOnce', 'removeHandler', 'on', 'addListener', 'once', 'prependListener',
      'prependOnceListener', 'off', 'removeListener', 'removeAllListeners']) {
      if (typeof ipcMain[name] === 'function') orig[name] = ipcMain[name];
    }
    const define = (name, fn) => { if (orig[name]) ipcMain[name] = fn; };
    define('handle', function (channel, fn) {
      record({ kind: 'register', api: 'handle', channel });
      return orig.handle.call(this, channel, typeof fn === 'function' ? wrapHandler(channel, 'handle', fn) : fn);
    });
    define('handleOnce', function (channel, fn) {
      record({ kind: 'register', api: 'handleOnce', channel });
      return orig.handleOnce.call(this, channel, typeof fn === 'function' ? wrapHandler(channel, 'handleOnce', fn) : fn);
    });
    define('removeHandler', function (channel) {
      record({ kind: 'unregister', api: 'handle', channel });
      return orig.removeHandler.call(this, channel);
    });
    for (const name of ['on', 'addListener', 'prependListener']) {
      define(name, function (channel, listener) {
        record({ kind: 'register', api: 'on', channel });
        return orig[name].call(this, channel, typeof listener === 'function' ? wrapListener(channel, 'on', listener) : listener);
      });
    }
    for (const name of ['once', 'prependOnceListener']) {
      define(name, function (channel, listener) {
        record({ kind: 'register', api: 'once', channel });
        return orig[name].call(this, channel, typeof listener === 'function' ? wrapListener(channel, 'once', listener) : listener);
      });
    }
    for (const name of ['off', 'removeListener']) {
      define(name, function (channel, listener) {
        record({ kind: 'unregister', api: 'on', channel });
        return orig[name].call(this, channel, lookupWrapper(channel, listener));
      });
    }
    define('removeAllListeners', function (channel) {
      record({ kind: 'unregister', api: 'on', channel: channel === undefined ? '*' : channel });
      return orig.removeAllListeners.apply(this, arguments);
    });
    try { Object.defineProperty(ipcMain, '__conform', { value: true }); } catch { /* frozen */ }
  }

  // ---------------------------------------------------------------- windows and sends
  const windows = new Map(); // webContents id -> window record
  const wrappedContents = new WeakSet();
  // Electron's defaults (sandbox: on since Electron 20 unless nodeIntegration is on).
  function effectivePosture(wp) {
    const p = wp || {};
    const nodeIntegration = p.nodeIntegration === true;
    return {
      contextIsolation: p.contextIsolation !== false,
      sandbox: p.sandbox !== undefined ? p.sandbox === true : !nodeIntegration,
      nodeIntegration,
      webSecurity: p.webSecurity !== false,
      allowRunningInsecureContent: p.allowRunningInsecureContent === true,
    };
  }
  const pickPrefs = (wp) => {
    const out = {};
    if (!wp || typeof wp !== 'object') return out;
    for (const k of ['contextIsolation', 'sandbox', 'nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames',
      'webSecurity', 'allowRunningInsecureContent', 'webviewTag', 'enableRemoteModule', 'experimentalFeatures']) {
      if (wp[k] !== undefined) out[k] = wp[k];
    }
    if (typeof wp.preload === 'string') out.preload = wp.preload;
    return out;
  };

  function wrapContents(wc, declared) {
    if (!wc || typeof wc !== 'object') return;
    let id;
    try { id = wc.id; } catch { return; }
    if (!wrappedContents.has(wc)) {
      wrappedContents.add(wc);
      const send = wc.send;
      if (typeof send === 'function') {
        wc.send = function conformSend(channel, ...args) {
          record({ kind: 'send', api: 'webContents.send', channel, args: encode(args), webContentsId: id });
          return send.call(this, channel, ...args);
        };
      }
      if (typeof wc.on === 'function') {
        try {
          wc.on('render-process-gone', (_e, details) => record({ kind: 'renderer-gone', webContentsId: id, details: encode(details) }));
          wc.on('destroyed', () => record({ kind: 'contents-destroyed', webContentsId: id }));
        } catch { /* stand-ins may not emit these */ }
      }
    }
    let prefs = declared;
    if (!prefs) {
      try { prefs = typeof wc.getLastWebPreferences === 'function' ? wc.getLastWebPreferences() : undefined; } catch { prefs = undefined; }
    }
    const known = windows.get(id);
    if (!known) {
      const declaredPrefs = pickPrefs(prefs);
      const rec = { webContentsId: id, declared: declaredPrefs, effective: effectivePosture(declaredPrefs), prefsKnown: !!prefs };
      windows.set(id, rec);
      record(Object.assign({ kind: 'window' }, rec));
    } else if (!known.prefsKnown && prefs) {
      known.declared = pickPrefs(prefs);
      known.effective = effectivePosture(known.declared);
      known.prefsKnown = true;
      record(Object.assign({ kind: 'window' }, known));
    }
  }

  // Page loads the app asked for and how each ended, from the window's own events (not the
  // promise loadURL returns: a handler on it would hide the app's unhandled load rejection). The
  // runner reads them while it waits for the first page: a window told to stay on about:blank is
  // ready once that load has finished, with no need to wait for a page that never comes.
  const pageLoads = [];
  function watchLoad(wc, api, target) {
    if (!wc || typeof wc.on !== 'function') return;
    const entry = { webContentsId: wc.id, api, target, state: 'pending' };
    pageLoads.push(entry);
    if (pageLoads.length > 100) pageLoads.shift();
    const settle = (state) => function settled() {
      if (entry.state === 'pending') entry.state = state;
      wc.removeListener('did-finish-load', loaded);
      wc.removeListener('did-fail-load', failed);
    };
    const loaded = settle('loaded');
    const failed = settle('failed');
    wc.on('did-finish-load', loaded);
    wc.on('did-fail-load', failed);
  }

  const BrowserWindow = electron.BrowserWindow;
  if (typeof BrowserWindow === 'function' && !BrowserWindow.__conform) {
    const proto = BrowserWindow.prototype;
    for (const name of ['loadURL', 'loadFile']) {
      const orig = proto && proto[name];
      if (typeof orig !== 'function') continue;
      proto[name] = function (target, ...rest) {
        try {
          wrapContents(this.webContents);
          record({ kind: 'load', webContentsId: this.webContents && this.webContents.id, api: name, target: String(target) });
          watchLoad(this.webContents, name, String(target));
        } catch { /* observation must never break the app */ }
        return orig.call(this, target, ...rest);
      };
    }
    // Capture the options as written: a constructor proxy (instanceof and subclassing keep working).
    const Proxied = new Proxy(BrowserWindow, {
      construct(target, args, newTarget) {
        const win = Reflect.construct(target, args, newTarget);
        try { wrapContents(win.webContents, (args[0] && args[0].webPreferences) || {}); } catch { /* keep the app running */ }
        return win;
      },
    });
    try {
      Object.defineProperty(BrowserWindow, '__conform', { value: true });
      const desc = Object.getOwnPropertyDescriptor(electron, 'BrowserWindow');
      if (!desc || desc.writable || desc.configurable) {
        Object.defineProperty(electron, 'BrowserWindow', { value: Proxied, writable: true, configurable: true, enumerable: true });
      }
    } catch { /* read-only module: the prototype hooks and app events still see windows */ }
  }
  const app = electron.app;
  if (app && typeof app.on === 'function') {
    try {
      app.on('browser-window-created', (_e, win) => { try { wrapContents(win.webContents); } catch { /* ignore */ } });
      app.on('web-contents-created', (_e, wc) => { try { wrapContents(wc); } catch { /* ignore */ } });
    } catch { /* ignore */ }
  }
  /** Catch windows created before a hook saw them (e.g. by a stand-in that skips app events). */
  function sweepContents() {
    try {
      const wcs = electron.webContents && typeof electron.webContents.getAllWebContents === 'function'
        ? electron.webContents.getAllWebContents() : [];
      for (const wc of wcs) wrapContents(wc);
    } catch { /* ignore */ }
  }

  // ---------------------------------------------------------------- crashes
  // `uncaughtExceptionMonitor` observes without changing Node's crash behaviour.
  process.on('uncaughtExceptionMonitor', (err, origin) => {
    record({ kind: 'uncaught-exception', origin, error: errorInfo(err) });
  });
  // Listening to 'unhandledRejection' suppresses Node's default (crash). Electron's main process
  // only warns on unhandled rejections, so when nobody else listens we warn like it does.
  process.on('unhandledRejection', (reason) => {
    record({ kind: 'unhandled-rejection', error: errorInfo(reason) });
    if (process.listenerCount('unhandledRejection') === 1) {
      process.stderr.write(`(conform) Unhandled promise rejection in main: ${errorInfo(reason).string}\n`);
    }
  });

  globalThis.__conform = {
    version: 1,
    pid: process.pid,
    now,
    /** Observations with seq > cursor (at most `max`), and the cursor to pass next time. */
    drain(cursor, max) {
      sweepContents();
      const from = typeof cursor === 'number' ? cursor : 0;
      const limit = typeof max === 'number' ? max : 20000;
      // observations are in seq order; find the first one after the cursor from the end.
      let i = observations.length;
      while (i > 0 && observations[i - 1].seq > from) i--;
      const items = observations.slice(i, i + limit);
      const last = items.length ? items[items.length - 1].seq : Math.max(from, 0);
      return { cursor: last, items, dropped, now: now(), more: i + limit < observations.length };
    },
    windows() { sweepContents(); return Array.from(windows.values()); },
    /** The app's loadURL/loadFile calls: target and state ('pending', 'loaded', 'failed'). */
    pageLoads() { return pageLoads.map((l) => Object.assign({}, l)); },
    record,
  };
}
