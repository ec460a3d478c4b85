'use strict';
// Script Manager: the main process of Conform's reference app for seed contract 003.
// IPC handlers for scripts, profiles, settings, import/export, process control and updates;
// state lives in <userData>/script-manager.json, logs in <userData>/logs, and the update feed
// is an HTTP server emulated by msw (update-feed.js).
const path = require('node:path');
const crypto = require('node:crypto');
const { app, BrowserWindow, ipcMain, Notification, crashReporter } = require('electron');
const { setupServer } = require('msw/node');
const { Store, SCHEMA_VERSION } = require('./store.js');
const { ProcessManager, ScriptNotFoundError } = require('./process-manager.js');
const { Updater } = require('./updater.js');
const { createUpdateFeedHandlers, FEED_BASE_URL } = require('./update-feed.js');
const { activeFaults } = require('./faults.js');
const validate = require('./validate.js');

const faults = activeFaults();
const fault = (id) => faults.has(id);

const userData = app.getPath('userData');
const store = new Store(userData);

const findScript = (id) => store.data.scripts.find((s) => s.id === id);
const findProfile = (id) => store.data.profiles.find((p) => p.id === id);
const copy = (v) => structuredClone(v);

function broadcast(channel, payload) {
  for (const win of BrowserWindow.getAllWindows()) {
    if (!win.isDestroyed()) win.webContents.send(channel, payload);
  }
}

const processes = new ProcessManager({
  logsDir: path.join(userData, 'logs'),
  getScript: findScript,
  fault,
  onLog: (chunk) => broadcast('process:log:event', chunk),
  onStatus: (snapshot) => {
    if (fault('sm-status-wrong-scriptid')) {
      // Bug (fault): the script's display name sent where its id belongs.
      snapshot = { ...snapshot, scriptId: findScript(snapshot.scriptId)?.name ?? snapshot.scriptId };
    }
    broadcast('process:status:event', snapshot);
    if (snapshot.status === 'crashed') notifyCrash(snapshot);
  },
});

function notifyCrash(snapshot) {
  if (!store.data.settings.notificationsNativeEnabled) return;
  try {
    if (Notification && Notification.isSupported()) {
      const name = findScript(snapshot.scriptId)?.name ?? snapshot.scriptId;
      new Notification({ title: 'Script crashed', body: `${name} exited with code ${snapshot.lastExitCode}` }).show();
    }
  } catch (err) {
    console.error(`[script-manager] notification failed: ${err.message}`);
  }
}

const updater = new Updater({
  feedUrl: FEED_BASE_URL,
  currentVersion: app.getVersion(),
  downloadDir: path.join(userData, 'updates'),
  channel: () => store.data.settings.updateChannel,
  emit: (event) => broadcast('updates:event', event),
  fault,
});

// The update feed's HTTP server, emulated inside this process; everything else goes to the network.
const feedServer = setupServer(...createUpdateFeedHandlers({ baseUrl: FEED_BASE_URL, appVersion: app.getVersion() }));
feedServer.listen({ onUnhandledRequest: 'bypass' });

/** Scripts in a profile: its scriptIds plus scripts that name the profile in their `profiles`. */
function profileScriptIds(profile) {
  const ids = new Set(profile.scriptIds);
  for (const s of store.data.scripts) if (s.profiles && s.profiles.includes(profile.id)) ids.add(s.id);
  return [...ids].filter((id) => findScript(id));
}

function requireScript(id) {
  validate.id('script id', id);
  if (!findScript(id)) throw new ScriptNotFoundError(id);
  return id;
}

function requireProfile(id) {
  validate.id('profile id', id);
  const profile = findProfile(id);
  if (!profile) throw new Error(`Profile not found: ${id}`);
  return profile;
}

// ---- handlers --------------------------------------------------------------------------------

let settingsReady = Promise.resolve();
if (fault('sm-settings-get-hangs')) {
  // Bug (fault): waits for a "settings loaded" signal that nothing ever gives.
  settingsReady = new Promise(() => {});
}

