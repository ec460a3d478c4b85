'use strict';
// Renderer of Script Manager: plain DOM code over window.api (preload.js). No framework and no
// build step; the page keeps a small state object and re-renders the parts that change.

// window.api is a non-configurable global (contextBridge), so it cannot be redeclared here.
const bridge = window.api;
const $ = (sel) => document.querySelector(sel);
const state = { scripts: [], snapshots: new Map(), profiles: [], settings: {}, selected: null };

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function toast(text) {
  const t = el('div', { class: 'toast' }, text);
  $('#toasts').append(t);
  setTimeout(() => t.remove(), 6000);
}

/** Runs an api call and shows its failure as a toast (the message after Electron's prefix). */
async function attempt(fn) {
  try {
    return await fn();
  } catch (err) {
    toast(String(err && err.message ? err.message : err).replace(/^Error invoking remote method '[^']+': (Error: )?/, ''));
    return undefined;
  }
}

/** Splits an argument line like a shell does for quotes and backslashes (no expansion). */
function splitArgs(line) {
  const out = [];
  let cur = '';
  let quote = null;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
    }
  }
  if (has || cur) out.push(cur);
  return out;
}

// ---- scripts -------------------------------------------------------------------------------

/** The script's command line as a shell would show it (arguments with spaces quoted). */
function commandLine(s) {
  const quote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return [s.interpreter, s.command, ...(s.args || [])].filter((a) => a !== undefined && a !== '').map(quote).join(' ');
}

function statusOf(id) {
  return state.snapshots.get(id) || { scriptId: id, status: 'stopped' };
}

function renderScripts() {
  const body = $('#scripts tbody');
  body.replaceChildren();
  $('#scripts-empty').hidden = state.scripts.length > 0;
  for (const s of state.scripts) {
    const snap = statusOf(s.id);
    const active = ['running', 'starting', 'stopping', 'backoff'].includes(snap.status);
    const health = snap.healthy === undefined ? '' : snap.healthy ? ' ✓' : ' ✗';
    let detail = '';
    if (snap.status === 'backoff') detail = ` (retry ${snap.retries} in ${Math.round(snap.nextRestartDelayMs / 100) / 10}s)`;
    else if (snap.lastExitCode !== undefined && !active) detail = ` (exit ${snap.lastExitCode})`;
    const row = el('tr', { class: state.selected === s.id ? 'selected' : '', 'data-id': s.id, onclick: () => selectScript(s.id) },
      el('td', {}, s.name),
      el('td', { class: 'cmd', title: commandLine(s) }, commandLine(s)),
      el('td', {}, el('span', { class: `badge ${snap.status}` }, snap.status + health), el('span', { class: 'muted' }, detail)),
      el('td', {}, snap.pid ?? ''),
      el('td', { class: 'actions' },
        el('button', { type: 'button', disabled: active, onclick: (e) => { e.stopPropagation(); attempt(() => bridge.process.start(s.id)); } }, 'Start'),
        ' ',
        el('button', { type: 'button', disabled: !active, onclick: (e) => { e.stopPropagation(); attempt(() => bridge.process.stop(s.id)); } }, 'Stop'),
        ' ',
        el('button', { type: 'button', onclick: (e) => { e.stopPropagation(); attempt(() => bridge.process.restart(s.id)); } }, 'Restart'),
        ' ',
        el('button', { type: 'button', disabled: !active, title: 'Kill the process and all its children', onclick: (e) => { e.stopPropagation(); attempt(() => bridge.process.killTree(s.id)); } }, 'Kill'),
        ' ',
        el('button', { type: 'button', onclick: (e) => { e.stopPropagation(); deleteScript(s); } }, 'Delete'),
      ),
    );
    body.append(row);
  }
  renderProfileForm();
}

async function loadScripts() {
  const list = await attempt(() => bridge.scripts.list());
  state.scripts = Array.isArray(list) ? list : [];
  const snaps = bridge.process.snapshots ? await attempt(() => bridge.process.snapshots()) : undefined;
  for (const snap of Array.isArray(snaps) ? snaps : []) state.snapshots.set(snap.scriptId, snap);
  renderScripts();
}

