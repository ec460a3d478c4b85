'use strict';
// The main-process half of the Electron stand-in: the `electron` module apps require (app,
// ipcMain, BrowserWindow, webContents and the inert APIs), windows as Chromium targets driven
// over a private CDP pipe, IPC with Electron's semantics, and Electron's quit sequence.
const { EventEmitter } = require('node:events');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { makeCodec, encode, decode, NOT_CLONEABLE } = require('../shared/codec.cjs');
const { createInertApis } = require('./inert.cjs');
const { createDecisions } = require('./decisions.cjs');

// The Electron the app declares (launchApp passes it), else the stand-in's nominal version.
const STANDIN_ELECTRON_VERSION = /^\d+\.\d+\.\d+/.test(process.env.CONFORM_ELECTRON_VERSION || '') ? process.env.CONFORM_ELECTRON_VERSION : '41.0.0';
const BINDING = '__conformStandinIpc';
const DISPATCH = '__conformStandinDispatch';
const ADOPT = Symbol('adopt popup target');
const RENDERER_SCRIPT_URL = 'conform-standin-renderer.js';
const SYNC_CALL_FN = '__conformStandinSyncCall'; // the renderer's blocking call (renderer/runtime.js)
const DISPATCH_FN = `function (batch) { const d = globalThis.${DISPATCH}; if (d) d(batch); }`;

const rendererRuntimeSource = fs.readFileSync(path.join(__dirname, '..', 'renderer', 'runtime.js'), 'utf8');
const eventsSource = fs.readFileSync(require.resolve('events/events.js'), 'utf8');
// Sandboxed preloads get a global Buffer in Electron: the `buffer` package (and its two
// dependencies) go into the renderer script as a tiny module table.
const bufferModules = ['buffer', 'base64-js', 'ieee754'].map((name) =>
  `${JSON.stringify(name)}: function (module, exports, require) {\n${fs.readFileSync(require.resolve(`${name}/index.js`), 'utf8')}\n}`).join(',\n');
const loadBufferSource = `function () {
  const defs = {${bufferModules}};
  const cache = {};
  const req = (n) => { if (cache[n]) return cache[n].exports; const m = { exports: {} }; cache[n] = m; defs[n](m, m.exports, req); return m.exports; };
  return req('buffer').Buffer;
}`;

/** What the stand-in records instead of doing: readable from tests via `app.evaluate`. */
const sideEffects = {
  openExternal: [], openPath: [], showItemInFolder: [], trashItem: [],
  dialogs: [], notifications: [], globalShortcuts: [], appSwitches: [], relaunch: [], windowOpen: [],
  // will-navigate decisions: { url, action: 'allow' | 'deny' }.
  navigations: [],
};
const inertCalls = {};
const dialogAnswers = { open: [], save: [], messageBox: [] };
function queueDialogAnswer(type, answer) {
  if (!dialogAnswers[type]) throw new Error(`queueDialogAnswer: type must be one of ${Object.keys(dialogAnswers).join(', ')}`);
  dialogAnswers[type].push(answer);
}
const inertLogged = new Set();
function logInert(api, member) {
  const key = `${api}.${member}`;
  inertCalls[key] = (inertCalls[key] || 0) + 1;
  if (inertLogged.has(api)) return;
  inertLogged.add(api);
  process.stderr.write(`[conform stand-in] ${api} is inert in the Electron stand-in (first use: ${key}); calls are recorded, nothing native happens.\n`);
}

const state = {
  config: null,
  chromium: null,
  cdp: null,
  browserUp: null,
  ready: false,
  quitting: false,
  exiting: false,
  shutDown: false,
  exitCode: 0,
  windows: new Map(),
  contents: new Map(),
  byTarget: new Map(),
  bySession: new Map(),
  nextWindowId: 1,
  nextContentsId: 1,
  // Bumped by every loadURL (webContents._loadSeq keeps its own last one): tells a page the app
  // loaded itself from one the renderer navigated (decisions.cjs).
  loadSeq: 0,
  paths: {},
  appInfo: { name: 'Electron', version: STANDIN_ELECTRON_VERSION, appPath: process.cwd() },
};
const decisions = createDecisions({ sideEffects, state });

const t0 = Date.now();
/** Start-up and window timeline on stderr with CONFORM_STANDIN_DEBUG=1 (for diagnosing launches). */
// CONFORM_STANDIN_DEBUG=<absolute file> appends the timeline there instead (stderr lines written
// before Playwright's launch returns are not visible to the caller).
const debugTarget = process.env.CONFORM_STANDIN_DEBUG;
function debug(message) {
  if (!debugTarget) return;
  const line = `[conform stand-in ${process.pid} +${Date.now() - t0}ms @${Date.now()}] ${message}\n`;
  if (debugTarget.startsWith('/')) fs.appendFileSync(debugTarget, line);
  else process.stderr.write(line);
}

function makeEvent(extra) {
  const ev = {
    defaultPrevented: false,
    preventDefault() { ev.defaultPrevented = true; },
    ...extra,
  };
  return ev;
}

// ---------------------------------------------------------------- ipcMain
class IpcMainImpl extends EventEmitter {
  constructor() {
    super();
    this.setMaxListeners(0);
    this._invokeHandlers = new Map();
  }
  handle(method, fn) {
    if (this._invokeHandlers.has(method)) throw new Error(`Attempted to register a second handler for '${method}'`);
    if (typeof fn !== 'function') throw new TypeError(`Expected handler to be a function, but found type '${typeof fn}'`);
    this._invokeHandlers.set(method, fn);
  }
  handleOnce(method, fn) {
    this.handle(method, (e, ...args) => {
      this.removeHandler(method);
      return fn(e, ...args);
    });
  }
  removeHandler(method) {
    this._invokeHandlers.delete(method);
  }
}
const ipcMain = new IpcMainImpl();

// ---------------------------------------------------------------- webContents
const LOAD_ERRORS = {
  'net::ERR_FAILED': -2, 'net::ERR_ABORTED': -3, 'net::ERR_FILE_NOT_FOUND': -6, 'net::ERR_TIMED_OUT': -7,
  'net::ERR_ACCESS_DENIED': -10, 'net::ERR_CONNECTION_CLOSED': -100, 'net::ERR_CONNECTION_RESET': -101,
  'net::ERR_CONNECTION_REFUSED': -102, 'net::ERR_NAME_NOT_RESOLVED': -105, 'net::ERR_INTERNET_DISCONNECTED': -106,
  'net::ERR_ADDRESS_UNREACHABLE': -109, 'net::ERR_INVALID_URL': -300, 'net::ERR_UNKNOWN_URL_SCHEME': -302,
  'net::ERR_BLOCKED_BY_CLIENT': -20, 'net::ERR_BLOCKED_BY_RESPONSE': -27,
};

function destroyedError() {
  return new TypeError('Object has been destroyed');
}