const handlers = {
  'process:ping': () => 'pong',

  'scripts:list': async () => {
    if (fault('sm-list-slow')) {
      // Bug (fault): a retry delay meant for the file watcher ended up on the read path.
      await new Promise((r) => setTimeout(r, 900));
    }
    const scripts = copy(store.data.scripts);
    // Bug (fault): an id -> script map returned where the renderer expects the array.
    if (fault('sm-list-returns-map')) return Object.fromEntries(scripts.map((s) => [s.id, s]));
    return scripts;
  },

  'scripts:create': (input) => {
    validate.scriptInput(input);
    const script = { id: crypto.randomUUID(), ...copy(input) };
    store.data.scripts.push(script);
    store.save();
    // Bug (fault): the input echoed back instead of the stored script (no id).
    if (fault('sm-create-drops-id')) return copy(input);
    return copy(script);
  },

  'scripts:upsert': (script) => {
    validate.scriptDefinition(script);
    const stored = copy(script);
    const i = store.data.scripts.findIndex((s) => s.id === script.id);
    if (i >= 0) store.data.scripts[i] = stored;
    else store.data.scripts.push(stored);
    store.save();
    if (fault('sm-upsert-crashes-main')) {
      // Bug (fault): deferred profile bookkeeping assumes `profiles` is always present; the
      // TypeError is thrown outside the handler, so it takes the main process down.
      setImmediate(() => {
        script.profiles.forEach((pid) => findProfile(pid));
      });
    }
    return copy(stored);
  },

  'scripts:delete': async (id) => {
    requireScript(id);
    await processes.killTree(id);
    store.data.scripts = store.data.scripts.filter((s) => s.id !== id);
    for (const p of store.data.profiles) p.scriptIds = p.scriptIds.filter((sid) => sid !== id);
    store.save();
    processes.forget(id);
    processes.removeLogs(id);
  },

  'profiles:list': () => copy(store.data.profiles),

  'profiles:upsert': (profile) => {
    validate.profile(profile);
    const stored = copy(profile);
    const i = store.data.profiles.findIndex((p) => p.id === profile.id);
    if (i >= 0) store.data.profiles[i] = stored;
    else store.data.profiles.push(stored);
    store.save();
    return copy(stored);
  },

  'profiles:delete': (id) => {
    requireProfile(id);
    store.data.profiles = store.data.profiles.filter((p) => p.id !== id);
    for (const s of store.data.scripts) if (s.profiles) s.profiles = s.profiles.filter((pid) => pid !== id);
    store.save();
  },

  'profiles:startAll': async (id) => {
    const profile = requireProfile(id);
    const results = await Promise.allSettled(profileScriptIds(profile).map((sid) => processes.start(sid)));
    const failed = results.filter((r) => r.status === 'rejected').map((r) => r.reason.message);
    if (failed.length) throw new Error(`Profile "${profile.name}": ${failed.length} script(s) did not start: ${failed.join('; ')}`);
  },

  'profiles:stopAll': async (id) => {
    const profile = requireProfile(id);
    await Promise.all(profileScriptIds(profile).map((sid) => processes.stop(sid)));
  },

  'settings:get': async () => {
    await settingsReady;
    return copy(store.data.settings);
  },

  'settings:update': (patch) => {
    validate.settingsPatch(patch);
    store.data.settings = { ...store.data.settings, ...copy(patch) };
    store.save();
    return copy(store.data.settings);
  },

  'data:export': () => ({ ...copy(store.data), schemaVersion: SCHEMA_VERSION }),

  'data:import': async (request) => {
    validate.importRequest(request);
    const data = copy(request.data);
    const before = new Set(store.data.scripts.map((s) => s.id));
    if (request.mode === 'replace') {
      store.data = { schemaVersion: SCHEMA_VERSION, scripts: data.scripts, profiles: data.profiles, settings: data.settings };
    } else {
      const merge = (current, incoming) => {
        const byId = new Map(current.map((x) => [x.id, x]));
        for (const x of incoming) byId.set(x.id, x);
        return [...byId.values()];
      };
      store.data.scripts = merge(store.data.scripts, data.scripts);
      store.data.profiles = merge(store.data.profiles, data.profiles);
      store.data.settings = { ...store.data.settings, ...data.settings };
    }
    store.save();
    // Scripts that the import removed must not keep running unmanaged.
    const gone = [...before].filter((id) => !findScript(id));
    await Promise.all(gone.map((id) => processes.killTree(id).catch(() => {})));
    for (const id of gone) processes.forget(id);
    return copy(store.data);
  },

  'process:start': async (id) => {
    requireScript(id);
    await processes.start(id);
  },

  'process:stop': async (id) => {
    if (fault('sm-error-thrown-as-object') && (typeof id !== 'string' || !findScript(id))) {
      // Bug (fault): a plain object thrown; Electron turns it into "[object Object]".
      throw { code: 'ENOSCRIPT', message: `Script not found: ${id}` };
    }
    requireScript(id);
    await processes.stop(id);
  },

  'process:restart': async (id) => {
    requireScript(id);
    await processes.restart(id);
  },

  'process:snapshot': (id) => {
    validate.id('script id', id);
    return processes.snapshot(id) ?? (findScript(id) ? processes.idleSnapshot(id) : undefined);
  },

  'process:snapshots': () => store.data.scripts.map((s) => processes.snapshot(s.id) ?? processes.idleSnapshot(s.id)),

  'process:killTree': async (id) => {
    requireScript(id);
    await processes.killTree(id);
  },

  'process:readLog': (id) => {
    requireScript(id);
    return processes.readLog(id);
  },

  'updates:check': () => updater.check(),

  'updates:download': () => updater.download(),

  'updates:quitAndInstall': () => {
    if (!updater.downloaded) throw new Error('No update has been downloaded: run updates:download first');
    // The emulated feed has nothing to install; quitting (and stopping every script) is the
    // observable part. No relaunch, so nothing outlives a test that calls it.
    console.log(`[script-manager] installing ${updater.downloaded.version} from ${updater.downloaded.path} on quit`);
    setImmediate(() => app.quit());
  },
};