async function deleteScript(s) {
  if (!confirm(`Delete "${s.name}"? A running process is killed.`)) return;
  await attempt(() => bridge.scripts.delete(s.id));
  state.snapshots.delete(s.id);
  if (state.selected === s.id) selectScript(null);
  await loadScripts();
  await loadProfiles();
}

async function selectScript(id) {
  state.selected = id;
  const script = state.scripts.find((s) => s.id === id);
  $('#log-script').textContent = script ? `— ${script.name}` : '(select a script)';
  $('#log').textContent = id ? (await attempt(() => bridge.process.readLog(id))) ?? '' : '';
  $('#log').scrollTop = $('#log').scrollHeight;
  renderScripts();
}

$('#script-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  const input = { name: f.get('name').trim(), command: f.get('command').trim() };
  const args = splitArgs(f.get('args'));
  if (args.length) input.args = args;
  if (f.get('cwd').trim()) input.cwd = f.get('cwd').trim();
  const env = {};
  for (const line of f.get('env').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env[line.slice(0, i).trim()] = line.slice(i + 1);
  }
  if (Object.keys(env).length) input.env = env;
  input.restartPolicy = f.get('restartPolicy');
  input.autoRestart = input.restartPolicy !== 'never';
  if (f.get('backoffMs') !== '') input.backoffMs = Number(f.get('backoffMs'));
  if (f.get('maxRetries') !== '') input.maxRetries = Number.parseInt(f.get('maxRetries'), 10);
  input.autoStart = f.get('autoStart') === 'on';
  $('#form-error').textContent = '';
  try {
    const created = await bridge.scripts.create(input);
    e.target.reset();
    await loadScripts();
    if (created && created.id) selectScript(created.id);
  } catch (err) {
    $('#form-error').textContent = String(err.message).replace(/^Error invoking remote method '[^']+': (Error: )?/, '');
  }
});

// ---- live events ---------------------------------------------------------------------------

bridge.process.onStatus((snap) => {
  const before = state.snapshots.get(snap.scriptId);
  state.snapshots.set(snap.scriptId, snap);
  if (snap.status === 'crashed' && before?.status !== 'crashed' && state.settings.notificationsToastEnabled) {
    const name = state.scripts.find((s) => s.id === snap.scriptId)?.name ?? snap.scriptId;
    toast(`${name} crashed (exit ${snap.lastExitCode})`);
  }
  renderScripts();
});

bridge.process.onLog(({ scriptId, text }) => {
  if (scriptId !== state.selected) return;
  const log = $('#log');
  const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
  log.append(typeof text === 'string' ? text : String(text));
  if (atBottom) log.scrollTop = log.scrollHeight;
});

// ---- profiles ------------------------------------------------------------------------------

function renderProfiles() {
  const list = $('#profiles');
  list.replaceChildren();
  for (const p of state.profiles) {
    const names = p.scriptIds.map((id) => state.scripts.find((s) => s.id === id)?.name).filter(Boolean);
    list.append(el('li', {},
      el('span', { class: 'name' }, p.name || p.id, ' ', el('span', { class: 'muted' }, names.length ? `(${names.join(', ')})` : '(no scripts)')),
      el('button', { type: 'button', onclick: () => attempt(() => bridge.profiles.startAll(p.id)) }, 'Start all'),
      el('button', { type: 'button', onclick: () => attempt(() => bridge.profiles.stopAll(p.id)) }, 'Stop all'),
      el('button', { type: 'button', onclick: async () => { await attempt(() => bridge.profiles.delete(p.id)); loadProfiles(); } }, 'Delete'),
    ));
  }
}

function renderProfileForm() {
  const box = $('#profile-scripts');
  const checked = new Set([...box.querySelectorAll('input:checked')].map((i) => i.value));
  box.replaceChildren(...state.scripts.map((s) =>
    el('label', {}, el('input', { type: 'checkbox', value: s.id, checked: checked.has(s.id) }), ' ', s.name)));
}

