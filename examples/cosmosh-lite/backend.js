'use strict';
// Emulated Cosmosh backend (msw request handlers, run inside the main process). The real app
// spawns a backend child process and talks to it over HTTP with an internal token; here main
// spawns nothing and msw answers the same routes. Every request must carry the token in
// `x-cosmosh-internal-token`; a missing or wrong one gives 401 with an ApiErrorResponse.
//
// Envelopes (the seed document names the types, not their fields; these are plausible ones):
//   success: { success: true, data: <payload> }
//   failure: { success: false, code: 'UPPER_SNAKE', message: string, timestamp: ISO string }
// Deletes and session closes answer `{ success: boolean }`, as the document states.
const { http, HttpResponse } = require('msw');
const { randomUUID } = require('node:crypto');

const TOKEN_HEADER = 'x-cosmosh-internal-token';
const API = '/api/v1';
const COLOR_KEYS = ['slate', 'red', 'orange', 'amber', 'green', 'teal', 'blue', 'indigo', 'violet', 'pink'];
const ICON_KEYS = ['server', 'database', 'cloud', 'terminal', 'router', 'folder', 'home', 'lock'];

const ok = (data, status = 200) => HttpResponse.json({ success: true, data }, { status });
const fail = (status, code, message) =>
  HttpResponse.json({ success: false, code, message, timestamp: new Date().toISOString() }, { status });
const notFound = (what, id) => fail(404, `${what.toUpperCase().replace(/[^A-Z]+/g, '_')}_NOT_FOUND`, `${what} ${id} was not found.`);

class ValidationError extends Error {}

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
function str(body, key, { required = false, max = 255, allowEmpty = false } = {}) {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new ValidationError(`${key} is required.`);
    return undefined;
  }
  if (typeof v !== 'string') throw new ValidationError(`${key} must be a string.`);
  if (!allowEmpty && v.trim() === '') throw new ValidationError(`${key} must not be empty.`);
  if (v.length > max) throw new ValidationError(`${key} must be at most ${max} characters.`);
  return v;
}
function int(body, key, { required = false, min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new ValidationError(`${key} is required.`);
    return undefined;
  }
  if (!Number.isInteger(v) || v < min || v > max) throw new ValidationError(`${key} must be an integer from ${min} to ${max}.`);
  return v;
}
function bool(body, key) {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new ValidationError(`${key} must be a boolean.`);
  return v;
}
function oneOf(body, key, values, { required = false } = {}) {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new ValidationError(`${key} is required.`);
    return undefined;
  }
  if (!values.includes(v)) throw new ValidationError(`${key} must be one of ${values.join(', ')}.`);
  return v;
}
function strList(body, key) {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ValidationError(`${key} must be an array of strings.`);
  return v;
}

async function jsonBody(request) {
  let body;
  try {
    body = await request.json();
  } catch {
    throw new ValidationError('Request body must be JSON.');
  }
  if (!isObj(body)) throw new ValidationError('Request body must be an object.');
  return body;
}

