'use strict';
// cosmosh-lite main process: a slice of seed 004. Main spawns nothing: backend:* channels are
// proxied over HTTP to the backend with the internal token header and answer
// `Api...Response | ApiErrorResponse` (or `{ success: boolean }`) without ever rejecting;
// app:* / i18n:* channels are local. Without COSMOSH_BACKEND_URL the backend is emulated in this
// process by msw (backend.js) with a token made at start-up.
const { app, BrowserWindow, Menu, dialog, ipcMain, shell } = require('electron');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { activeFaults } = require('./faults.js');
const { TOKEN_HEADER, API_PREFIX } = require('./backend.js');

const faults = activeFaults();
const fault = (id) => faults.has(id);
const pkg = require('./package.json');

// ------------------------------------------------------------------ backend connection
const backendUrl = (process.env.COSMOSH_BACKEND_URL || 'http://127.0.0.1:47110').replace(/\/+$/, '');
// The real app hands a fresh token to the backend it spawns; the emulated one gets it directly.
const internalToken = process.env.COSMOSH_BACKEND_URL ? process.env.COSMOSH_INTERNAL_TOKEN || '' : randomBytes(24).toString('hex');
if (!process.env.COSMOSH_BACKEND_URL) {
  const { setupServer } = require('msw/node');
  const { createBackend } = require('./backend.js');
  const backend = createBackend({ baseUrl: backendUrl, token: internalToken });
  setupServer(...backend.handlers).listen({ onUnhandledRequest: 'bypass' });
}

const apiError = (code, message) => ({ success: false, code, message, timestamp: new Date().toISOString() });

class InvalidArgument extends Error {}
function id(value, name) {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidArgument(`${name} must be a non-empty string.`);
  return encodeURIComponent(value);
}
function body(value, name) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidArgument(`${name} must be an object.`);
  return value;
}

/**
 * One HTTP round trip to the backend. Resolves with the backend's JSON envelope for any status
 * (the backend answers ApiErrorResponse bodies on 4xx/5xx); transport failures become an
 * ApiErrorResponse too, so a backend:* call never rejects.
 */
