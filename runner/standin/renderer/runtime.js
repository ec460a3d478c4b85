// Renderer side of the Electron stand-in. This file is not a module: the main process embeds its
// text (one function expression) into the script it registers with
// Page.addScriptToEvaluateOnNewDocument, so it runs in every new document of the window before
// the page's own scripts. It gives the preload what a sandboxed Electron preload gets
// (ipcRenderer, contextBridge, webFrame, the sandboxed `require` set) and talks to the main
// process through a CDP binding (renderer -> main) and a dispatcher the main process evaluates
// (main -> renderer). There is no isolated world: the preload runs in the page's world.
(function standinRenderer(cfg, makeCodec, loadEvents, loadBuffer) {
  if (window !== window.top) return; // preloads run in the main frame only, as in Electron
  const codec = makeCodec();
  const binding = globalThis[cfg.binding];
  try { delete globalThis[cfg.binding]; } catch { /* keep going: the page may see the binding */ }
  const eventsModule = { exports: {} };
  loadEvents(eventsModule, eventsModule.exports);
  const EventEmitter = eventsModule.exports;
  const Buffer = loadBuffer ? loadBuffer() : undefined;

  const post = (msg) => binding(JSON.stringify(msg));
  let nextId = 1;
  const pendingInvokes = new Map();

  const ipcRenderer = new EventEmitter();
  ipcRenderer.setMaxListeners(0);
  ipcRenderer.send = function send(channel, ...args) {
    post({ t: 's', c: String(channel), a: codec.encode(args) });
  };
  ipcRenderer.invoke = async function invoke(channel, ...args) {
    const a = codec.encode(args); // throws "An object could not be cloned." like Electron's serializer
    const id = nextId++;
    const reply = new Promise((resolve) => pendingInvokes.set(id, resolve));
    post({ t: 'i', id, c: String(channel), a });
    const { ok, v, e } = await reply;
    if (!ok) throw new Error(`Error invoking remote method '${channel}': ${e}`);
    return codec.decode(v);
  };
  // Blocking call into the main process: the renderer pauses on the `debugger` statement below;
  // the main process (Debugger enabled on its session) reads the message from `box`, writes the
  // answer into it while the renderer is paused, then resumes it. No network request, so a page
  // CSP cannot block it. (The message does not go through the binding: Chromium may hold a
  // binding notification until the pause ends.)
  function __conformStandinSyncCall(msg, what) {
    const id = nextId++;
    const box = { id, msg: JSON.stringify({ ...msg, id }), done: false, value: undefined };
    debugger; // eslint-disable-line no-debugger
    // V8 can skip a pause at the position it last resumed from (seen on back-to-back calls):
    // a second statement sits at another position.
    if (!box.done) debugger; // eslint-disable-line no-debugger
    if (!box.done) throw new Error(`${what} failed in the Electron stand-in: the main process did not answer`);
    return codec.decode(box.value);
  }
  const syncCall = __conformStandinSyncCall;
  ipcRenderer.sendSync = function sendSync(channel, ...args) {
    const a = codec.encode(args);
    return syncCall({ t: 'y', c: String(channel), a }, `ipcRenderer.sendSync('${channel}')`);
  };
  ipcRenderer.sendToHost = function sendToHost() {
    throw new Error('ipcRenderer.sendToHost is not supported by the Electron stand-in (no <webview> hosts).');
  };
  ipcRenderer.postMessage = function postMessage(channel) {
    throw new Error(`ipcRenderer.postMessage('${channel}') is not supported by the Electron stand-in: MessagePort transfer needs real Electron.`);
  };

  const dispatch = (batch) => {
    for (const m of batch) {
      try {
        if (m.t === 'r') {
          const resolve = pendingInvokes.get(m.id);
          if (resolve) { pendingInvokes.delete(m.id); resolve(m); }
        } else if (m.t === 'm') {
          ipcRenderer.emit(m.c, { sender: ipcRenderer, senderId: 0, ports: [] }, ...codec.decode(m.a));
        }
      } catch (err) {
        // A throwing listener must not stop later messages; report it like an uncaught error.
        setTimeout(() => { throw err; });
      }
    }
  };
  Object.defineProperty(globalThis, cfg.dispatch, { value: dispatch, enumerable: false, configurable: true });

  // contextBridge: values crossing into the page are copies; functions become proxies that copy
  // their arguments and results; promises are proxied; other objects go through structuredClone.
  function copy(value, freeze, seen) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
    if (typeof value === 'function') {
      const fn = value;
      return function () {
        const args = Array.prototype.map.call(arguments, (x) => copy(x, false, new Map()));
        return copy(fn.apply(undefined, args), false, new Map());
      };
    }
    if (seen.has(value)) return seen.get(value);
    if (value instanceof Promise) return value.then((v) => copy(v, false, new Map()), (e) => { throw copy(e, false, new Map()); });
    if (value instanceof Error) { const e = new Error(value.message); seen.set(value, e); return e; }
    const tag = Object.prototype.toString.call(value);
    if (Array.isArray(value) || tag === '[object Object]') {
      const out = Array.isArray(value) ? [] : {};
      seen.set(value, out);
      for (const k of Object.keys(value)) out[k] = copy(value[k], freeze, seen);
      return freeze ? Object.freeze(out) : out;
    }
    try {
      return structuredClone(value);
    } catch {
      throw new Error('An object could not be cloned.');
    }
  }
  const requireIsolation = () => {
    if (!cfg.contextIsolation) throw new Error('contextBridge API can only be used when contextIsolation is enabled');
  };
  const contextBridge = {
    exposeInMainWorld(apiKey, api) {
      requireIsolation();
      if (Object.prototype.hasOwnProperty.call(window, apiKey)) {
        throw new Error('Cannot bind an API on top of an existing property on the window object');
      }
      Object.defineProperty(window, apiKey, { value: copy(api, true, new Map()), enumerable: true, configurable: false, writable: false });
    },
    exposeInIsolatedWorld(worldId, apiKey) {
      throw new Error(`contextBridge.exposeInIsolatedWorld(${worldId}, '${apiKey}') is not supported by the Electron stand-in (no isolated worlds).`);
    },
    executeInMainWorld({ func, args = [] }) {
      requireIsolation();
      return copy(func(...args.map((x) => copy(x, false, new Map()))), false, new Map());
    },
  };

  let zoomFactor = 1;
  const insertedCss = new Map();
  const webFrame = {
    routingId: 1,
    top: null,
    setZoomFactor(f) { zoomFactor = f; },
    getZoomFactor() { return zoomFactor; },
    setZoomLevel(l) { zoomFactor = Math.pow(1.2, l); },
    getZoomLevel() { return Math.log(zoomFactor) / Math.log(1.2); },
    setVisualZoomLevelLimits() { return Promise.resolve(); },
    setSpellCheckProvider() {},
    insertCSS(css) {
      const key = `standin-css-${insertedCss.size + 1}`;
      const el = document.createElement('style');
      el.textContent = css;
      (document.head || document.documentElement).appendChild(el);
      insertedCss.set(key, el);
      return key;
    },
    removeInsertedCSS(key) { const el = insertedCss.get(key); if (el) el.remove(); insertedCss.delete(key); },
    executeJavaScript(code) { return new Promise((resolve) => resolve((0, eval)(code))); },
    getResourceUsage() { return {}; },
    clearCache() {},
    getFrameForSelector() { return null; },
    findFrameByName() { return null; },
  };
  webFrame.top = webFrame;

  const webUtils = { getPathForFile(file) { return (file && file.path) || ''; } };
  const crashReporter = { addExtraParameter() {}, removeExtraParameter() {}, getParameters() { return {}; } };
  const electron = { ipcRenderer, contextBridge, webFrame, webUtils, crashReporter };

  const proc = new EventEmitter();
  Object.assign(proc, {
    type: 'renderer',
    platform: cfg.platform,
    arch: cfg.arch,
    versions: cfg.versions,
    env: cfg.env,
    argv: cfg.argv,
    execPath: cfg.execPath,
    pid: cfg.pid,
    sandboxed: cfg.sandbox,
    contextIsolated: cfg.contextIsolation,
    isMainFrame: true,
    resourcesPath: cfg.resourcesPath,
    cwd: () => cfg.cwd,
    nextTick: (fn, ...args) => queueMicrotask(() => fn(...args)),
    hrtime: Object.assign((prev) => {
      const ns = BigInt(Math.round(performance.now() * 1e6));
      const t = [Number(ns / 1000000000n), Number(ns % 1000000000n)];
      return prev ? [t[0] - prev[0], t[1] - prev[1]] : t;
    }, { bigint: () => BigInt(Math.round(performance.now() * 1e6)) }),
    getProcessMemoryInfo: () => Promise.resolve({ private: 0, shared: 0, residentSet: 0 }),
    getSystemMemoryInfo: () => ({ total: 0, free: 0 }),
    getCreationTime: () => performance.timeOrigin,
  });

  const setImmediate = (fn, ...args) => setTimeout(fn, 0, ...args);
  const clearImmediate = (h) => clearTimeout(h);
  const timers = { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate };
  const builtins = {
    electron, 'electron/renderer': electron, 'electron/common': electron,
    events: EventEmitter, 'node:events': EventEmitter,
    timers, 'node:timers': timers,
    url: { URL, URLSearchParams }, 'node:url': { URL, URLSearchParams },
  };
  function sandboxedRequire(name) {
    if (Object.prototype.hasOwnProperty.call(builtins, name)) return builtins[name];
    throw new Error(`module not found: ${name} (the Electron stand-in runs every preload as a sandboxed preload: only electron, events, timers and url can be required)`);
  }

  // window.open asks the main process first, like Electron's setWindowOpenHandler: a denied
  // window.open returns null. Links that open a new window go through it too.
  const originalOpen = window.open;
  Object.defineProperty(window, 'open', {
    configurable: true, writable: true, enumerable: true,
    value: function open(url, target, features) {
      let abs = 'about:blank';
      if (url !== undefined && url !== '') { try { abs = new URL(String(url), location.href).href; } catch { abs = String(url); } }
      const decision = syncCall({ t: 'w', url: abs, frameName: target === undefined ? '' : String(target), features: features === undefined ? '' : String(features) }, 'window.open');
      if (!decision || decision.action === 'deny') return null;
      return originalOpen.call(window, url, target, features);
    },
  });

  // A click on a link with a target opens a window in Electron only after setWindowOpenHandler
  // agreed. Listening on window in the bubble phase leaves the page's own handlers (and their
  // preventDefault) first.
  window.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    const link = event.target && event.target.closest ? event.target.closest('a[href][target]') : null;
    const target = link && link.getAttribute('target');
    if (!target || /^_(self|parent|top)$/i.test(target)) return;
    event.preventDefault();
    window.open(link.href, target === '_blank' ? '' : target, /noopener|noreferrer/i.test(link.rel) ? 'noopener' : '');
  });

  if (!cfg.contextIsolation && cfg.nodeIntegration) {
    // nodeIntegration without isolation: the page itself gets require/process (sandboxed set only).
    window.require = sandboxedRequire;
    window.process = proc;
    window.Buffer = Buffer;
  }

  // The preload runs as a separate injected script (so a syntax error in it does not break IPC);
  // it picks these up through a symbol the page never sees because it is deleted on use.
  Object.defineProperty(globalThis, Symbol.for('conform.standin.preload'), {
    configurable: true,
    value: { require: sandboxedRequire, process: proc, Buffer, setImmediate, clearImmediate, path: cfg.preload },
  });
})