/** Build handlers for one emulated backend at `baseUrl`, accepting only `token`. */
function createBackend({ baseUrl, token }) {
  const now = () => new Date().toISOString();
  const db = {
    settings: {
      locale: 'en',
      theme: 'system',
      terminalFontFamily: 'JetBrains Mono',
      terminalFontSize: 14,
      terminalCursorStyle: 'block',
      terminalScrollback: 5000,
      confirmBeforeCloseTab: true,
      sftpShowHiddenFiles: false,
      updatedAt: '2026-01-05T09:30:00.000Z',
    },
    servers: new Map(),
    folders: new Map(),
    tags: new Map(),
    keychains: new Map(), // id -> { public fields..., secret: { password?, privateKey?, passphrase? } }
    serverSecrets: new Map(),
    rules: new Map(),
    audit: [],
  };

  function audit(action, targetType, targetId, summary) {
    db.audit.unshift({ id: randomUUID(), action, targetType, targetId, actor: 'local-user', summary, createdAt: now() });
    if (db.audit.length > 500) db.audit.pop();
  }

  // A small starting inventory, so a fresh app has something to show.
  const folderId = randomUUID();
  db.folders.set(folderId, { id: folderId, name: 'Production', parentId: null, iconKey: 'folder', colorKey: 'red', sortOrder: 0, createdAt: '2026-01-05T09:30:00.000Z', updatedAt: '2026-01-05T09:30:00.000Z' });
  const tagId = randomUUID();
  db.tags.set(tagId, { id: tagId, name: 'web', createdAt: '2026-01-05T09:30:00.000Z' });
  for (const [name, host, colorKey] of [['web-1', '10.0.0.11', 'blue'], ['db-primary', '10.0.0.21', 'green']]) {
    const id = randomUUID();
    db.servers.set(id, {
      id, name, host, port: 22, username: 'deploy', authType: 'password', keychainId: null, folderId, tagIds: [tagId],
      note: '', iconKey: 'server', colorKey, strictHostKey: true, enableSshCompression: false,
      disableCharacterWidthCompatibilityMode: false, lastConnectedAt: null,
      createdAt: '2026-01-05T09:30:00.000Z', updatedAt: '2026-01-05T09:30:00.000Z',
    });
    db.serverSecrets.set(id, { password: `emulated-${name}-password` });
    audit('ssh.server.create', 'ssh-server', id, `Created server ${name}`);
  }

  const route = (path) => `${baseUrl}${API}${path}`;

  /** Wrap a resolver: token check, JSON validation errors -> 400. */
  const guarded = (resolver) => async (info) => {
    if (info.request.headers.get(TOKEN_HEADER) !== token) {
      return fail(401, 'AUTH_INVALID_INTERNAL_TOKEN', 'Missing or invalid internal token.');
    }
    try {
      return await resolver(info);
    } catch (err) {
      if (err instanceof ValidationError) return fail(400, 'VALIDATION_ERROR', err.message);
      return fail(500, 'INTERNAL_ERROR', err.message);
    }
  };

  function serverFields(body, { create }) {
    const out = {};
    const set = (k, v) => { if (v !== undefined) out[k] = v; };
    set('name', str(body, 'name', { required: create, max: 120 }));
    set('host', str(body, 'host', { required: create, max: 253 }));
    set('port', int(body, 'port', { min: 1, max: 65535 }));
    set('username', str(body, 'username', { required: create, max: 64 }));
    set('authType', oneOf(body, 'authType', ['password', 'key', 'keychain'], { required: create }));
    set('keychainId', str(body, 'keychainId'));
    set('folderId', str(body, 'folderId'));
    set('tagIds', strList(body, 'tagIds'));
    set('note', str(body, 'note', { max: 2000, allowEmpty: true }));
    set('iconKey', oneOf(body, 'iconKey', ICON_KEYS));
    set('colorKey', oneOf(body, 'colorKey', COLOR_KEYS));
    set('strictHostKey', bool(body, 'strictHostKey'));
    set('enableSshCompression', bool(body, 'enableSshCompression'));
    set('disableCharacterWidthCompatibilityMode', bool(body, 'disableCharacterWidthCompatibilityMode'));
    if (out.folderId !== undefined && !db.folders.has(out.folderId)) throw new ValidationError(`folderId ${out.folderId} does not exist.`);
    if (out.keychainId !== undefined && !db.keychains.has(out.keychainId)) throw new ValidationError(`keychainId ${out.keychainId} does not exist.`);
    for (const t of out.tagIds ?? []) if (!db.tags.has(t)) throw new ValidationError(`tag ${t} does not exist.`);
    const secret = {};
    for (const k of ['password', 'privateKey', 'passphrase']) {
      const v = str(body, k, { max: 16384 });
      if (v !== undefined) secret[k] = v;
    }
    return { fields: out, secret };
  }

  function folderFields(body, { create }) {
    const out = {};
    const set = (k, v) => { if (v !== undefined) out[k] = v; };
    set('name', str(body, 'name', { required: create, max: 120 }));
    set('parentId', str(body, 'parentId'));
    set('iconKey', oneOf(body, 'iconKey', ICON_KEYS));
    set('colorKey', oneOf(body, 'colorKey', COLOR_KEYS));
    set('sortOrder', int(body, 'sortOrder', { min: 0, max: 100000 }));
    if (out.parentId !== undefined && !db.folders.has(out.parentId)) throw new ValidationError(`parentId ${out.parentId} does not exist.`);
    return out;
  }

  function keychainFields(body, { create }) {
    const out = {};
    const set = (k, v) => { if (v !== undefined) out[k] = v; };
    set('name', str(body, 'name', { required: create, max: 120 }));
    set('username', str(body, 'username', { max: 64 }));
    set('authType', oneOf(body, 'authType', ['password', 'key'], { required: create }));
    const secret = {};
    for (const k of ['password', 'privateKey', 'passphrase']) {
      const v = str(body, k, { max: 16384 });
      if (v !== undefined) secret[k] = v;
    }
    return { fields: out, secret };
  }

  function ruleFields(body, { create }) {
    const out = {};
    const set = (k, v) => { if (v !== undefined) out[k] = v; };
    set('name', str(body, 'name', { required: create, max: 120 }));
    set('serverId', str(body, 'serverId', { required: create }));
    set('type', oneOf(body, 'type', ['local', 'remote', 'dynamic'], { required: create }));
    set('localBindHost', str(body, 'localBindHost', { max: 253 }));
    set('localBindPort', int(body, 'localBindPort', { min: 1, max: 65535 }));
    set('remoteBindHost', str(body, 'remoteBindHost', { max: 253 }));
    set('remoteBindPort', int(body, 'remoteBindPort', { min: 1, max: 65535 }));
    set('targetHost', str(body, 'targetHost', { max: 253 }));
    set('targetPort', int(body, 'targetPort', { min: 1, max: 65535 }));
    set('autoStart', bool(body, 'autoStart'));
    if (out.serverId !== undefined && !db.servers.has(out.serverId)) throw new ValidationError(`serverId ${out.serverId} does not exist.`);
    return out;
  }

  /** The type-specific fields a rule must have (seed 004, 3.2). */
  function checkRuleShape(rule) {
    const need = { local: ['localBindPort', 'targetHost', 'targetPort'], remote: ['remoteBindPort', 'targetHost', 'targetPort'], dynamic: ['localBindPort'] }[rule.type];
    for (const k of need) if (rule[k] === undefined || rule[k] === null) throw new ValidationError(`${k} is required for ${rule.type} rules.`);
  }

  const publicKeychain = (k) => ({ ...k, usedByServerCount: [...db.servers.values()].filter((s) => s.keychainId === k.id).length });

  const handlers = [
    http.get(route('/test/ping'), guarded(() => ok({ message: 'pong', serverTime: now() }))),

    http.get(route('/settings'), guarded(() => ok({ settings: db.settings }))),
    http.put(route('/settings'), guarded(async ({ request }) => {
      const body = await jsonBody(request);
      const src = isObj(body.settings) ? body.settings : body;
      const next = { ...db.settings };
      const set = (k, v) => { if (v !== undefined) next[k] = v; };
      set('locale', oneOf(src, 'locale', ['en', 'zh-CN']));
      set('theme', oneOf(src, 'theme', ['system', 'light', 'dark']));
      set('terminalFontFamily', str(src, 'terminalFontFamily', { max: 120 }));
      set('terminalFontSize', int(src, 'terminalFontSize', { min: 8, max: 48 }));
      set('terminalCursorStyle', oneOf(src, 'terminalCursorStyle', ['block', 'bar', 'underline']));
      set('terminalScrollback', int(src, 'terminalScrollback', { min: 0, max: 100000 }));
      set('confirmBeforeCloseTab', bool(src, 'confirmBeforeCloseTab'));
      set('sftpShowHiddenFiles', bool(src, 'sftpShowHiddenFiles'));
      next.updatedAt = now();
      db.settings = next;
      audit('settings.update', 'settings', 'settings', 'Settings updated');
      return ok({ settings: db.settings });
    })),

    http.get(route('/audit/events'), guarded(({ request }) => {
      const q = new URL(request.url).searchParams;
      const page = Math.max(1, Number.parseInt(q.get('page') ?? '1', 10) || 1);
      const pageSize = Math.min(100, Math.max(1, Number.parseInt(q.get('pageSize') ?? '20', 10) || 20));
      const action = q.get('action');
      const targetType = q.get('targetType');
      const items = db.audit.filter((e) => (!action || e.action === action) && (!targetType || e.targetType === targetType));
      return ok({ items: items.slice((page - 1) * pageSize, page * pageSize), total: items.length, page, pageSize });
    })),
    http.get(route('/audit/events/:eventId'), guarded(({ params }) => {
      const e = db.audit.find((x) => x.id === params.eventId);
      return e ? ok({ event: e }) : notFound('Audit event', params.eventId);
    })),

    http.get(route('/ssh/servers'), guarded(() => ok({ items: [...db.servers.values()] }))),
    http.post(route('/ssh/servers'), guarded(async ({ request }) => {
      const { fields, secret } = serverFields(await jsonBody(request), { create: true });
      const id = randomUUID();
      const server = {
        id, port: 22, keychainId: null, folderId: null, tagIds: [], note: '', iconKey: 'server', colorKey: 'slate',
        strictHostKey: true, enableSshCompression: false, disableCharacterWidthCompatibilityMode: false,
        lastConnectedAt: null, createdAt: now(), updatedAt: now(), ...fields,
      };
      db.servers.set(id, server);
      db.serverSecrets.set(id, secret);
      audit('ssh.server.create', 'ssh-server', id, `Created server ${server.name}`);
      return ok({ item: server }, 201);
    })),
    http.put(route('/ssh/servers/:serverId'), guarded(async ({ request, params }) => {
      const current = db.servers.get(params.serverId);
      if (!current) return notFound('SSH server', params.serverId);
      const { fields, secret } = serverFields(await jsonBody(request), { create: false });
      const server = { ...current, ...fields, updatedAt: now() };
      db.servers.set(server.id, server);
      if (Object.keys(secret).length) db.serverSecrets.set(server.id, { ...db.serverSecrets.get(server.id), ...secret });
      audit('ssh.server.update', 'ssh-server', server.id, `Updated server ${server.name}`);
      return ok({ item: server });
    })),
    http.get(route('/ssh/servers/:serverId/credentials'), guarded(({ params }) => {
      const server = db.servers.get(params.serverId);
      if (!server) return notFound('SSH server', params.serverId);
      audit('ssh.server.credentials.read', 'ssh-server', server.id, `Read credentials of ${server.name}`);
      return ok({ serverId: server.id, username: server.username, authType: server.authType, ...db.serverSecrets.get(server.id) });
    })),
    http.delete(route('/ssh/servers/:serverId'), guarded(({ params }) => {
      const server = db.servers.get(params.serverId);
      if (!server) return notFound('SSH server', params.serverId);
      db.servers.delete(server.id);
      db.serverSecrets.delete(server.id);
      for (const [rid, r] of db.rules) if (r.serverId === server.id) db.rules.delete(rid);
      audit('ssh.server.delete', 'ssh-server', server.id, `Deleted server ${server.name}`);
      return HttpResponse.json({ success: true });
    })),

    http.get(route('/ssh/folders'), guarded(() => ok({ items: [...db.folders.values()] }))),
    http.post(route('/ssh/folders'), guarded(async ({ request }) => {
      const fields = folderFields(await jsonBody(request), { create: true });
      const id = randomUUID();
      const folder = { id, parentId: null, iconKey: 'folder', colorKey: 'slate', sortOrder: db.folders.size, createdAt: now(), updatedAt: now(), ...fields };
      db.folders.set(id, folder);
      audit('ssh.folder.create', 'ssh-folder', id, `Created folder ${folder.name}`);
      return ok({ item: folder }, 201);
    })),
    http.put(route('/ssh/folders/:folderId'), guarded(async ({ request, params }) => {
      const current = db.folders.get(params.folderId);
      if (!current) return notFound('SSH folder', params.folderId);
      const folder = { ...current, ...folderFields(await jsonBody(request), { create: false }), updatedAt: now() };
      if (folder.parentId === folder.id) throw new ValidationError('A folder cannot be its own parent.');
      db.folders.set(folder.id, folder);
      audit('ssh.folder.update', 'ssh-folder', folder.id, `Updated folder ${folder.name}`);
      return ok({ item: folder });
    })),
    http.delete(route('/ssh/folders/:folderId'), guarded(({ params }) => {
      const folder = db.folders.get(params.folderId);
      if (!folder) return notFound('SSH folder', params.folderId);
      db.folders.delete(folder.id);
      for (const s of db.servers.values()) if (s.folderId === folder.id) s.folderId = null;
      audit('ssh.folder.delete', 'ssh-folder', folder.id, `Deleted folder ${folder.name}`);
      return HttpResponse.json({ success: true });
    })),

    http.get(route('/ssh/tags'), guarded(() => ok({ items: [...db.tags.values()] }))),
    http.post(route('/ssh/tags'), guarded(async ({ request }) => {
      const body = await jsonBody(request);
      const name = str(body, 'name', { required: true, max: 60 });
      if ([...db.tags.values()].some((t) => t.name === name)) return fail(409, 'SSH_TAG_EXISTS', `Tag ${name} already exists.`);
      const tag = { id: randomUUID(), name, createdAt: now() };
      db.tags.set(tag.id, tag);
      audit('ssh.tag.create', 'ssh-tag', tag.id, `Created tag ${name}`);
      return ok({ item: tag }, 201);
    })),

    http.get(route('/ssh/keychains'), guarded(() => ok({ items: [...db.keychains.values()].map((k) => publicKeychain(k.public)) }))),
    http.post(route('/ssh/keychains'), guarded(async ({ request }) => {
      const { fields, secret } = keychainFields(await jsonBody(request), { create: true });
      const id = randomUUID();
      const pub = { id, username: null, createdAt: now(), updatedAt: now(), ...fields };
      db.keychains.set(id, { public: pub, secret });
      audit('ssh.keychain.create', 'ssh-keychain', id, `Created keychain ${pub.name}`);
      return ok({ item: publicKeychain(pub) }, 201);
    })),
    http.put(route('/ssh/keychains/:keychainId'), guarded(async ({ request, params }) => {
      const current = db.keychains.get(params.keychainId);
      if (!current) return notFound('SSH keychain', params.keychainId);
      const { fields, secret } = keychainFields(await jsonBody(request), { create: false });
      current.public = { ...current.public, ...fields, updatedAt: now() };
      current.secret = { ...current.secret, ...secret };
      audit('ssh.keychain.update', 'ssh-keychain', current.public.id, `Updated keychain ${current.public.name}`);
      return ok({ item: publicKeychain(current.public) });
    })),
    http.get(route('/ssh/keychains/:keychainId/credentials'), guarded(({ params }) => {
      const k = db.keychains.get(params.keychainId);
      if (!k) return notFound('SSH keychain', params.keychainId);
      audit('ssh.keychain.credentials.read', 'ssh-keychain', k.public.id, `Read credentials of ${k.public.name}`);
      return ok({ keychainId: k.public.id, username: k.public.username, authType: k.public.authType, ...k.secret });
    })),
    http.delete(route('/ssh/keychains/:keychainId'), guarded(({ params }) => {
      const k = db.keychains.get(params.keychainId);
      if (!k) return notFound('SSH keychain', params.keychainId);
      db.keychains.delete(k.public.id);
      audit('ssh.keychain.delete', 'ssh-keychain', k.public.id, `Deleted keychain ${k.public.name}`);
      return HttpResponse.json({ success: true });
    })),

    http.get(route('/port-forward/rules'), guarded(() => ok({ items: [...db.rules.values()] }))),
    http.post(route('/port-forward/rules'), guarded(async ({ request }) => {
      const fields = ruleFields(await jsonBody(request), { create: true });
      const id = randomUUID();
      const rule = {
        id, localBindHost: fields.type === 'remote' ? null : '127.0.0.1', localBindPort: null, remoteBindHost: null,
        remoteBindPort: null, targetHost: null, targetPort: null, autoStart: false, createdAt: now(), updatedAt: now(),
        ...fields, runtime: { status: 'stopped', startedAt: null, lastError: null },
      };
      checkRuleShape(rule);
      db.rules.set(id, rule);
      audit('port-forward.rule.create', 'port-forward-rule', id, `Created rule ${rule.name}`);
      return ok({ item: rule }, 201);
    })),
    http.delete(route('/port-forward/rules/:ruleId'), guarded(({ params }) => {
      const rule = db.rules.get(params.ruleId);
      if (!rule) return notFound('Port forward rule', params.ruleId);
      db.rules.delete(rule.id);
      audit('port-forward.rule.delete', 'port-forward-rule', rule.id, `Deleted rule ${rule.name}`);
      return HttpResponse.json({ success: true });
    })),

    http.get(route('/local-terminal/profiles'), guarded(() => ok({
      items: [
        { id: 'bash', name: 'Bash', command: '/bin/bash', args: ['-l'], isDefault: true },
        { id: 'sh', name: 'POSIX sh', command: '/bin/sh', args: [], isDefault: false },
      ],
    }))),
  ];

  return { handlers, db, tokenHeader: TOKEN_HEADER };
}

module.exports = { createBackend, TOKEN_HEADER, API_PREFIX: API, COLOR_KEYS, ICON_KEYS };