async function backendRequest(method, route, { json, query } = {}) {
  const url = new URL(backendUrl + API_PREFIX + route);
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (['string', 'number', 'boolean'].includes(typeof v)) url.searchParams.set(k, String(v));
    }
  }
  let res;
  try {
    res = await fetch(url, {
      method,
      headers: { [TOKEN_HEADER]: internalToken, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: json !== undefined ? JSON.stringify(json) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    return { status: 0, body: apiError('BACKEND_UNAVAILABLE', `Backend request failed: ${err.message}`) };
  }
  let parsed;
  try {
    parsed = await res.json();
  } catch {
    parsed = apiError('BACKEND_BAD_RESPONSE', `Backend answered ${res.status} without a JSON body.`);
  }
  return { status: res.status, body: parsed };
}

/** Register a backend:* channel answering `Api...Response | ApiErrorResponse`. */
function proxy(channel, build) {
  ipcMain.handle(channel, async (_e, ...args) => {
    let req;
    try {
      req = build(...args);
    } catch (err) {
      if (err instanceof InvalidArgument) return apiError('INVALID_ARGUMENT', err.message);
      throw err;
    }
    const { body: result } = await backendRequest(req.method, req.route, req);
    return result;
  });
}

/** Register a backend:* channel answering exactly `{ success: boolean }`. */
function proxyFlag(channel, build) {
  ipcMain.handle(channel, async (_e, ...args) => {
    let req;
    try {
      req = build(...args);
    } catch (err) {
      if (err instanceof InvalidArgument) return { success: false };
      throw err;
    }
    const { body: result } = await backendRequest(req.method, req.route, req);
    return { success: result?.success === true };
  });
}

let backendReady = Promise.resolve();
ipcMain.handle('backend:test-ping', async () => {
  if (fault('cl-test-ping-hang')) {
    // Bug: waits for a "backend ready" signal that only the spawned-backend code path resolves.
    backendReady = new Promise(() => {});
  }
  await backendReady;
  return (await backendRequest('GET', '/test/ping')).body;
});

/** Take the persisted locale once, on the first settings read (fire-and-forget after it). */
let localeSynced = false;
async function syncLocaleFrom(result) {
  if (localeSynced) return;
  localeSynced = true;
  // Bug (fault cl-settings-get-crash): reads the pre-1.0 shape data.preferences.locale; the
  // TypeError escapes as an unhandled rejection in main because nobody awaits this.
  const persisted = fault('cl-settings-get-crash') ? result.data.preferences.locale : result?.data?.settings?.locale;
  if (typeof persisted === 'string' && resolveLocale(persisted) !== locale) {
    locale = resolveLocale(persisted);
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.setTitle(TITLES[locale]);
  }
}

ipcMain.handle('backend:settings-get', async () => {
  const { body: result } = await backendRequest('GET', '/settings');
  if (result?.success === true) {
    const sync = syncLocaleFrom(result);
    if (!fault('cl-settings-get-crash')) sync.catch((err) => console.error('locale sync failed:', err.message));
  }
  return result;
});
proxy('backend:settings-update', (payload) => ({ method: 'PUT', route: '/settings', json: body(payload, 'payload') }));
proxy('backend:audit-list-events', (query) => {
  if (query !== undefined && query !== null) body(query, 'query');
  return { method: 'GET', route: '/audit/events', query: query ?? undefined };
});
proxy('backend:audit-get-event-by-id', (eventId) => ({ method: 'GET', route: `/audit/events/${id(eventId, 'eventId')}` }));

proxy('backend:ssh-list-servers', () => ({ method: 'GET', route: '/ssh/servers' }));
proxy('backend:ssh-create-server', (payload) => ({ method: 'POST', route: '/ssh/servers', json: body(payload, 'payload') }));
ipcMain.handle('backend:ssh-update-server', async (_e, serverId, payload) => {
  let route;
  let json;
  try {
    route = `/ssh/servers/${id(serverId, 'serverId')}`;
    json = body(payload, 'payload');
  } catch (err) {
    if (fault('cl-update-server-throws')) throw new Error(err.message);
    return apiError('INVALID_ARGUMENT', err.message);
  }
  const { status, body: result } = await backendRequest('PUT', route, { json });
  // Bug (fault): "fetch-style" error handling copied from another service: non-2xx throws.
  if (fault('cl-update-server-throws') && (status < 200 || status >= 300)) throw new Error(result?.message ?? `HTTP ${status}`);
  return result;
});
proxy('backend:ssh-get-server-credentials', (serverId) => ({ method: 'GET', route: `/ssh/servers/${id(serverId, 'serverId')}/credentials` }));
proxyFlag('backend:ssh-delete-server', (serverId) => ({ method: 'DELETE', route: `/ssh/servers/${id(serverId, 'serverId')}` }));

if (!fault('cl-list-folders-unregistered')) {
  // (fault: this registration was lost when the folder handlers moved to their own module)
  proxy('backend:ssh-list-folders', () => ({ method: 'GET', route: '/ssh/folders' }));
}
proxy('backend:ssh-create-folder', (payload) => ({ method: 'POST', route: '/ssh/folders', json: body(payload, 'payload') }));
proxy('backend:ssh-update-folder', (folderId, payload) => ({ method: 'PUT', route: `/ssh/folders/${id(folderId, 'folderId')}`, json: body(payload, 'payload') }));
proxyFlag('backend:ssh-delete-folder', (folderId) => ({ method: 'DELETE', route: `/ssh/folders/${id(folderId, 'folderId')}` }));

proxy('backend:ssh-list-tags', () => ({ method: 'GET', route: '/ssh/tags' }));
proxy('backend:ssh-create-tag', (payload) => ({ method: 'POST', route: '/ssh/tags', json: body(payload, 'payload') }));

proxy('backend:ssh-list-keychains', () => ({ method: 'GET', route: '/ssh/keychains' }));
proxy('backend:ssh-create-keychain', (payload) => ({ method: 'POST', route: '/ssh/keychains', json: body(payload, 'payload') }));
proxy('backend:ssh-update-keychain', (keychainId, payload) => ({ method: 'PUT', route: `/ssh/keychains/${id(keychainId, 'keychainId')}`, json: body(payload, 'payload') }));
proxy('backend:ssh-get-keychain-credentials', (keychainId) => ({ method: 'GET', route: `/ssh/keychains/${id(keychainId, 'keychainId')}/credentials` }));
proxyFlag('backend:ssh-delete-keychain', (keychainId) => ({ method: 'DELETE', route: `/ssh/keychains/${id(keychainId, 'keychainId')}` }));

proxy('backend:port-forward-list-rules', () => ({ method: 'GET', route: '/port-forward/rules' }));
proxy('backend:port-forward-create-rule', (payload) => ({ method: 'POST', route: '/port-forward/rules', json: body(payload, 'payload') }));
proxyFlag('backend:port-forward-delete-rule', (ruleId) => ({ method: 'DELETE', route: `/port-forward/rules/${id(ruleId, 'ruleId')}` }));

proxy('backend:local-terminal-list-profiles', () => ({ method: 'GET', route: '/local-terminal/profiles' }));

if (fault('cl-raw-request-channel')) {
  // Bug: a "temporary" pass-through channel for debugging any backend route from DevTools.
  ipcMain.handle('backend:raw-request', async (_e, method, route, json) => (await backendRequest(String(method), String(route), { json })).body);
}

// ------------------------------------------------------------------ local app:* / i18n:* channels
const SUPPORTED_LOCALES = ['en', 'zh-CN'];
const TITLES = { en: 'Cosmosh Lite', 'zh-CN': 'Cosmosh 轻量版' };
/** Map any locale tag to a supported one: zh-* -> zh-CN, everything else -> en. */
function resolveLocale(tag) {
  const t = String(tag).trim().replace('_', '-');
  if (SUPPORTED_LOCALES.includes(t)) return t;
  return /^zh(\b|-)/i.test(t) ? 'zh-CN' : 'en';
}
let locale = resolveLocale(app.getLocale?.() || process.env.LANG || 'en');
let mainWindow = null;

ipcMain.handle('i18n:get-locale', async () => locale);
ipcMain.handle('i18n:set-locale', async (_e, next) => {
  if (typeof next !== 'string') {
    // Bug (fault): the backend's error envelope pattern copied into a local handler.
    if (fault('cl-set-locale-envelope')) return apiError('INVALID_LOCALE', 'locale must be a string.');
    throw new TypeError('locale must be a string');
  }
  locale = resolveLocale(next);
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.setTitle(TITLES[locale]);
  return locale;
});

ipcMain.handle('app:get-runtime-user-name', async () => {
  try {
    const name = os.userInfo().username;
    if (name) return name;
  } catch {
    // No passwd entry (containers): fall through to the environment.
  }
  return process.env.USER || process.env.USERNAME || process.env.LOGNAME || 'user';
});

ipcMain.handle('app:get-version-info', async () => {
  const build = pkg.cosmosh ?? {};
  const info = {
    appName: app.getName() || pkg.productName,
    version: app.getVersion() || pkg.version,
    buildVersion: String(build.buildVersion ?? pkg.version),
    buildTime: String(build.buildTime ?? ''),
    commit: String(build.commit ?? 'unknown'),
    electron: String(process.versions.electron ?? ''),
    chromium: String(process.versions.chrome ?? ''),
    node: String(process.versions.node ?? ''),
    v8: String(process.versions.v8 ?? ''),
    os: `${os.type()} ${os.release()} (${process.arch})`,
  };
  if (fault('cl-version-info-extra-field')) info.arch = process.arch; // Bug: a field the contract does not have.
  if (fault('cl-version-info-missing-commit')) {
    // Bug: commit taken from COSMOSH_GIT_COMMIT, which only CI sets; elsewhere the field is left out.
    delete info.commit;
    if (process.env.COSMOSH_GIT_COMMIT) info.commit = process.env.COSMOSH_GIT_COMMIT;
  }
  return info;
});

ipcMain.handle('app:get-downloads-path', async () => {
  const dir = app.getPath('downloads');
  return fault('cl-downloads-path-object') ? { path: dir } : dir;
});

ipcMain.handle('app:show-in-file-manager', async (_e, targetPath) => {
  if (targetPath !== undefined && typeof targetPath !== 'string') {
    // Bug (fault): throws a plain object, so the renderer sees "[object Object]".
    if (fault('cl-show-in-folder-throws-object')) throw { code: 'EINVALIDPATH', message: 'targetPath must be a string' };
    throw new TypeError('targetPath must be a string');
  }
  let target;
  if (targetPath === undefined || targetPath === '') {
    // No target: the app's own data folder (created on demand, so there is always something to show).
    target = app.getPath('userData');
    fs.mkdirSync(target, { recursive: true });
  } else {
    target = path.resolve(targetPath);
  }
  if (!fs.existsSync(target)) return false;
  if (fs.statSync(target).isDirectory()) {
    const err = await shell.openPath(target);
    return err === '';
  }
  shell.showItemInFolder(target);
  return true;
});

ipcMain.handle('app:open-external-url', async (_e, targetUrl) => {
  if (typeof targetUrl !== 'string' || targetUrl === '') throw new TypeError('targetUrl must be a non-empty string');
  if (fault('cl-open-url-includes-http')) {
    // Bug (when the fault is on): "is it a web link?" tested with includes('http'), so
    // javascript://https://... and file:///.../https.html reach the system browser.
    if (!targetUrl.includes('http')) return false;
    await shell.openExternal(targetUrl);
    return true;
  }
  let url;
  try {
    url = new URL(targetUrl);
  } catch {
    return false;
  }
  // Only trusted web URLs reach the system browser; file:, javascript:, custom schemes never do.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  await shell.openExternal(url.href);
  return true;
});

ipcMain.handle('app:show-save-file-dialog', async (event, defaultPath) => {
  if (defaultPath !== undefined && typeof defaultPath !== 'string') throw new TypeError('defaultPath must be a string');
  const win = BrowserWindow.fromWebContents(event.sender) ?? mainWindow;
  const opts = { defaultPath: defaultPath || path.join(app.getPath('downloads'), 'cosmosh-export.json') };
  const res = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
  return res.canceled || !res.filePath ? { canceled: true } : { canceled: false, filePath: res.filePath };
});

ipcMain.on('app:close-window', (event) => {
  const win = BrowserWindow.fromWebContents(event.sender) ?? BrowserWindow.getFocusedWindow() ?? mainWindow;
  if (win && !win.isDestroyed()) win.close();
});

// ------------------------------------------------------------------ app menu -> renderer
const MENU_ACTIONS = ['open-about', 'open-settings', 'new-tab', 'close-current-tab', 'close-right-tabs', 'show-tab-switcher'];
function sendMenuAction(action) {
  if (!MENU_ACTIONS.includes(action)) throw new Error(`Unknown menu action: ${action}`);
  const win = mainWindow;
  if (!win || win.isDestroyed()) return false;
  // Bug (fault): wrapped in an object "so we can add arguments later"; the contract says a bare action.
  win.webContents.send('app:menu-action', fault('cl-menu-action-object') ? { action } : action);
  return true;
}
// Debug trigger for tests and automation (app.evaluate): the same path a menu click takes.
globalThis.cosmoshLite = { sendMenuAction, menuActions: MENU_ACTIONS };

function buildMenu() {
  const item = (label, action, accelerator) => ({ id: action, label, accelerator, click: () => sendMenuAction(action) });
  return Menu.buildFromTemplate([
    { label: 'Cosmosh', submenu: [item('About Cosmosh Lite', 'open-about'), item('Settings…', 'open-settings', 'CmdOrCtrl+,'), { type: 'separator' }, { role: 'quit' }] },
    {
      label: 'Tabs',
      submenu: [
        item('New Tab', 'new-tab', 'CmdOrCtrl+T'),
        item('Close Tab', 'close-current-tab', 'CmdOrCtrl+W'),
        item('Close Tabs to the Right', 'close-right-tabs'),
        item('Switch Tab…', 'show-tab-switcher', 'CmdOrCtrl+E'),
      ],
    },
  ]);
}

// ------------------------------------------------------------------ window
function createWindow() {
  const win = new BrowserWindow({
    width: 1040,
    height: 700,
    title: TITLES[locale],
    backgroundColor: '#101418',
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      // Bug (when the fault is on): sandbox turned off to let the preload require a Node module.
      sandbox: !fault('cl-sandbox-off'),
      nodeIntegration: false,
      webSecurity: true,
      additionalArguments: faults.size ? [`--conform-faults=${[...faults].join(',')}`] : [],
    },
  });
  // The app's own page only: no navigation away, no new windows (links go through app:open-external-url).
  // Bug (when the fault is on): every http(s) window.open allowed "so docs links open in the app".
  win.webContents.setWindowOpenHandler(({ url }) => ({ action: fault('cl-window-open-allowed') && /^https?:/.test(url) ? 'allow' : 'deny' }));
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  const query = faults.size ? { faults: [...faults].join(',') } : undefined;
  win.loadFile(path.join(__dirname, 'index.html'), query ? { query } : undefined);
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  mainWindow = win;
  return win;
}

app.whenReady().then(() => {
  Menu.setApplicationMenu(buildMenu());
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