if (fault('sm-profiles-delete-unregistered')) {
  // Bug (fault): the handler was lost when the profile handlers were moved around.
  delete handlers['profiles:delete'];
}

if (fault('sm-debug-dump-channel')) {
  // Bug (fault): a debugging channel left in: it is in no contract and leaks internal state.
  handlers['process:debugDump'] = () => ({
    userData,
    runtimes: [...processes.runtimes.values()].map((rt) => ({ scriptId: rt.scriptId, status: rt.status, pid: rt.pid, retries: rt.retries })),
    env: { ...process.env },
  });
}

for (const [channel, handler] of Object.entries(handlers)) {
  ipcMain.handle(channel, async (_event, ...args) => {
    try {
      return await handler(...args);
    } catch (err) {
      // Bug (fault): every failure turned into a resolved { ok: false } instead of a rejection.
      if (fault('sm-start-failure-as-union') && channel === 'process:start') return { ok: false, error: err.message };
      throw err;
    }
  });
}

// ---- window and lifecycle ----------------------------------------------------------------------

function createWindow() {
  const additionalArguments = faults.size ? [`--conform-faults=${[...faults].join(',')}`] : [];
  const win = new BrowserWindow({
    width: 1180,
    height: 780,
    title: 'Script Manager',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      // Bug (fault): sandbox switched off "to debug the preload" and never switched back on.
      sandbox: !fault('sm-window-sandbox-off'),
      nodeIntegration: false,
      additionalArguments,
    },
  });
  // The renderer only shows local files: no new windows, no navigation away.
  if (typeof win.webContents.setWindowOpenHandler === 'function') {
    win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  }
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.once('ready-to-show', () => {
    if (store.data.settings.startMinimized && typeof win.minimize === 'function') win.minimize();
    else win.show();
  });
  win.loadFile(path.join(__dirname, 'renderer', 'index.html'));
  return win;
}

// Stop every child before quitting, so nothing outlives the app.
let stoppedForQuit = false;
app.on('before-quit', (event) => {
  if (stoppedForQuit) return;
  const running = [...processes.runtimes.values()].some((rt) => rt.child || rt.restartTimer);
  if (!running) {
    stoppedForQuit = true;
    return;
  }
  event.preventDefault();
  processes.stopAll().finally(() => {
    stoppedForQuit = true;
    app.quit();
  });
});
app.on('will-quit', () => {
  processes.dispose();
  feedServer.close();
});
process.on('exit', () => processes.killAllNow());
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    processes.killAllNow();
    app.quit();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Crash dumps stay local (no upload server); Electron wants this as early as possible.
if (store.data.settings.crashReportingEnabled && crashReporter) {
  try {
    crashReporter.start({ uploadToServer: false });
  } catch (err) {
    console.error(`[script-manager] crash reporter not started: ${err.message}`);
  }
}

app.whenReady().then(() => {
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  for (const script of store.data.scripts) {
    if (script.autoStart) {
      processes.start(script.id).catch((err) => console.error(`[script-manager] autoStart of ${script.name} failed: ${err.message}`));
    }
  }
});