class WebFrameMain {
  constructor(wc) { this._wc = wc; }
  get url() { return this._wc._url; }
  get origin() { try { return new URL(this._wc._url).origin; } catch { return 'null'; } }
  get frameTreeNodeId() { return this._wc.id; }
  get routingId() { return 1; }
  get processId() { return this._wc.getProcessId(); }
  get osProcessId() { return this._wc.getOSProcessId(); }
  get name() { return ''; }
  get top() { return this; }
  get parent() { return null; }
  get frames() { return []; }
  get framesInSubtree() { return [this]; }
  get visibilityState() { return 'visible'; }
  get detached() { return this._wc._destroyed; }
  get ipc() { return this._wc.ipc; }
  isDestroyed() { return this._wc._destroyed; }
  send(channel, ...args) { this._wc.send(channel, ...args); }
  executeJavaScript(code) { return this._wc.executeJavaScript(code); }
  reload() { return this._wc.reload(); }
  postMessage() { throw new Error('WebFrameMain.postMessage is not supported by the Electron stand-in.'); }
}

class WebContents extends EventEmitter {
  constructor(win, prefs) {
    super();
    this.setMaxListeners(0);
    this.id = state.nextContentsId++;
    this._win = win;
    this._prefs = prefs;
    this._url = '';
    this._title = '';
    this._destroyed = false;
    this._targetId = null;
    this._sessionId = null;
    this._contextId = null;
    this._loaded = false;
    this._loading = false;
    this._navigated = false;
    this._sendQueue = [];
    this._outBatch = null;
    this._pendingLoads = [];
    this._zoomFactor = 1;
    this._userAgent = '';
    this._audioMuted = false;
    this._windowOpenHandler = null;
    // will-navigate support: renderer-initiated main-frame navigations are paused (Fetch) and
    // cancelled when a listener calls preventDefault. Only enabled once someone listens, so apps
    // without a listener load exactly as before. URLs the app itself loads are let through.
    this._appNavigations = new Set();
    this._navGuard = false;
    this.on('newListener', (name) => {
      if (name !== 'will-navigate' || this._navGuard) return;
      this._navGuard = true;
      this._cdp('Fetch.enable', { patterns: [{ urlPattern: '*', resourceType: 'Document', requestStage: 'Request' }] }).catch(() => {});
    });
    // Blocking renderer calls (sendSync, window.open): the renderer pauses itself on a `debugger`
    // statement; main answers into the paused frame and resumes it (see _onPaused).
    this._syncAnswers = new Map();
    this._syncSeen = new Set();
    this._pausedFor = null;
    // Allowed window.open calls waiting for their Chromium target, in order.
    this._allowedOpens = [];
    this.ipc = new IpcMainImpl();
    this.mainFrame = new WebFrameMain(this);
    this.hostWebContents = null;
    this.devToolsWebContents = null;
    this.debugger = { attach() {}, detach() {}, isAttached: () => false, sendCommand: (m, p) => this._cdp(m, p), on() {}, once() {} };
    this.navigationHistory = {
      canGoBack: () => false, canGoForward: () => false, canGoToOffset: () => false,
      goBack: () => this._evaluate('history.back()'), goForward: () => this._evaluate('history.forward()'),
      goToOffset: (o) => this._evaluate(`history.go(${Number(o)})`), clear: () => {}, getActiveIndex: () => 0, length: () => 1,
    };
    state.contents.set(this.id, this);
  }

  static fromId(id) { return state.contents.get(id) || undefined; }
  static getAllWebContents() { return [...state.contents.values()]; }
  static getFocusedWebContents() { const w = BrowserWindow.getFocusedWindow(); return w ? w.webContents : null; }
  static fromDevToolsTargetId(targetId) { return state.byTarget.get(targetId) || undefined; }
  static fromFrame(frame) { return frame && frame._wc; }

  get session() { return inert.session.defaultSession; }