async function loadProfiles() {
  const list = await attempt(() => bridge.profiles.list());
  state.profiles = Array.isArray(list) ? list : [];
  renderProfiles();
}

$('#profile-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const name = new FormData(e.target).get('name').trim();
  const scriptIds = [...$('#profile-scripts').querySelectorAll('input:checked')].map((i) => i.value);
  const id = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || `profile-${Date.now()}`;
  if (await attempt(() => bridge.profiles.upsert({ id, name, scriptIds }))) e.target.reset();
  loadProfiles();
});

// ---- settings and backup -------------------------------------------------------------------

function applySettings() {
  const s = state.settings;
  document.documentElement.dataset.theme = ['light', 'dark'].includes(s.theme) ? s.theme : 'system';
  const form = $('#settings-form');
  for (const input of form.elements) {
    if (!input.name) continue;
    if (input.type === 'checkbox') input.checked = Boolean(s[input.name]);
    else if (s[input.name] !== undefined) {
      if (input.tagName === 'SELECT' && ![...input.options].some((o) => o.value === s[input.name])) input.append(el('option', {}, s[input.name]));
      input.value = s[input.name];
    }
  }
}

$('#settings-form').addEventListener('change', async (e) => {
  const input = e.target;
  const patch = { [input.name]: input.type === 'checkbox' ? input.checked : input.value };
  const next = await attempt(() => bridge.settings.update(patch));
  if (next) {
    state.settings = next;
    applySettings();
  }
});

$('#export').addEventListener('click', async () => {
  const data = await attempt(() => bridge.data.export());
  if (data) $('#backup').value = JSON.stringify(data, null, 2);
});

$('#import-file').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  if (file) $('#backup').value = await file.text();
});

$('#import').addEventListener('click', async () => {
  let data;
  try {
    data = JSON.parse($('#backup').value);
  } catch (err) {
    toast(`Import: not valid JSON (${err.message})`);
    return;
  }
  const mode = $('#import-mode').value;
  if (mode === 'replace' && !confirm('Replace all scripts, profiles and settings?')) return;
  const result = await attempt(() => bridge.data.import({ data, mode }));
  if (result) {
    state.settings = result.settings;
    applySettings();
    await loadScripts();
    await loadProfiles();
    toast(`Imported (${mode}): ${result.scripts.length} scripts, ${result.profiles.length} profiles`);
  }
});

// ---- updates -------------------------------------------------------------------------------

bridge.updates.onEvent((ev) => {
  const status = $('#update-status');
  const info = ev.info || {};
  if (ev.type === 'available') {
    status.textContent = `Version ${info.version} is available`;
    $('#update-download').hidden = false;
  } else if (ev.type === 'none') {
    status.textContent = 'You have the latest version';
  } else if (ev.type === 'progress') {
    status.textContent = `Downloading… ${info.percent}%`;
  } else if (ev.type === 'downloaded') {
    status.textContent = `Version ${info.version} is ready to install`;
    $('#update-download').hidden = true;
    $('#update-install').hidden = false;
  } else if (ev.type === 'error') {
    status.textContent = ev.message || 'Update error';
  }
});

$('#update-check').addEventListener('click', () => attempt(() => bridge.updates.check()));
$('#update-download').addEventListener('click', () => attempt(() => bridge.updates.download()));
$('#update-install').addEventListener('click', () => attempt(() => bridge.updates.quitAndInstall()));

// ---- start-up ------------------------------------------------------------------------------

(async () => {
  const pong = await attempt(() => bridge.process.ping());
  $('#ipc-status').textContent = pong === 'pong' ? 'IPC ok' : 'IPC down';
  $('#ipc-status').className = `badge ${pong === 'pong' ? 'ok' : 'bad'}`;
  await loadScripts();
  await loadProfiles();
  const settings = await attempt(() => bridge.settings.get());
  if (settings) {
    state.settings = settings;
    applySettings();
  }
})();
