'use strict';
// ollama-chat main process: a slice of seed 000 (window.ollama / window.utils) talking to an
// Ollama-compatible HTTP API. Without OLLAMA_HOST the API is emulated in this process by msw
// (ollama-api.js), so the app runs anywhere, including under the Conform harness.
const { app, BrowserWindow, ipcMain, shell } = require('electron');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const ollama = require('./ollama-client.js');
const { activeFaults } = require('./faults.js');

const faults = activeFaults();
const fault = (id) => faults.has(id);

// ------------------------------------------------------------------ emulated Ollama API
let emulator = null;
if (!process.env.OLLAMA_HOST) {
  const { setupServer } = require('msw/node');
  const { createOllamaApi } = require('./ollama-api.js');
  emulator = createOllamaApi();
  // 'bypass': anything that is not the Ollama API (e.g. a runtime's own HTTP) goes out unchanged.
  setupServer(...emulator.handlers).listen({ onUnhandledRequest: 'bypass' });
}

// ------------------------------------------------------------------ paths and small stores
const userData = () => app.getPath('userData');
const sessionsDir = () => path.join(userData(), 'sessions');
const sessionsFile = () => path.join(sessionsDir(), 'sessions.json');
const assetsDir = () => path.join(userData(), 'assets');
const toolModelsFile = () => path.join(userData(), 'tool-models.json');
const firstLaunchMarker = () => path.join(userData(), '.first-launch-done');

let tmpSeq = 0;
async function writeJsonAtomic(file, value) {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  // One temp file per write: two overlapping writes of the same file (the page's start-up and a
  // user action both refreshing a cache) must not rename each other's temp file away.
  const tmp = `${file}.${process.pid}.${++tmpSeq}.tmp`;
  await fsp.writeFile(tmp, JSON.stringify(value, null, 2));
  await fsp.rename(tmp, file);
}

async function readJsonOr(file, fallback) {
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch (err) {
    if (err.code === 'ENOENT') return fallback;
    throw err;
  }
}