  _assertAlive() { if (this._destroyed) throw destroyedError(); }
  _cdp(method, params) {
    return this._attached.then(() => state.cdp.send(method, params, this._sessionId));
  }
  _evaluate(expression) {
    return this._cdp('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
  }

  async _attach(options) {
    const width = options.width || 800;
    const height = options.height || 600;
    await state.browserUp;
    debug(`window ${this.id}: creating target`);
    const { targetId } = await state.cdp.send('Target.createTarget', { url: 'about:blank', width, height, newWindow: true });
    debug(`window ${this.id}: target ${targetId}`);
    await this._attachTarget(targetId);
    debug(`window ${this.id}: attached as session ${this._sessionId}`);
  }

  /** Attach to a page target and prepare it: IPC binding, renderer runtime, preload. */
  async _attachTarget(targetId) {
    this._targetId = targetId;
    state.byTarget.set(targetId, this);
    const { sessionId } = await state.cdp.send('Target.attachToTarget', { targetId, flatten: true });
    this._sessionId = sessionId;
    state.bySession.set(sessionId, this);
    const send = (m, p) => state.cdp.send(m, p, sessionId);
    // Commands on one session run in order; only the last one needs awaiting. Navigating before
    // they complete (while the new target still waits for Playwright's debugger) crashes the page.
    const steps = [
      send('Page.enable'),
      send('Runtime.enable'),
      send('Runtime.addBinding', { name: BINDING }),
      send('Debugger.enable'), // blocking calls pause the renderer (see _onPaused)
      send('Page.addScriptToEvaluateOnNewDocument', { source: this._rendererScript() }),
    ];
    const preload = this._preloadScript();
    if (preload) steps.push(send('Page.addScriptToEvaluateOnNewDocument', { source: preload }));
    await Promise.all(steps);
  }

  /** A window the page opened itself (window.open allowed by the handler): attach to its target. */
  async _adopt(targetId, url) {
    await state.browserUp;
    this._url = url || '';
    this._navigated = true;
    await this._attachTarget(targetId);
    debug(`window ${this._win && this._win.id}: adopted popup target ${targetId}`);
  }

  _rendererScript() {
    const p = this._prefs;
    const cfg = {
      binding: BINDING, dispatch: DISPATCH,
      contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration,
      preload: p.preload || null,
      platform: process.platform, arch: process.arch, versions: { ...process.versions },
      env: {}, argv: [process.execPath, ...(p.additionalArguments || [])], execPath: process.execPath,
      pid: process.pid, resourcesPath: process.resourcesPath, cwd: process.cwd(),
    };
    const needsBuffer = !!p.preload || (p.nodeIntegration && !p.contextIsolation);
    return `(${rendererRuntimeSource.trim().replace(/;\s*$/, '')})(${JSON.stringify(cfg)}, ${makeCodec.toString()}, function (module, exports) {\n${eventsSource}\n}, ${needsBuffer ? loadBufferSource : 'null'});\n//# sourceURL=${RENDERER_SCRIPT_URL}`;
  }

  _preloadScript() {
    const file = this._prefs.preload;
    if (!file) return null;
    let source;
    try {
      source = fs.readFileSync(file, 'utf8');
      // Syntax errors are found here so the renderer can report them as Electron does.
      new (require('node:vm').Script)(`(function(){\n${source}\n})`, { filename: file });
    } catch (err) {
      return `console.error(${JSON.stringify(`Unable to load preload script: ${file}`)});\nconsole.error(${JSON.stringify(String(err && err.stack || err))});`;
    }
    return `(function () {
  const k = Symbol.for('conform.standin.preload');
  const host = globalThis[k];
  if (!host) return;
  delete globalThis[k];
  const module = { exports: {} };
  try {
    (function (require, module, exports, process, Buffer, global, setImmediate, clearImmediate) {
${source}
    }).call(module.exports, host.require, module, module.exports, host.process, host.Buffer, globalThis, host.setImmediate, host.clearImmediate);
  } catch (err) {
    console.error(${JSON.stringify(`Unable to load preload script: ${file}`)});
    console.error(err);
  }
})();
//# sourceURL=${pathToFileURL(file).href}`;
  }

  // ------------------------------------------------ events from Chromium for this target
  _onCdpEvent(method, params) {
    // Until our first navigation the target shows its initial about:blank, which has no renderer
    // runtime: its load events must not flush queued messages into it.
    if (!this._navigated && method.startsWith('Page.')) return;
    switch (method) {
      case 'Fetch.requestPaused':
        this._onDocumentRequest(params);
        break;
      case 'Debugger.paused':
        this._onPaused(params);
        break;
      case 'Runtime.bindingCalled':
        if (params.name === BINDING) this._onIpc(params.payload, params.executionContextId);
        break;
      case 'Runtime.executionContextCreated': {
        const aux = params.context.auxData || {};
        if (aux.isDefault && aux.frameId === this._targetId) this._contextId = params.context.id;
        break;
      }
      case 'Page.frameStartedLoading':
        if (params.frameId === this._targetId) {
          this._loaded = false;
          this._loading = true;
          this.emit('did-start-loading');
        }
        break;
      case 'Page.frameNavigated':
        if (!params.frame.parentId) {
          this._url = params.frame.url + (params.frame.urlFragment || '');
          this._loaded = false;
          this.emit('did-navigate', makeEvent(), this._url, 200, 'OK');
        }
        break;
      case 'Page.navigatedWithinDocument':
        if (params.frameId === this._targetId) {
          this._url = params.url;
          this.emit('did-navigate-in-page', makeEvent(), params.url, true, 1, 1);
        }
        break;
      case 'Page.domContentEventFired':
        this.emit('dom-ready', makeEvent());
        break;
      case 'Page.loadEventFired':
        this._onLoaded();
        break;
      case 'Inspector.targetCrashed':
        this.emit('render-process-gone', makeEvent(), { reason: 'crashed', exitCode: 1 });
        break;
      default:
        break;
    }
  }

  _onLoaded() {
    debug(`webContents ${this.id}: loaded ${this._url}`);
    this._loaded = true;
    this._loading = false;
    if (this._win && !this._win._readyToShowSent) {
      this._win._readyToShowSent = true;
      this._win.emit('ready-to-show', makeEvent());
    }
    this.emit('did-finish-load', makeEvent());
    this.emit('did-stop-loading', makeEvent());
    const loads = this._pendingLoads.splice(0);
    for (const l of loads) l.resolve();
    // Messages sent before the page was ready are delivered now, in order.
    const queued = this._sendQueue.splice(0);
    for (const m of queued) this._post(m);
  }

  _onTargetGone() {
    if (this._destroyed) return;
    if (this._win) this._win._destroyNow();
    else this._markDestroyed();
  }

  _markDestroyed() {
    if (this._destroyed) return;
    this._destroyed = true;
    // A load still pending when the window goes never settles (no unhandled rejection at quit).
    this._pendingLoads.splice(0);
    state.contents.delete(this.id);
    if (this._targetId) state.byTarget.delete(this._targetId);
    if (this._sessionId) state.bySession.delete(this._sessionId);
    this.emit('destroyed', makeEvent());
  }

  // ------------------------------------------------ IPC
  _post(msg, contextId) {
    // Batch everything sent in one tick into one Runtime.evaluate: order is kept, round trips saved.
    const ctx = contextId || this._contextId;
    if (this._outBatch && this._outBatch.ctx === ctx) {
      this._outBatch.msgs.push(msg);
      return;
    }
    this._flushBatch();
    this._outBatch = { ctx, msgs: [msg] };
    queueMicrotask(() => this._flushBatch());
  }
  _flushBatch() {
    const b = this._outBatch;
    if (!b) return;
    this._outBatch = null;
    if (this._destroyed || !state.cdp) return;
    if (!b.ctx) return; // no document to deliver to (it went away); Electron drops these too
    // A fixed function source compiles once per document; the batch travels as a CDP argument.
    state.cdp.post('Runtime.callFunctionOn', { functionDeclaration: DISPATCH_FN, executionContextId: b.ctx, arguments: [{ value: b.msgs }] }, this._sessionId);
  }

  _senderEvent(contextId, extra) {
    const wc = this;
    return makeEvent({
      type: 'frame',
      sender: wc,
      senderFrame: wc.mainFrame,
      frameId: 1,
      processId: wc.getProcessId(),
      ports: [],
      ...extra,
    });
  }

  _onIpc(payload, contextId) {
    let msg;
    try {
      msg = JSON.parse(payload);
    } catch {
      return; // not ours: the page called the binding name itself
    }
    try {
      this._dispatchIpc(msg, contextId);
    } catch (err) {
      // A throwing ipcMain listener is an uncaught main-process error in Electron too.
      process.emit('uncaughtException', err);
    }
  }

  _dispatchIpc(msg, contextId) {
    if (msg.t === 's') {
      const args = decode(msg.a);
      const event = this._senderEvent(contextId, {
        reply: (channel, ...rest) => this.send(channel, ...rest),
      });
      this.emit('ipc-message', event, msg.c, ...args);
      this.ipc.emit(msg.c, event, ...args);
      ipcMain.emit(msg.c, event, ...args);
    } else if (msg.t === 'i') {
      this._onInvoke(msg, contextId);
    } else if (msg.t === 'y') {
      this._onSendSync(msg, contextId);
    } else if (msg.t === 'w') {
      this._onWindowOpen(msg);
    }
  }

  async _onInvoke(msg, contextId) {
    const channel = msg.c;
    let reply;
    const event = this._senderEvent(contextId);
    const handler = this.ipc._invokeHandlers.get(channel) || ipcMain._invokeHandlers.get(channel);
    if (!handler) {
      reply = { t: 'r', id: msg.id, ok: false, e: String(new Error(`No handler registered for '${channel}'`)) };
    } else {
      try {
        const result = await handler(event, ...decode(msg.a));
        reply = { t: 'r', id: msg.id, ok: true, v: encode(result) };
      } catch (err) {
        console.error(`Error occurred in handler for '${channel}':`, err);
        reply = { t: 'r', id: msg.id, ok: false, e: String(err) };
      }
    }
    this._post(reply, contextId);
  }

  _onSendSync(msg, contextId) {
    let answered = false;
    const answer = (encoded) => {
      if (answered) return;
      answered = true;
      this._syncAnswer(msg.id, encoded);
    };
    const event = this._senderEvent(contextId, {
      reply: (channel, ...rest) => this.send(channel, ...rest),
    });
    Object.defineProperty(event, 'returnValue', {
      enumerable: true,
      get() { return this._returnValue; },
      set(v) {
        const encoded = encode(v); // throws "An object could not be cloned." in the listener, as in Electron
        this._returnValue = v;
        answer(encoded);
      },
    });
    const args = decode(msg.a);
    if (this.listenerCount('ipc-message-sync') === 0 && this.ipc.listenerCount(msg.c) === 0 && ipcMain.listenerCount(msg.c) === 0) {
      console.warn(`WebContents #${this.id} called ipcRenderer.sendSync() with '${msg.c}' channel without listeners.`);
    }
    this.emit('ipc-message-sync', event, msg.c, ...args);
    this.ipc.emit(msg.c, event, ...args);
    ipcMain.emit(msg.c, event, ...args);
    // Electron keeps the renderer blocked until returnValue is set; with nobody listening it would
    // hang forever, so the stand-in answers undefined instead.
    if (ipcMain.listenerCount(msg.c) === 0 && this.ipc.listenerCount(msg.c) === 0 && this.listenerCount('ipc-message-sync') === 0) answer(encode(undefined));
  }

  _onWindowOpen(msg) {
    const details = {
      url: msg.url, frameName: msg.frameName, features: msg.features, disposition: 'new-window',
      referrer: { url: this._url, policy: 'strict-origin-when-cross-origin' }, postBody: undefined,
    };
    let decision = { action: 'allow' };
    try {
      if (this._windowOpenHandler) decision = this._windowOpenHandler(details) || { action: 'deny' };
    } catch (err) {
      process.emit('uncaughtException', err);
      decision = { action: 'deny' };
    }
    const action = decision.action === 'allow' ? 'allow' : 'deny';
    // The renderer is blocked on this answer: send it first, whatever happens next.
    this._syncAnswer(msg.id, encode({ action }));
    decisions.record('windowOpen', { url: msg.url, frameName: msg.frameName, action }, this);
    if (action === 'allow') this._allowedOpens.push({ details, overrides: decision.overrideBrowserWindowOptions || {} });
  }

  /** Answer to a blocking renderer call; delivered once the renderer is paused in that call. */
  _syncAnswer(id, encoded) {
    this._syncAnswers.set(id, encoded);
    this._deliverSync();
  }
  _onPaused(params) {
    const top = params.callFrames && params.callFrames[0];
    // (CallFrame.url is empty in current Chromium; the function name is the stand-in's own.)
    const ours = top && top.functionName === SYNC_CALL_FN;
    // Any other pause (a `debugger` statement of the page): Electron without DevTools ignores it.
    if (!ours) return this._cdp('Debugger.resume').catch(() => {});
    // Paused events can arrive late or twice: what the renderer is blocked on is read from the
    // paused frame itself, and every step is idempotent per call id.
    this._cdp('Debugger.evaluateOnCallFrame', { callFrameId: top.callFrameId, expression: 'JSON.stringify([box.id, box.done, box.msg])', returnByValue: true, silent: true })
      .then((r) => {
        const v = r && r.result && typeof r.result.value === 'string' ? JSON.parse(r.result.value) : null;
        if (!v) return;
        // Already answered (V8 can report a pause at the same statement again after the answer
        // went in): nothing to wait for, go on.
        if (v[1]) return this._cdp('Debugger.resume').catch(() => {});
        const [id, , msg] = v;
        this._pausedFor = { id, callFrameId: top.callFrameId };
        if (!this._syncSeen.has(id)) {
          this._syncSeen.add(id);
          this._onIpc(msg, this._contextId);
        }
        this._deliverSync();
      }, () => { /* not paused any more: a stale event */ });
  }
  _deliverSync() {
    const p = this._pausedFor;
    if (!p || !this._syncAnswers.has(p.id)) return;
    const encoded = this._syncAnswers.get(p.id);
    this._syncAnswers.delete(p.id);
    this._syncSeen.delete(p.id);
    this._pausedFor = null;
    const expression = `box.id === ${Number(p.id)} && (box.done = true, box.value = ${JSON.stringify(encoded)}), undefined`;
    this._cdp('Debugger.evaluateOnCallFrame', { callFrameId: p.callFrameId, expression, silent: true }).catch(() => {});
    this._cdp('Debugger.resume').catch(() => {});
  }

  // ------------------------------------------------ public API
  send(channel, ...args) {
    this._assertAlive();
    if (typeof channel !== 'string') throw new TypeError('Missing required channel argument');
    const msg = { t: 'm', c: channel, a: encode(args) };
    if (this._loaded && this._contextId) this._post(msg);
    else this._sendQueue.push(msg);
  }
  sendToFrame(frameId, channel, ...args) { this.send(channel, ...args); }
  postMessage(channel) {
    throw new Error(`webContents.postMessage('${channel}') is not supported by the Electron stand-in: MessagePort transfer needs real Electron.`);
  }

  _onDocumentRequest(params) {
    const url = params.request.url;
    const go = () => this._cdp('Fetch.continueRequest', { requestId: params.requestId }).catch(() => {});
    if (params.frameId !== this._targetId || this._appNavigations.delete(url.split('#')[0])) return go();
    const ev = makeEvent({ url, isMainFrame: true, isSameDocument: false });
    this.emit('will-navigate', ev, url, false, true);
    decisions.record('navigations', { url, action: ev.defaultPrevented ? 'deny' : 'allow' }, this);
    if (!ev.defaultPrevented) return go();
    return this._cdp('Fetch.failRequest', { requestId: params.requestId, errorReason: 'Aborted' }).catch(() => {});
  }
  /** A page target this window opened: an allowed window.open becomes a BrowserWindow, as in Electron. */
  _onPopup(info) {
    adoptPopup(this, info);
  }

  loadURL(url) {
    this._assertAlive();
    const target = String(url);
    this._loadSeq = ++state.loadSeq;
    if (this._navGuard) this._appNavigations.add(target.split('#')[0]);
    for (const l of this._pendingLoads.splice(0)) {
      l.reject(Object.assign(new Error(`ERR_ABORTED (-3) loading '${target}'`), { errno: -3, code: 'ERR_ABORTED', url: target }));
    }
    const done = new Promise((resolve, reject) => this._pendingLoads.push({ resolve, reject }));
    this._loaded = false;
    this._navigated = true;
    debug(`webContents ${this.id}: navigating to ${target}`);
    this._cdp('Page.navigate', { url: target }).then((r) => {
      if (r && r.errorText) {
        const code = r.errorText.replace(/^net::/, '');
        const errno = LOAD_ERRORS[r.errorText] ?? -2;
        this.emit('did-fail-load', makeEvent(), errno, code, target, true, 1, 1);
        const err = Object.assign(new Error(`${code} (${errno}) loading '${target}'`), { errno, code, url: target });
        const loads = this._pendingLoads.splice(0);
        for (const l of loads) l.reject(err);
      } else if (r && r.loaderId === undefined) {
        // Same-document navigation (only the hash changed): no load event follows.
        this._onLoaded();
      }
    }, (err) => {
      const loads = this._pendingLoads.splice(0);
      for (const l of loads) l.reject(err);
    });
    return done;
  }
  loadFile(filePath, options = {}) {
    const abs = path.resolve(state.appInfo.appPath, filePath);
    const u = pathToFileURL(abs);
    if (options.query) for (const [k, v] of Object.entries(options.query)) u.searchParams.set(k, v);
    if (options.search) u.search = options.search;
    if (options.hash) u.hash = options.hash;
    return this.loadURL(u.href);
  }
  reload() { this._cdp('Page.reload', {}).catch(() => {}); }
  reloadIgnoringCache() { this._cdp('Page.reload', { ignoreCache: true }).catch(() => {}); }
  stop() { this._cdp('Page.stopLoading', {}).catch(() => {}); }
  getURL() { return this._url; }
  getTitle() { return this._title || this._url; }
  isLoading() { return this._loading; }
  isLoadingMainFrame() { return this._loading; }
  isWaitingForResponse() { return false; }
  isDestroyed() { return this._destroyed; }
  isCrashed() { return false; }
  isFocused() { return this._win ? this._win.isFocused() : false; }
  focus() { if (this._win) this._win.focus(); }
  getType() { return 'window'; }
  getOSProcessId() { return 0; }
  getProcessId() { return this.id; }
  async executeJavaScript(code) {
    const r = await this._cdp('Runtime.evaluate', { expression: String(code), awaitPromise: true, returnByValue: true, userGesture: true });
    if (r.exceptionDetails) {
      const d = r.exceptionDetails;
      throw new Error((d.exception && d.exception.description) || d.text || 'Script failed to execute');
    }
    return r.result.value;
  }
  executeJavaScriptInIsolatedWorld(_worldId, scripts) { return this.executeJavaScript(scripts.map((s) => s.code).join(';\n')); }
  insertCSS(css) {
    const key = `standin-css-${Math.random().toString(36).slice(2)}`;
    return this.executeJavaScript(`(() => { const s = document.createElement('style'); s.dataset.standinKey = ${JSON.stringify(key)}; s.textContent = ${JSON.stringify(String(css))}; (document.head || document.documentElement).appendChild(s); return ${JSON.stringify(key)}; })()`);
  }
  removeInsertedCSS(key) { return this.executeJavaScript(`document.querySelectorAll('style[data-standin-key=${JSON.stringify(key)}]').forEach((s) => s.remove())`).then(() => undefined); }
  async capturePage() {
    const { data } = await this._cdp('Page.captureScreenshot', { format: 'png' });
    return inert.nativeImage.createFromBuffer(Buffer.from(data, 'base64'));
  }
  async printToPDF(options = {}) {
    const { data } = await this._cdp('Page.printToPDF', { landscape: !!options.landscape, printBackground: !!options.printBackground });
    return Buffer.from(data, 'base64');
  }
  openDevTools() {}
  closeDevTools() {}
  toggleDevTools() {}
  isDevToolsOpened() { return false; }
  isDevToolsFocused() { return false; }
  setDevToolsWebContents() {}
  inspectElement() {}
  setWindowOpenHandler(handler) { this._windowOpenHandler = handler; }
  setZoomFactor(f) { this._zoomFactor = f; }
  getZoomFactor() { return this._zoomFactor; }
  setZoomLevel(l) { this._zoomFactor = Math.pow(1.2, l); }
  getZoomLevel() { return Math.log(this._zoomFactor) / Math.log(1.2); }
  setVisualZoomLevelLimits() { return Promise.resolve(); }
  setUserAgent(ua) { this._userAgent = ua; this._cdp('Emulation.setUserAgentOverride', { userAgent: ua }).catch(() => {}); }
  getUserAgent() { return this._userAgent || inert.session.defaultSession.getUserAgent(); }
  setAudioMuted(m) { this._audioMuted = !!m; }
  isAudioMuted() { return this._audioMuted; }
  isCurrentlyAudible() { return false; }
  setBackgroundThrottling() {}
  getBackgroundThrottling() { return false; }
  setIgnoreMenuShortcuts() {}
  invalidate() {}
  getLastWebPreferences() { return { ...this._prefs }; }
  getWebPreferences() { return { ...this._prefs }; }
  canGoBack() { return false; }
  canGoForward() { return false; }
  goBack() { this.navigationHistory.goBack(); }
  goForward() { this.navigationHistory.goForward(); }
  undo() { this._evaluate("document.execCommand('undo')"); }
  redo() { this._evaluate("document.execCommand('redo')"); }
  cut() { this._evaluate("document.execCommand('cut')"); }
  copy() { this._evaluate("document.execCommand('copy')"); }
  paste() { this._evaluate("document.execCommand('paste')"); }
  selectAll() { this._evaluate("document.execCommand('selectAll')"); }
  findInPage() { return 0; }
  stopFindInPage() {}
  getFrameRate() { return 60; }
  setFrameRate() {}
  close(opts = {}) {
    if (this._destroyed) return;
    if (this._win) this._win.close();
    else this._markDestroyed();
    void opts;
  }
}

// ---------------------------------------------------------------- BrowserWindow
class BrowserWindow extends EventEmitter {
  constructor(options = {}) {
    if (!state.ready) throw new Error('Cannot create BrowserWindow before app is ready');
    super();
    this.setMaxListeners(0);
    const wp = options.webPreferences || {};
    const nodeIntegration = wp.nodeIntegration === true;
    const prefs = {
      ...wp,
      contextIsolation: wp.contextIsolation !== false,
      nodeIntegration,
      sandbox: wp.sandbox !== undefined ? !!wp.sandbox : !nodeIntegration,
      webSecurity: wp.webSecurity !== false,
      preload: wp.preload ? path.resolve(wp.preload) : undefined,
    };
    this.id = state.nextWindowId++;
    this._options = options;
    this._destroyed = false;
    this._closing = false;
    this._visible = options.show !== false;
    this._focused = this._visible;
    this._bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    this._title = options.title || state.appInfo.name;
    this._flags = { maximized: false, minimized: false, fullScreen: !!options.fullscreen, alwaysOnTop: !!options.alwaysOnTop, kiosk: !!options.kiosk };
    this._readyToShowSent = false;
    this._webContents = new WebContents(this, prefs);
    this._webContents._attached = options[ADOPT]
      ? this._webContents._adopt(options[ADOPT].targetId, options[ADOPT].url)
      : this._webContents._attach(this._bounds);
    this._webContents._attached.catch((err) => process.stderr.write(`[conform stand-in] could not open a window: ${err.message}\n`));
    state.windows.set(this.id, this);
    app.emit('browser-window-created', makeEvent(), this);
    app.emit('web-contents-created', makeEvent(), this._webContents);
    if (this._visible) queueMicrotask(() => { if (!this._destroyed) { this.emit('show'); app.emit('browser-window-focus', makeEvent(), this); } });
  }

  static getAllWindows() { return [...state.windows.values()]; }
  static getFocusedWindow() { return [...state.windows.values()].find((w) => w._focused) || null; }
  static fromWebContents(wc) { return (wc && wc._win && !wc._win._destroyed) ? wc._win : null; }
  static fromId(id) { return state.windows.get(id) || null; }
  static fromBrowserView() { return null; }

  get webContents() { if (this._destroyed) throw destroyedError(); return this._webContents; }
  _assertAlive() { if (this._destroyed) throw destroyedError(); }

  close() {
    if (this._destroyed || this._closing) return;
    const ev = makeEvent();
    this.emit('close', ev);
    if (ev.defaultPrevented) {
      if (state.quitting && !state.exiting) state.quitting = false; // a prevented close cancels the quit, as in Electron
      return;
    }
    this._closing = true;
    this._destroyNow();
  }
  destroy() { if (!this._destroyed) this._destroyNow(); }
  _destroyNow() {
    if (this._destroyed) return;
    this._destroyed = true;
    const wc = this._webContents;
    state.windows.delete(this.id);
    if (wc._targetId && state.cdp && !state.cdp.closed) state.cdp.send('Target.closeTarget', { targetId: wc._targetId }).catch(() => {});
    wc._markDestroyed();
    this.emit('closed');
    onWindowClosed();
  }
  isDestroyed() { return this._destroyed; }
  show() { this._assertAlive(); if (!this._visible) { this._visible = true; this.emit('show'); } this.focus(); }
  showInactive() { this._assertAlive(); if (!this._visible) { this._visible = true; this.emit('show'); } }
  hide() { this._assertAlive(); if (this._visible) { this._visible = false; this._focused = false; this.emit('hide'); } }
  isVisible() { return this._visible; }
  focus() {
    this._assertAlive();
    for (const w of state.windows.values()) if (w !== this && w._focused) { w._focused = false; w.emit('blur'); }
    if (!this._focused) { this._focused = true; this.emit('focus'); }
    if (this._webContents._targetId && state.cdp) state.cdp.send('Target.activateTarget', { targetId: this._webContents._targetId }).catch(() => {});
  }
  blur() { if (this._focused) { this._focused = false; this.emit('blur'); } }
  isFocused() { return this._focused; }
  loadURL(url, options) { return this.webContents.loadURL(url, options); }
  loadFile(file, options) { return this.webContents.loadFile(file, options); }
  reload() { this.webContents.reload(); }
  getTitle() { return this._title; }
  setTitle(t) { this._title = String(t); }
  getBounds() { return { ...this._bounds }; }
  setBounds(b) { Object.assign(this._bounds, b); this.emit('resize'); this.emit('move'); }
  getContentBounds() { return this.getBounds(); }
  setContentBounds(b) { this.setBounds(b); }
  getSize() { return [this._bounds.width, this._bounds.height]; }
  setSize(w, h) { this.setBounds({ width: w, height: h }); }
  getContentSize() { return this.getSize(); }
  setContentSize(w, h) { this.setSize(w, h); }
  getPosition() { return [this._bounds.x, this._bounds.y]; }
  setPosition(x, y) { this.setBounds({ x, y }); }
  getNormalBounds() { return this.getBounds(); }
  setMinimumSize() {} setMaximumSize() {}
  getMinimumSize() { return [0, 0]; } getMaximumSize() { return [0, 0]; }
  center() {}
  maximize() { this._flags.maximized = true; this.emit('maximize'); }
  unmaximize() { this._flags.maximized = false; this.emit('unmaximize'); }
  isMaximized() { return this._flags.maximized; }
  minimize() { this._flags.minimized = true; this.emit('minimize'); }
  restore() { this._flags.minimized = false; this.emit('restore'); }
  isMinimized() { return this._flags.minimized; }
  isNormal() { return !this._flags.maximized && !this._flags.minimized && !this._flags.fullScreen; }
  setFullScreen(f) { this._flags.fullScreen = !!f; this.emit(f ? 'enter-full-screen' : 'leave-full-screen'); }
  isFullScreen() { return this._flags.fullScreen; }
  setSimpleFullScreen(f) { this.setFullScreen(f); }
  isSimpleFullScreen() { return this._flags.fullScreen; }
  setKiosk(k) { this._flags.kiosk = !!k; }
  isKiosk() { return this._flags.kiosk; }
  setAlwaysOnTop(f) { this._flags.alwaysOnTop = !!f; }
  isAlwaysOnTop() { return this._flags.alwaysOnTop; }
  isModal() { return false; }
  getParentWindow() { return this._options.parent || null; }
  getChildWindows() { return [...state.windows.values()].filter((w) => w._options.parent === this); }
  setParentWindow(p) { this._options.parent = p; }
  getNativeWindowHandle() { return Buffer.alloc(8); }
  getMediaSourceId() { return `window:${this.id}:0`; }
  setMenu() {} removeMenu() {} setMenuBarVisibility() {} isMenuBarVisible() { return false; }
  setAutoHideMenuBar() {} isMenuBarAutoHide() { return false; }
  setIcon() {} setProgressBar() {} setOverlayIcon() {} flashFrame() {} setSkipTaskbar() {}
  setResizable() {} isResizable() { return true; } setMovable() {} isMovable() { return true; }
  setMinimizable() {} isMinimizable() { return true; } setMaximizable() {} isMaximizable() { return true; }
  setClosable() {} isClosable() { return true; } setFullScreenable() {} isFullScreenable() { return true; }
  setFocusable() {} isFocusable() { return true; } setEnabled() {} isEnabled() { return true; }
  setOpacity() {} getOpacity() { return 1; } setBackgroundColor() {} getBackgroundColor() { return '#FFFFFF'; }
  setHasShadow() {} hasShadow() { return true; } setAspectRatio() {} setVibrancy() {} setBackgroundMaterial() {}
  setTitleBarOverlay() {} setThumbarButtons() { return true; } setThumbnailClip() {} setThumbnailToolTip() {}
  setAppDetails() {} setRepresentedFilename() {} getRepresentedFilename() { return ''; }
  setDocumentEdited() {} isDocumentEdited() { return false; } setContentProtection() {} setIgnoreMouseEvents() {}
  setVisibleOnAllWorkspaces() {} isVisibleOnAllWorkspaces() { return false; } setShape() {}
  capturePage() { return this.webContents.capturePage(); }
  setBrowserView() {} getBrowserView() { return null; } addBrowserView() {} removeBrowserView() {} getBrowserViews() { return []; }
  get contentView() { return { children: [], addChildView() {}, removeChildView() {} }; }
}

// ---------------------------------------------------------------- app and lifecycle
function onWindowClosed() {
  if (state.windows.size > 0) return;
  if (state.exiting) return shutdown(state.exitCode);
  if (state.quitting) return notifyAndShutdown();
  const ev = makeEvent();
  const hasListeners = app.listenerCount('window-all-closed') > 0;
  app.emit('window-all-closed', ev);
  if (!hasListeners) app.quit();
}

function notifyAndShutdown() {
  if (state.shutDown) return;
  const ev = makeEvent();
  app.emit('will-quit', ev);
  if (ev.defaultPrevented) {
    state.quitting = false;
    return;
  }
  shutdown(0);
}

function shutdown(code) {
  if (state.shutDown) return;
  debug(`shutting down with exit code ${code}`);
  state.shutDown = true;
  state.quitting = true;
  app.emit('quit', makeEvent(), code);
  closeBrowserThenExit(code);
}

async function closeBrowserThenExit(code) {
  // Quitting before Playwright attached (app.quit() at start-up): Playwright must first read
  // Chromium's DevTools line and connect, or its launcher rejects promises nobody handles.
  if (state.attached) await Promise.race([state.attached, new Promise((r) => setTimeout(r, 30_000).unref())]);
  const c = state.chromium;
  if (c) {
    // The reaper kills Chromium (its profile is thrown away, nothing to save), waits for it and
    // removes the profile folder; we exit once it is done, so nothing is left when we are gone.
    try { c.child.kill('SIGTERM'); } catch { /* already gone */ }
    await Promise.race([c.exited, new Promise((r) => setTimeout(r, 3000).unref())]);
    try { fs.rmSync(c.profileDir, { recursive: true, force: true }); } catch { /* reaper's job */ }
  }
  process.exit(code);
}

class CommandLine {
  constructor() { this._switches = new Map(); this._args = []; }
  appendSwitch(name, value) { this._switches.set(String(name), value === undefined ? '' : String(value)); sideEffects.appSwitches.push([name, value]); }
  appendArgument(arg) { this._args.push(String(arg)); }
  hasSwitch(name) { return this._switches.has(name) || (state.config && state.config.switches.has(name)); }
  getSwitchValue(name) { return this._switches.get(name) ?? (state.config && state.config.switches.get(name)) ?? ''; }
  removeSwitch(name) { this._switches.delete(name); }
}

let resolveReady;
const readyPromise = new Promise((r) => { resolveReady = r; });
let singleInstanceLock = false;

class App extends EventEmitter {
  constructor() {
    super();
    this.setMaxListeners(0);
    this.commandLine = new CommandLine();
    this.isPackaged = false;
    this._userAgentFallback = '';
    this._applicationMenu = null;
    this._badgeCount = 0;
    this._appUserModelId = '';
    this.accessibilitySupportEnabled = false;
    this.runningUnderARM64Translation = false;
  }
  get name() { return state.appInfo.name; }
  set name(n) { state.appInfo.name = String(n); }
  getName() { return state.appInfo.name; }
  setName(n) { state.appInfo.name = String(n); }
  getVersion() { return state.appInfo.version; }
  getAppPath() { return state.appInfo.appPath; }
  setAppPath(p) { state.appInfo.appPath = p; }
  isReady() { return state.ready; }
  whenReady() { return readyPromise; }
  getPath(name) {
    if (state.paths[name]) return state.paths[name];
    const home = os.homedir();
    const appData = process.env.XDG_CONFIG_HOME || path.join(home, '.config');
    const userData = state.paths.userData || path.join(appData, state.appInfo.name);
    const map = {
      home, appData, userData, sessionData: userData, temp: os.tmpdir(),
      exe: state.config ? state.config.launcher : process.execPath, module: process.execPath,
      desktop: path.join(home, 'Desktop'), documents: path.join(home, 'Documents'), downloads: path.join(home, 'Downloads'),
      music: path.join(home, 'Music'), pictures: path.join(home, 'Pictures'), videos: path.join(home, 'Videos'),
      recent: path.join(home, '.local', 'share', 'recently-used.xbel'), logs: path.join(userData, 'logs'),
      crashDumps: path.join(userData, 'Crashpad'), assets: state.appInfo.appPath,
    };
    if (!(name in map)) throw new Error(`Failed to get '${name}' path`);
    return map[name];
  }
  setPath(name, p) { state.paths[name] = p; }
  setAppLogsPath(p) { state.paths.logs = p || path.join(this.getPath('userData'), 'logs'); }
  getLocale() { return 'en-US'; }
  getSystemLocale() { return 'en-US'; }
  getPreferredSystemLanguages() { return ['en-US']; }
  getLocaleCountryCode() { return 'US'; }
  quit() {
    if (state.quitting || state.shutDown) return;
    const ev = makeEvent();
    this.emit('before-quit', ev);
    if (ev.defaultPrevented) return;
    state.quitting = true;
    if (state.windows.size === 0) return notifyAndShutdown();
    for (const w of [...state.windows.values()]) {
      w.close();
      if (!state.quitting) return; // a window prevented its close: the quit is cancelled
    }
  }
  exit(code = 0) {
    if (state.shutDown) return;
    state.exiting = true;
    state.quitting = true;
    state.exitCode = code | 0;
    if (state.windows.size === 0) return shutdown(state.exitCode);
    for (const w of [...state.windows.values()]) w.destroy();
  }
  relaunch(options) { sideEffects.relaunch.push(options || {}); logInert('app', 'relaunch'); }
  focus() {} hide() {} show() {} isHidden() { return false; }
  setBadgeCount(n) { this._badgeCount = n | 0; return true; }
  getBadgeCount() { return this._badgeCount; }
  get badgeCount() { return this._badgeCount; }
  set badgeCount(n) { this._badgeCount = n | 0; }
  requestSingleInstanceLock() { singleInstanceLock = true; return true; }
  hasSingleInstanceLock() { return singleInstanceLock; }
  releaseSingleInstanceLock() { singleInstanceLock = false; }
  setAppUserModelId(id) { this._appUserModelId = String(id); }
  setAboutPanelOptions() {} showAboutPanel() {} addRecentDocument() {} clearRecentDocuments() {}
  setAsDefaultProtocolClient() { logInert('app', 'setAsDefaultProtocolClient'); return false; }
  removeAsDefaultProtocolClient() { return false; }
  isDefaultProtocolClient() { return false; }
  getApplicationNameForProtocol() { return ''; }
  setLoginItemSettings() {}
  getLoginItemSettings() { return { openAtLogin: false, openAsHidden: false, wasOpenedAtLogin: false, wasOpenedAsHidden: false, restoreState: false, executableWillLaunchAtLogin: false, launchItems: [] }; }
  setUserTasks() { return false; } setJumpList() {} getJumpListSettings() { return { minItems: 0, removedItems: [] }; }
  disableHardwareAcceleration() { logInert('app', 'disableHardwareAcceleration'); }
  disableDomainBlockingFor3DAPIs() {}
  enableSandbox() {}
  isInApplicationsFolder() { return false; }
  moveToApplicationsFolder() { return false; }
  isEmojiPanelSupported() { return false; }
  showEmojiPanel() {}
  isUnityRunning() { return false; }
  getGPUFeatureStatus() { return {}; }
  getGPUInfo() { return Promise.resolve({}); }
  getAppMetrics() { return []; }
  getFileIcon() { return Promise.resolve(inert.nativeImage.createEmpty()); }
  setActivationPolicy() {}
  setSecureKeyboardEntryEnabled() {}
  isSecureKeyboardEntryEnabled() { return false; }
  configureHostResolver() {}
  setProxy() { return Promise.resolve(); }
  resolveProxy() { return Promise.resolve('DIRECT'); }
  get userAgentFallback() { return this._userAgentFallback; }
  set userAgentFallback(v) { this._userAgentFallback = String(v); }
  get applicationMenu() { return this._applicationMenu; }
  set applicationMenu(m) { this._applicationMenu = m; }
}
const app = new App();

const inert = createInertApis({ logInert, sideEffects, dialogAnswers, EventEmitter, app, getReady: () => state.ready });

// ---------------------------------------------------------------- start-up
function onBrowserEvent(method, params, sessionId) {
  if (debugTarget && method.startsWith('Target.')) debug(`cdp ${method} ${JSON.stringify(params.targetInfo || params).slice(0, 300)}`);
  if (sessionId) {
    const wc = state.bySession.get(sessionId);
    if (wc) wc._onCdpEvent(method, params);
    return;
  }
  if (method === 'Target.targetCreated') {
    // A page opened by one of our windows (window.open, target=_blank): subject to setWindowOpenHandler.
    const info = params.targetInfo;
    const opener = info.openerId && !state.byTarget.has(info.targetId) ? state.byTarget.get(info.openerId) : undefined;
    if (opener && info.type === 'page') opener._onPopup(info);
  } else if (method === 'Target.targetInfoChanged') {
    const wc = state.byTarget.get(params.targetInfo.targetId);
    const title = params.targetInfo.title;
    if (wc && wc._navigated && title !== wc._title && title !== params.targetInfo.url.replace(/^[a-z]+:\/\//, '')) {
      wc._title = title;
      const ev = makeEvent();
      if (wc._win) {
        wc._win.emit('page-title-updated', ev, title, true);
        if (!ev.defaultPrevented) wc._win._title = title;
      }
      wc.emit('page-title-updated', makeEvent(), title, true);
    }
  } else if (method === 'Target.targetDestroyed' || method === 'Target.detachedFromTarget') {
    const wc = method === 'Target.targetDestroyed' ? state.byTarget.get(params.targetId) : state.bySession.get(params.sessionId);
    if (wc) wc._onTargetGone();
  } else if (method === 'Target.targetCrashed') {
    const wc = state.byTarget.get(params.targetId);
    if (wc) wc.emit('render-process-gone', makeEvent(), { reason: 'crashed', exitCode: params.errorCode });
  }
}

/** Electron turns an allowed window.open into a BrowserWindow with the opener's webPreferences. */
function adoptPopup(opener, info) {
  let open = opener._allowedOpens.shift();
  if (!open) {
    // Opened without asking main (a form with target=_blank, a popup the renderer runtime could
    // not intercept): Electron would have asked; it is recorded as such.
    open = { details: { url: info.url, frameName: '', features: '', disposition: 'new-window' }, overrides: {} };
    decisions.record('windowOpen', { url: info.url, frameName: '', action: 'allow', asked: false }, opener);
  }
  const overrides = open.overrides;
  const win = new BrowserWindow({
    show: true, ...overrides,
    webPreferences: { ...opener._prefs, ...(overrides.webPreferences || {}) },
    [ADOPT]: { targetId: info.targetId, url: info.url },
  });
  opener.emit('did-create-window', win, { ...open.details, options: overrides });
}

/**
 * Starts Chromium at once (Playwright waits for its DevTools line before it attaches) and fires
 * `ready` once Chromium answers and, when Playwright launched us, once `__playwright_run()` ran.
 */
function start(config) {
  state.config = config;
  state.appInfo = config.appInfo;
  process.resourcesPath = config.appInfo.appPath;
  const chromium = config.chromium;
  state.chromium = chromium;
  state.cdp = chromium.cdp;
  state.cdp.on('event', onBrowserEvent);
  state.cdp.on('close', () => {
    // Chromium went away under us (crashed or killed): Electron would lose every window; quit.
    if (!state.shutDown) {
      process.stderr.write('[conform stand-in] Chromium exited; quitting.\n');
      for (const w of [...state.windows.values()]) w._destroyNow();
      if (!state.shutDown) shutdown(state.exitCode);
    }
  });
  chromium.exited.then(() => { if (!state.shutDown) state.cdp._onClose(); });
  state.browserUp = Promise.all([
    state.cdp.send('Browser.getVersion').then((v) => { debug(`browser up: ${v.product}`); process.versions.chrome = String(v.product).split('/')[1] || ''; }),
    state.cdp.send('Target.setDiscoverTargets', { discover: true }),
  ]);
  // Playwright evaluates __playwright_run() (defined by the bootstrap) once it has attached to both processes.
  const attached = config.attached || Promise.resolve();
  state.attached = attached;
  attached.then(() => debug('Playwright attached'));
  Promise.all([state.browserUp, attached]).then(() => {
    if (state.shutDown) return; // the app quit during start-up: Electron never gets ready then
    debug('ready');
    state.ready = true;
    app.emit('will-finish-launching');
    app.emit('ready', makeEvent(), {});
    resolveReady({});
  }, (err) => {
    process.stderr.write(`[conform stand-in] Chromium did not start: ${err.message}\n`);
    // Playwright waits for a DevTools line and leaves waiters that reject unhandled if we die
    // first: give it one that fails its connection cleanly, then go.
    if (config.underPlaywright) {
      process.stderr.write('DevTools listening on ws://127.0.0.1:9/devtools/browser/conform-standin-chromium-did-not-start\n');
      setTimeout(() => process.exit(1), 5_000);
    } else {
      process.exit(1);
    }
  });
}

/**
 * Resolves true once every renderer->main message sent before the call has been dispatched to
 * its listeners: a round trip on each window's own CDP session, whose events (the IPC binding's
 * calls) arrive in order ahead of the answer. A window that goes away meanwhile fails its round
 * trip (cdp.cjs fails the commands of a detached session; its messages are moot then); one that
 * does not answer within timeoutMs (a renderer that hangs, a window still attaching) makes it
 * resolve false. Replaces a fixed wait for fire-and-forget sends.
 */
function flushIpc(timeoutMs = 2_000) {
  const live = [...state.contents.values()].filter((wc) => !wc._destroyed && wc._sessionId);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    if (timer.unref) timer.unref();
    Promise.all(live.map((wc) => wc._cdp('Runtime.evaluate', { expression: '0', returnByValue: true }).catch(() => undefined))).then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

const electronModule = {
  app, ipcMain, BrowserWindow, webContents: WebContents, WebContentsView: inert.WebContentsView,
  BaseWindow: inert.BaseWindow, BrowserView: inert.BrowserView,
  ...inert.apis,
  webFrameMain: { fromId: (pid, rid) => { const wc = state.contents.get(pid); return wc && rid === 1 ? wc.mainFrame : undefined; }, fromFrameToken: () => null },
  __standin: { sideEffects, inertCalls, queueDialogAnswer, decisions: decisions.api, flushIpc, kind: 'standin', version: STANDIN_ELECTRON_VERSION },
};

module.exports = { electronModule, start, state, debug, STANDIN_ELECTRON_VERSION, NOT_CLONEABLE };