function requireString(value, what) {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${what} must be a non-empty string`);
  return value;
}

/**
 * utils:saveFile's guard: the target must resolve inside userData, also after following symlinks
 * of the part of the path that exists. Relative paths are taken relative to userData.
 */
function resolveUnderUserData(filePath) {
  requireString(filePath, 'filePath');
  if (filePath.includes('\0')) throw new Error('filePath contains a NUL byte');
  const root = path.resolve(userData());
  fs.mkdirSync(root, { recursive: true });
  const realRoot = fs.realpathSync(root);
  if (fault('oc-savefile-startswith')) {
    // Bug (when the fault is on): a string-prefix test on the unresolved path, so
    // `<userData>/../..` and sibling folders like `<userData>-x` pass the guard.
    const raw = path.isAbsolute(filePath) ? filePath : path.join(root, filePath);
    if (!raw.startsWith(root)) throw new Error(`Refusing to write outside the user data folder: ${filePath}`);
    return raw;
  }
  const target = path.resolve(root, filePath);
  const inside = (base, p) => {
    const rel = path.relative(base, p);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  if (!inside(root, target) && !inside(realRoot, target)) {
    throw new Error(`Refusing to write outside the user data folder: ${filePath}`);
  }
  // Follow symlinks on the existing prefix so a link inside userData cannot point out of it.
  let probe = target;
  while (!fs.existsSync(probe)) probe = path.dirname(probe);
  const realProbe = fs.realpathSync(probe);
  if (realProbe !== realRoot && !inside(realRoot, realProbe)) {
    throw new Error(`Refusing to write outside the user data folder: ${filePath}`);
  }
  return target;
}

// ------------------------------------------------------------------ chat state
/** The conversation the main process keeps (ollama:reset clears it). */
let history = [];
/** The one active generation: { controller, cancelled } (one at a time, as in the seed app). */
let active = null;
let selectedModel = null;

function send(webContents, channel, ...payload) {
  if (!webContents.isDestroyed()) webContents.send(channel, ...payload);
}

function toolNames(toolList) {
  if (!Array.isArray(toolList)) return [];
  return toolList
    .map((t) => (typeof t === 'string' ? t : t && typeof t === 'object' ? t.name ?? t.function?.name : undefined))
    .filter((n) => typeof n === 'string' && n !== '');
}

async function streamChat(webContents, model, prompt, toolList, clientUrl) {
  // A new prompt replaces a running one (one active generation); the old one ends as aborted.
  if (active) stopActive(webContents);
  const run = { controller: new AbortController(), cancelled: false, webContents };
  active = run;
  const finishRun = () => {
    if (active === run) active = null;
  };
  let content = '';
  let final = null;
  try {
    requireString(model, 'model');
    if (typeof prompt !== 'string') throw new Error('prompt must be a string');
    const messages = [...history, { role: 'user', content: prompt }];
    const tools = toolNames(toolList).map((name) => ({ type: 'function', function: { name, parameters: { type: 'object', properties: {} } } }));
    const res = await ollama.request(clientUrl, 'POST', '/api/chat', { model, messages, stream: true, ...(tools.length ? { tools } : {}) }, run.controller.signal);
    const pendingTokens = [];
    const outcome = await ollama.readNdjson(
      res,
      async (chunk) => {
        const token = chunk.message?.content ?? '';
        if (token) {
          content += token;
          if (fault('oc-chat-done-overtakes-token')) {
            // Bug: tokens are handed to a deferred send so the renderer gets them in batches;
            // chat-done below is sent at once and overtakes the last deferred token.
            pendingTokens.push(token);
            setTimeout(() => send(webContents, 'ollama:chat-token', pendingTokens.shift()), 15);
          } else {
            send(webContents, 'ollama:chat-token', token);
          }
        }
        if (chunk.done) {
          final = chunk;
          if (fault('oc-chat-done-twice')) send(webContents, 'ollama:chat-done', doneSummary(model, content, chunk));
        }
      },
      () => run.cancelled && !fault('oc-stop-ignored'),
    );
    if (outcome === 'cancelled') return; // stopActive already sent chat-aborted
    history = [...messages, { role: 'assistant', content }];
    if (fault('oc-chat-done-missing') && final) return; // Bug: "final chunk already handled" early return.
    send(webContents, 'ollama:chat-done', doneSummary(model, content, final));
  } catch (err) {
    if (run.cancelled && !fault('oc-stop-ignored')) return;
    if (fault('oc-chat-error-swallowed')) {
      console.error('chat failed:', err.message); // Bug: logged, never reported to the renderer.
      return;
    }
    send(webContents, 'ollama:chat-error', err.message || String(err));
  } finally {
    finishRun();
  }
}

function doneSummary(model, content, final) {
  return {
    model: typeof model === 'string' ? model : String(model),
    content,
    doneReason: final?.done_reason ?? 'stop',
    evalCount: final?.eval_count ?? 0,
    totalDurationMs: final?.total_duration ? Math.round(final.total_duration / 1e6) : 0,
  };
}

/** Abort the active generation: the stream ends with exactly one chat-aborted. */
function stopActive(fallbackWebContents) {
  const run = active;
  if (!run) return false;
  if (fault('oc-stop-ignored')) {
    // Bug: aborts a fresh controller instead of the running one; the stream goes on to chat-done.
    new AbortController().abort();
    return true;
  }
  run.cancelled = true;
  run.controller.abort();
  active = null;
  send(run.webContents ?? fallbackWebContents, 'ollama:chat-aborted');
  return true;
}

// ------------------------------------------------------------------ IPC: window.ollama
ipcMain.handle('ollama:list', async (_e, clientUrl) => {
  const body = await ollama.json(clientUrl, 'GET', '/api/tags');
  return Array.isArray(body?.models) ? body.models : [];
});

ipcMain.handle('ollama:run', async (_e, name) => {
  requireString(name, 'name');
  const show = await ollama.json(undefined, 'POST', '/api/show', { model: name });
  selectedModel = name;
  return { model: name, capabilities: Array.isArray(show?.capabilities) ? show.capabilities : ['completion'] };
});

ipcMain.handle('ollama:delete', async (_e, name, clientUrl) => {
  requireString(name, 'name');
  await ollama.request(clientUrl, 'DELETE', '/api/delete', { model: name });
  if (selectedModel === name) selectedModel = null;
  return { deleted: name };
});

ipcMain.handle('ollama:reset', async () => {
  if (fault('oc-reset-hang')) {
    // Bug: waits for the active generation to "drain" through a promise nothing ever resolves.
    await new Promise(() => {});
  }
  history = [];
  return undefined;
});

ipcMain.handle('ollama:pull', async (event, name, clientUrl) => {
  requireString(name, 'name');
  const res = await ollama.request(clientUrl, 'POST', '/api/pull', { model: name, stream: true });
  let last = null;
  await ollama.readNdjson(res, (p) => {
    last = p;
    const progress = { model: name, status: String(p.status ?? '') };
    if (typeof p.digest === 'string') progress.digest = p.digest;
    if (typeof p.total === 'number') progress.total = p.total;
    if (typeof p.completed === 'number') progress.completed = p.completed;
    if (progress.total) progress.percent = Math.round(((progress.completed ?? 0) / progress.total) * 100);
    send(event.sender, 'ollama:pull-progress', progress);
  });
  if (last?.status !== 'success') throw new Error(`pull of ${name} ended without success (last status: ${last?.status ?? 'none'})`);
  return { model: name, status: 'success' };
});

ipcMain.handle('ollama:available', async () => {
  try {
    const res = await fetch(ollama.baseUrl() + '/', { signal: AbortSignal.timeout(3000) });
    return res.ok;
  } catch {
    return false;
  }
});

ipcMain.on('ollama:chat-stream', (event, model, prompt, toolList, clientUrl) => {
  streamChat(event.sender, model, prompt, toolList, clientUrl).catch((err) => console.error('chat-stream:', err));
});

ipcMain.on('ollama:stop', (event) => {
  stopActive(event.sender);
});

/** Sessions of app versions < 1.2 lived in one file at the top of userData: move them once. */
async function migrateLegacySessions({ careless }) {
  const legacy = path.join(userData(), 'sessions-v1.json');
  // Bug (fault oc-sessions-load-crash): the "no legacy file" case is missing, so a fresh profile
  // makes readFile throw ENOENT; started without await/catch, that is an unhandled rejection in main.
  if (!careless && !fs.existsSync(legacy)) return;
  const old = JSON.parse(await fsp.readFile(legacy, 'utf8'));
  const current = await readJsonOr(sessionsFile(), []);
  await writeJsonAtomic(sessionsFile(), [...(Array.isArray(current) ? current : []), ...(Array.isArray(old) ? old : [])]);
  await fsp.rm(legacy, { force: true });
}

ipcMain.handle('sessions:load', async () => {
  if (fault('oc-sessions-load-crash')) migrateLegacySessions({ careless: true }); // fire-and-forget (the bug)
  else await migrateLegacySessions({ careless: false });
  return readJsonOr(sessionsFile(), []);
});

ipcMain.handle('sessions:save', async (_e, sessions) => {
  if (sessions === undefined) throw new Error('sessions is required');
  await writeJsonAtomic(sessionsFile(), sessions);
  return undefined;
});

ipcMain.handle('session:getPath', async () => {
  await fsp.mkdir(sessionsDir(), { recursive: true });
  return sessionsDir();
});

ipcMain.handle('ollama:get-tool-models', async () => {
  // Bug (fault oc-tool-models-uncached): "always fresh" - refreshes from the server (one /api/show
  // per installed model) on every call instead of answering from the cache.
  if (fault('oc-tool-models-uncached')) return fetchToolModels();
  return readJsonOr(toolModelsFile(), []);
});

async function fetchToolModels() {
  const body = await ollama.json(undefined, 'GET', '/api/tags');
  const names = (body?.models ?? []).map((m) => m.name).filter((n) => typeof n === 'string');
  const withTools = [];
  for (const name of names) {
    try {
      const show = await ollama.json(undefined, 'POST', '/api/show', { model: name });
      if (Array.isArray(show?.capabilities) && show.capabilities.includes('tools')) withTools.push(name);
    } catch {
      // A model that cannot be inspected is not offered for tools.
    }
  }
  await writeJsonAtomic(toolModelsFile(), withTools);
  return withTools;
}
if (!fault('oc-fetch-tool-models-unregistered')) {
  // Bug (when the fault is on): the registration went missing in a refactor; the preload still calls it.
  ipcMain.handle('ollama:fetch-tool-models', fetchToolModels);
}

function titleFrom(text) {
  const words = String(text).replace(/[^\p{L}\p{N}\s'-]/gu, ' ').split(/\s+/).filter(Boolean).slice(0, 6);
  if (words.length === 0) return 'New chat';
  const t = words.join(' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
}

ipcMain.handle('ollama:auto-name-session', async (_e, model, prompt, clientUrl) => {
  requireString(model, 'model');
  if (typeof prompt !== 'string') throw new Error('prompt must be a string');
  ollama.baseUrl(clientUrl); // a malformed clientUrl is the caller's error, not a naming failure
  try {
    const body = await ollama.json(clientUrl, 'POST', '/api/chat', {
      model,
      stream: false,
      messages: [
        { role: 'system', content: 'Reply with a title of at most six words for a chat that starts with the next message.' },
        { role: 'user', content: prompt },
      ],
    });
    // Small models answer chattily; the prompt itself makes a steadier title than their reply.
    const reply = String(body?.message?.content ?? '');
    return titleFrom(reply.length > 0 && reply.length <= 48 ? reply : prompt);
  } catch {
    return titleFrom(prompt); // naming is cosmetic: fall back instead of failing the chat
  }
});

// ------------------------------------------------------------------ IPC: window.utils
ipcMain.handle('utils:getPath', async () => {
  if (fault('oc-getpath-returns-object')) return { path: userData() }; // Bug: "room for more fields later".
  return userData();
});

ipcMain.handle('utils:saveFile', async (_e, filePath, content) => {
  const target = resolveUnderUserData(filePath);
  if (typeof content !== 'string') throw new Error('content must be a string');
  await fsp.mkdir(path.dirname(target), { recursive: true });
  await fsp.writeFile(target, content, 'utf8');
  return target;
});

ipcMain.handle('utils:web_open', async (_e, url) => {
  requireString(url, 'url');
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`Refusing to open ${parsed.protocol} URL`);
  await shell.openExternal(parsed.href);
  return true;
});

ipcMain.handle('utils:is-first-launch', async () => {
  if (fs.existsSync(firstLaunchMarker())) return false;
  await fsp.mkdir(userData(), { recursive: true });
  await fsp.writeFile(firstLaunchMarker(), new Date().toISOString());
  return true;
});

ipcMain.handle('utils:reset-first-launch', async () => {
  try {
    await fsp.unlink(firstLaunchMarker());
    return true;
  } catch (err) {
    if (err.code === 'ENOENT') return false;
    throw err;
  }
});

/** Bytes a model of this size needs: a number is bytes (or billions of parameters if < 1000), a string like "7b", "3.2B", "4.7GB". */
function requiredBytes(modelSize) {
  if (typeof modelSize === 'number' && Number.isFinite(modelSize) && modelSize > 0) {
    return modelSize < 1000 ? modelSize * 0.6e9 : modelSize;
  }
  if (typeof modelSize === 'string') {
    const m = /^\s*([\d.]+)\s*([kmgt]?b|[mb])?\s*$/i.exec(modelSize);
    if (m) {
      const n = Number(m[1]);
      const unit = (m[2] ?? 'b').toLowerCase();
      // "7b" is billions of parameters (~0.6 GB each at Q4); "GB"/"MB" are file sizes.
      const factor = { b: 0.6e9, m: 0.6e6, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 }[unit] ?? 0.6e9;
      if (Number.isFinite(n) && n > 0) return n * factor;
    }
  }
  return null;
}

ipcMain.handle('utils:get-hardware-performance-warning', async (_e, modelSize, clientUrl) => {
  if (modelSize === undefined || modelSize === null) throw new Error('modelSize is required');
  const total = os.totalmem();
  const free = os.freemem();
  const need = requiredBytes(modelSize);
  const host = clientUrl === undefined ? null : new URL(ollama.baseUrl(clientUrl)).hostname;
  const remote = host !== null && !/^(localhost|127\.|\[::1\]$|::1$)/.test(host);
  const tooBig = !remote && need !== null && need > total * 0.75;
  return {
    warn: tooBig,
    message: remote
      ? 'Model runs on a remote host; local hardware is not checked.'
      : need === null
        ? 'Unknown model size; cannot estimate memory needs.'
        : tooBig
          ? `This model needs about ${(need / 1e9).toFixed(1)} GB of memory; this machine has ${(total / 1e9).toFixed(1)} GB.`
          : 'This machine has enough memory for this model.',
    requiredBytes: need,
    totalMemoryBytes: total,
    freeMemoryBytes: free,
    cpuCount: os.cpus().length,
  };
});

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function assetMeta(id) {
  const meta = await readJsonOr(path.join(assetsDir(), `${id}.json`), null);
  if (!meta) throw new Error(`Asset not found: ${id}`);
  return meta;
}

ipcMain.handle('utils:listAssets', async () => {
  let names = [];
  try {
    names = await fsp.readdir(assetsDir());
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).filter((id) => UUID_RE.test(id));
  const out = [];
  for (const id of ids.sort()) out.push(await assetMeta(id));
  return out;
});

ipcMain.handle('utils:getAsset', async (_e, assetId) => {
  if (typeof assetId !== 'string' || !UUID_RE.test(assetId)) throw new Error(`Invalid asset id: ${String(assetId)}`);
  const meta = await assetMeta(assetId);
  const data = await fsp.readFile(path.join(assetsDir(), `${assetId}.bin`));
  return { ...meta, data: data.toString('base64') };
});

ipcMain.handle('utils:rmAsset', async (_e, assetId) => {
  if (typeof assetId !== 'string' || !UUID_RE.test(assetId)) throw new Error(`Invalid asset id: ${String(assetId)}`);
  await assetMeta(assetId);
  await fsp.rm(path.join(assetsDir(), `${assetId}.json`), { force: true });
  await fsp.rm(path.join(assetsDir(), `${assetId}.bin`), { force: true });
  return true;
});

if (fault('oc-debug-state-channel')) {
  // Bug: a debugging helper left registered (and exposed by the preload); not in the contract.
  ipcMain.handle('ollama:debug-state', async () => ({ history, selectedModel, streaming: Boolean(active) }));
}

// ------------------------------------------------------------------ window
function createWindow() {
  const isolation = !fault('oc-context-isolation-off');
  const win = new BrowserWindow({
    width: 980,
    height: 720,
    title: 'Ollama Chat',
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      // Bug (when the fault is on): isolation turned off "to debug the bridge from DevTools".
      contextIsolation: isolation,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      // The sandboxed preload cannot read our environment: it gets the fault list as an argument.
      additionalArguments: faults.size ? [`--conform-faults=${[...faults].join(',')}`] : [],
    },
  });
  // The app's own page only: no navigation away, no new windows (links go through utils:web_open).
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // Bug (when the fault is on): the will-navigate guard was lost in a refactor.
  if (!fault('oc-navigation-unguarded')) win.webContents.on('will-navigate', (event) => event.preventDefault());
  const query = faults.size ? { faults: [...faults].join(',') } : undefined;
  win.loadFile(path.join(__dirname, 'index.html'), query ? { query } : undefined);
  return win;
}

app.whenReady().then(() => {
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

