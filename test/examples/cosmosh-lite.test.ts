// The cosmosh-lite reference app under the Electron stand-in (or real Electron when installed):
// its emulated backend (token check, envelopes), real flows through window.electron, and for
// every fault of examples/faults.json a comparison of the same call with and without the fault.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { setupServer } from 'msw/node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleApp, HANG_WATCH_MS, settle, settleThenCrashes, type Started } from './harness.ts';

const APP = fileURLToPath(new URL('../../examples/cosmosh-lite', import.meta.url));
const FAULTS = JSON.parse(readFileSync(new URL('../../examples/faults.json', import.meta.url), 'utf8')) as { id: string; app: string }[];
const requireCjs = createRequire(import.meta.url);

// COSMOSH_BACKEND_URL empty: the app emulates its backend in-process with msw.
const app = exampleApp({ main: APP, env: { COSMOSH_BACKEND_URL: '', COSMOSH_GIT_COMMIT: '' }, ready: () => typeof (window as any).electron === 'object' });
const { start, stop } = app;
afterAll(() => app.stopAll());


describe('cosmosh-lite: emulated backend', () => {
  const { createBackend, TOKEN_HEADER } = requireCjs('../../examples/cosmosh-lite/backend.js') as {
    createBackend: (o: { baseUrl: string; token: string }) => { handlers: any[] };
    TOKEN_HEADER: string;
  };
  const base = 'http://127.0.0.1:47999';
  const server = setupServer(...createBackend({ baseUrl: base, token: 'right-token' }).handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  const get = (path: string, token?: string) =>
    fetch(`${base}/api/v1${path}`, { headers: token ? { [TOKEN_HEADER]: token } : {} }).then(async (r) => ({ status: r.status, body: await r.json() }));

  it('refuses a missing or wrong internal token with an ApiErrorResponse', async () => {
    for (const token of [undefined, 'wrong-token']) {
      const r = await get('/ssh/servers', token);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ success: false, code: 'AUTH_INVALID_INTERNAL_TOKEN', message: expect.any(String) });
    }
    const ok = await get('/ssh/servers', 'right-token');
    expect(ok.status).toBe(200);
    expect(ok.body.success).toBe(true);
    expect(ok.body.data.items).toHaveLength(2);
  });

  it('validates payloads and type-specific port-forward fields', async () => {
    const post = (path: string, json: unknown) =>
      fetch(`${base}/api/v1${path}`, { method: 'POST', headers: { [TOKEN_HEADER]: 'right-token', 'content-type': 'application/json' }, body: JSON.stringify(json) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect((await post('/ssh/servers', { name: 'x' })).body).toMatchObject({ success: false, code: 'VALIDATION_ERROR', message: 'host is required.' });
    expect((await post('/ssh/servers', { name: 'x', host: 'h', username: 'u', authType: 'password', colorKey: 'plaid' })).body.code).toBe('VALIDATION_ERROR');
    const servers = (await get('/ssh/servers', 'right-token')).body.data.items;
    const rule = { name: 'r', serverId: servers[0].id, type: 'local', localBindPort: 8080, targetHost: 'db' };
    expect((await post('/port-forward/rules', rule)).body).toMatchObject({ success: false, message: 'targetPort is required for local rules.' });
    const created = await post('/port-forward/rules', { ...rule, targetPort: 5432 });
    expect(created.status).toBe(201);
    expect(created.body.data.item.runtime.status).toBe('stopped');
  });
});

describe('cosmosh-lite: real flows through window.electron', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(async () => stop(s));

  it('lists servers through the backend, then creates, updates, reads credentials and deletes one', async () => {
    const r = await s.page.evaluate(async () => {
      const e = (window as any).electron;
      const listed = await e.backendSshListServers();
      const created = await e.backendSshCreateServer({ name: 'conform-fixture', host: '127.0.0.1', port: 22, username: 'conform', authType: 'password', password: 'pw-1', colorKey: 'teal' });
      const id = created.data.item.id;
      const updated = await e.backendSshUpdateServer(id, { name: 'renamed', strictHostKey: false });
      const creds = await e.backendSshGetServerCredentials(id);
      const afterCreate = await e.backendSshListServers();
      const deleted = await e.backendSshDeleteServer(id);
      const deletedAgain = await e.backendSshDeleteServer(id);
      const updateMissing = await e.backendSshUpdateServer(id, { name: 'x' });
      const badArg = await e.backendSshUpdateServer('', { name: 'x' });
      const audit = await e.backendAuditListEvents({ page: 1, pageSize: 50, targetType: 'ssh-server' });
      const event = await e.backendAuditGetEventById(audit.data.items[0].id);
      const noEvent = await e.backendAuditGetEventById('nope');
      return { listed, created, updated, creds, afterCreate, deleted, deletedAgain, updateMissing, badArg, audit, event, noEvent, id };
    });
    expect(r.listed.success).toBe(true);
    expect(r.listed.data.items.map((x: any) => x.name)).toEqual(['web-1', 'db-primary']);
    for (const item of r.listed.data.items) {
      expect(item).toMatchObject({ iconKey: expect.any(String), colorKey: expect.any(String), strictHostKey: expect.any(Boolean), enableSshCompression: expect.any(Boolean), disableCharacterWidthCompatibilityMode: expect.any(Boolean) });
    }
    expect(r.created).toMatchObject({ success: true, data: { item: { name: 'conform-fixture', colorKey: 'teal' } } });
    expect(r.updated).toMatchObject({ success: true, data: { item: { id: r.id, name: 'renamed', strictHostKey: false } } });
    expect(r.creds).toMatchObject({ success: true, data: { serverId: r.id, password: 'pw-1' } });
    expect(r.afterCreate.data.items).toHaveLength(3);
    // { success: boolean } channels answer exactly that shape.
    expect(r.deleted).toEqual({ success: true });
    expect(r.deletedAgain).toEqual({ success: false });
    expect(r.updateMissing).toMatchObject({ success: false, code: 'SSH_SERVER_NOT_FOUND', message: expect.any(String), timestamp: expect.any(String) });
    expect(r.badArg).toMatchObject({ success: false, code: 'INVALID_ARGUMENT' });
    expect(r.audit.data.items.map((x: any) => x.action)).toEqual(expect.arrayContaining(['ssh.server.create', 'ssh.server.update', 'ssh.server.delete']));
    expect(r.event).toMatchObject({ success: true, data: { event: { id: r.audit.data.items[0].id } } });
    expect(r.noEvent).toMatchObject({ success: false, code: 'AUDIT_EVENT_NOT_FOUND' });
  });

  it('global.d.ts declares what the app really returns (the types `conform mock --types` answers from)', async () => {
    const { loadTypeHints } = await import('../../mocks/type-hints.ts');
    const hints = (await loadTypeHints(`${APP}/preload.js`, [`${APP}/global.d.ts`]))!;
    const calls: [string, string, unknown[]][] = [
      ['backend:test-ping', 'backendTestPing', []],
      ['backend:settings-get', 'backendSettingsGet', []],
      ['backend:audit-list-events', 'backendAuditListEvents', [{ page: 1, pageSize: 5 }]],
      ['backend:ssh-list-servers', 'backendSshListServers', []],
      ['backend:ssh-list-folders', 'backendSshListFolders', []],
      ['backend:ssh-list-tags', 'backendSshListTags', []],
      ['backend:ssh-list-keychains', 'backendSshListKeychains', []],
      ['backend:port-forward-list-rules', 'backendPortForwardListRules', []],
      ['backend:local-terminal-list-profiles', 'backendLocalTerminalListProfiles', []],
      ['backend:ssh-update-server', 'backendSshUpdateServer', ['no-such-id', { name: 'x' }]],
      ['app:get-version-info', 'getAppVersionInfo', []],
      ['i18n:get-locale', 'getLocale', []],
    ];
    const answers = await s.page.evaluate((list) => Promise.all(list.map(([, method, args]) => (window as any).electron[method](...args))), calls);
    calls.forEach(([channel], i) => {
      const declared = hints.byName.get(channel)!.returns!;
      const v = hints.schemas.validate(declared, answers[i]);
      expect(v.valid, `${channel}: ${JSON.stringify(v.issues[0])}`).toBe(true);
    });
  }, 60_000);

  it('proxies folders, tags, keychains, port-forward rules, profiles and settings', async () => {
    const r = await s.page.evaluate(async () => {
      const e = (window as any).electron;
      const folder = await e.backendSshCreateFolder({ name: 'conform-fixture-folder', colorKey: 'violet' });
      const folderUpd = await e.backendSshUpdateFolder(folder.data.item.id, { name: 'Staging' });
      const folders = await e.backendSshListFolders();
      const folderDel = await e.backendSshDeleteFolder(folder.data.item.id);
      const tag = await e.backendSshCreateTag({ name: 'db' });
      const tagDup = await e.backendSshCreateTag({ name: 'db' });
      const tags = await e.backendSshListTags();
      const kc = await e.backendSshCreateKeychain({ name: 'deploy key', authType: 'key', privateKey: 'PRIVATE' });
      const kcUpd = await e.backendSshUpdateKeychain(kc.data.item.id, { username: 'deploy' });
      const kcCreds = await e.backendSshGetKeychainCredentials(kc.data.item.id);
      const kcs = await e.backendSshListKeychains();
      const kcDel = await e.backendSshDeleteKeychain(kc.data.item.id);
      const servers = await e.backendSshListServers();
      const rule = await e.backendPortForwardCreateRule({ name: 'pg', serverId: servers.data.items[0].id, type: 'dynamic', localBindPort: 1080 });
      const rules = await e.backendPortForwardListRules();
      const ruleDel = await e.backendPortForwardDeleteRule(rule.data.item.id);
      const profiles = await e.backendLocalTerminalListProfiles();
      const ping = await e.backendTestPing();
      const settings = await e.backendSettingsGet();
      const settingsUpd = await e.backendSettingsUpdate({ theme: 'dark', terminalFontSize: 16 });
      const settingsBad = await e.backendSettingsUpdate({ theme: 'neon' });
      const notObject = await e.backendSettingsUpdate('dark');
      return { folder, folderUpd, folders, folderDel, tag, tagDup, tags, kc, kcUpd, kcCreds, kcs, kcDel, rule, rules, ruleDel, profiles, ping, settings, settingsUpd, settingsBad, notObject };
    });
    expect(r.folderUpd.data.item).toMatchObject({ name: 'Staging', colorKey: 'violet', iconKey: 'folder' });
    expect(r.folders.data.items.map((f: any) => f.name)).toContain('Staging');
    expect(r.folderDel).toEqual({ success: true });
    expect(r.tag.success).toBe(true);
    expect(r.tagDup).toMatchObject({ success: false, code: 'SSH_TAG_EXISTS' });
    expect(r.tags.data.items.map((t: any) => t.name)).toEqual(['web', 'db']);
    expect(r.kc.data.item).not.toHaveProperty('privateKey');
    expect(r.kcUpd.data.item.username).toBe('deploy');
    expect(r.kcCreds.data).toMatchObject({ privateKey: 'PRIVATE', username: 'deploy' });
    expect(JSON.stringify(r.kcs)).not.toContain('PRIVATE');
    expect(r.kcDel).toEqual({ success: true });
    expect(r.rule.data.item).toMatchObject({ type: 'dynamic', localBindHost: '127.0.0.1', runtime: { status: 'stopped' } });
    expect(r.rules.data.items).toHaveLength(1);
    expect(r.ruleDel).toEqual({ success: true });
    expect(r.profiles.data.items[0]).toMatchObject({ id: 'bash', isDefault: true });
    expect(r.ping).toMatchObject({ success: true, data: { message: 'pong' } });
    expect(r.settings.data.settings.theme).toBe('system');
    expect(r.settingsUpd.data.settings).toMatchObject({ theme: 'dark', terminalFontSize: 16 });
    expect(r.settingsBad).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
    expect(r.notObject).toMatchObject({ success: false, code: 'INVALID_ARGUMENT' });
  });

  it('main sends the internal token; the same route without it is refused', async () => {
    const res = await s.launched.app.evaluate(async () => {
      const r = await fetch('http://127.0.0.1:47110/api/v1/ssh/servers');
      return { status: r.status, body: await r.json() };
    });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ success: false, code: 'AUTH_INVALID_INTERNAL_TOKEN' });
  });

  it('answers local app and locale channels', async () => {
    const r = await s.page.evaluate(async () => {
      const e = (window as any).electron;
      const info = await e.getAppVersionInfo();
      const locale = await e.getLocale();
      const zh = await e.setLocale('zh-TW');
      const after = await e.getLocale();
      const en = await e.setLocale('fr-FR');
      const user = await e.getRuntimeUserName();
      const downloads = await e.getDownloadsPath();
      const shown = await e.showInFileManager();
      const missing = await e.showInFileManager('/definitely/not/here');
      const web = await e.openExternalUrl('https://example.com/docs');
      const file = await e.openExternalUrl('file:///etc/passwd');
      const js = await e.openExternalUrl('javascript:alert(1)');
      const dialog = await e.showSaveFileDialog('/tmp/export.json');
      return { info, locale, zh, after, en, user, downloads, shown, missing, web, file, js, dialog };
    });
    expect(Object.keys(r.info).sort()).toEqual(['appName', 'buildTime', 'buildVersion', 'chromium', 'commit', 'electron', 'node', 'os', 'v8', 'version'].sort());
    expect(r.info).toMatchObject({ version: '0.4.2', buildVersion: '0.4.2+20260105.1', commit: '3f9c2e1a7b4d' });
    expect(['en', 'zh-CN']).toContain(r.locale);
    expect(r.zh).toBe('zh-CN');
    expect(r.after).toBe('zh-CN');
    expect(r.en).toBe('en');
    expect(typeof r.user).toBe('string');
    expect(r.user.length).toBeGreaterThan(0);
    expect(typeof r.downloads).toBe('string');
    expect(r.shown).toBe(true);
    expect(r.missing).toBe(false);
    expect([r.web, r.file, r.js]).toEqual([true, false, false]);
    expect(r.dialog.canceled).toBe(typeof r.dialog.filePath !== 'string');
    if (s.launched.runtime.kind === 'standin') {
      const fx = await s.launched.app.evaluate((electron: any) => electron.__standin.sideEffects);
      expect(fx.openExternal).toEqual(['https://example.com/docs']);
      expect(fx.openPath.length).toBe(1);
    }
  });

  it('sends app:menu-action when an app menu item is clicked', async () => {
    await s.page.evaluate(() => {
      (window as any).__menu = [];
      (window as any).electron.onAppMenuAction((a: unknown) => (window as any).__menu.push(a));
    });
    await s.launched.app.evaluate(({ Menu }) => {
      Menu.getApplicationMenu()!.getMenuItemById('new-tab')!.click();
      Menu.getApplicationMenu()!.getMenuItemById('open-settings')!.click();
    });
    await s.page.waitForFunction(() => (window as any).__menu.length === 2);
    expect(await s.page.evaluate(() => (window as any).__menu)).toEqual(['new-tab', 'open-settings']);
  });
});

describe('cosmosh-lite: every fault changes observable behaviour', () => {
  let clean: Started;
  beforeAll(async () => {
    clean = await start();
  });
  afterAll(async () => stop(clean));

  const { withFault } = app;
  const both = async (id: string, expr: string, ms?: number) => ({
    without: await settle(clean.page, expr, ms),
    withIt: await withFault(id, (s) => settle(s.page, expr, ms)),
  });

  it('the catalog lists exactly the faults the app implements', () => {
    const { FAULT_IDS } = requireCjs('../../examples/cosmosh-lite/faults.js') as { FAULT_IDS: string[] };
    const catalog = FAULTS.filter((f) => f.app === 'cosmosh-lite').map((f) => f.id);
    expect(catalog.length).toBeGreaterThanOrEqual(10);
    expect([...catalog].sort()).toEqual([...FAULT_IDS].sort());
  });

  it('cl-version-info-extra-field: an undocumented field appears', async () => {
    const { without, withIt } = await both('cl-version-info-extra-field', 'window.electron.getAppVersionInfo()');
    expect(without.value).not.toHaveProperty('arch');
    expect(withIt.value).toHaveProperty('arch');
  });

  it('cl-version-info-missing-commit: the required commit field is gone', async () => {
    const { without, withIt } = await both('cl-version-info-missing-commit', 'window.electron.getAppVersionInfo()');
    expect(without.value.commit).toBe('3f9c2e1a7b4d');
    expect(withIt.value).not.toHaveProperty('commit');
    expect(Object.keys(withIt.value)).toHaveLength(9);
  });

  it('cl-update-server-throws: a backend error rejects instead of resolving with ApiErrorResponse', async () => {
    const { without, withIt } = await both('cl-update-server-throws', "window.electron.backendSshUpdateServer('no-such-server', { name: 'x' })");
    expect(without).toMatchObject({ ok: true, value: { success: false, code: 'SSH_SERVER_NOT_FOUND' } });
    expect(withIt.ok).toBe(false);
    expect(withIt.error).toMatch(/Error invoking remote method 'backend:ssh-update-server'/);
  });

  it('cl-set-locale-envelope: a bad locale resolves with an envelope instead of rejecting', async () => {
    const { without, withIt } = await both('cl-set-locale-envelope', 'window.electron.setLocale(42)');
    expect(without.ok).toBe(false);
    expect(without.error).toMatch(/TypeError: locale must be a string/);
    expect(withIt).toMatchObject({ ok: true, value: { success: false, code: 'INVALID_LOCALE' } });
  });

  it('cl-show-in-folder-throws-object: the rejection message loses its Error text', async () => {
    const { without, withIt } = await both('cl-show-in-folder-throws-object', 'window.electron.showInFileManager(42)');
    expect(without.error).toMatch(/'app:show-in-file-manager': TypeError: targetPath must be a string$/);
    expect(withIt.error).toMatch(/'app:show-in-file-manager': \[object Object\]$/);
  });

  it('cl-menu-action-object: the menu event carries an object instead of the action string', async () => {
    const clickAndRead = async (s: Started) => {
      await s.page.evaluate(() => {
        (window as any).__menu = [];
        (window as any).electron.onAppMenuAction((a: unknown) => (window as any).__menu.push(a));
      });
      await s.launched.app.evaluate(({ Menu }) => Menu.getApplicationMenu()!.getMenuItemById('close-right-tabs')!.click());
      await s.page.waitForFunction(() => (window as any).__menu.length === 1);
      return s.page.evaluate(() => (window as any).__menu[0]);
    };
    expect(await clickAndRead(clean)).toBe('close-right-tabs');
    expect(await withFault('cl-menu-action-object', clickAndRead)).toEqual({ action: 'close-right-tabs' });
  });

  it('cl-update-server-args-object: (serverId, payload) reach main as one object', async () => {
    const expr = `(async () => {
      const e = window.electron;
      const list = await e.backendSshListServers();
      return e.backendSshUpdateServer(list.data.items[0].id, { note: 'patched' });
    })()`;
    const { without, withIt } = await both('cl-update-server-args-object', expr);
    expect(without).toMatchObject({ ok: true, value: { success: true, data: { item: { note: 'patched' } } } });
    expect(withIt).toMatchObject({ ok: true, value: { success: false, code: 'INVALID_ARGUMENT', message: 'serverId must be a non-empty string.' } });
  });

  it('cl-list-folders-unregistered: the invoke finds no handler', async () => {
    const { without, withIt } = await both('cl-list-folders-unregistered', 'window.electron.backendSshListFolders()');
    expect(without).toMatchObject({ ok: true, value: { success: true } });
    expect(withIt.ok).toBe(false);
    expect(withIt.error).toMatch(/No handler registered for 'backend:ssh-list-folders'/);
  });

  it('cl-raw-request-channel: an undocumented pass-through channel answers', async () => {
    const expr = "typeof window.electron.backendRawRequest === 'function' ? window.electron.backendRawRequest('GET', '/ssh/servers') : 'absent'";
    const { without, withIt } = await both('cl-raw-request-channel', expr);
    expect(without.value).toBe('absent');
    expect(withIt.value).toMatchObject({ success: true, data: { items: expect.any(Array) } });
  });

  it('cl-open-external-renamed: window.electron.openExternalUrl is gone', async () => {
    const expr = "typeof window.electron.openExternalUrl === 'function' ? window.electron.openExternalUrl('https://example.com/') : 'absent'";
    const { without, withIt } = await both('cl-open-external-renamed', expr);
    expect(without.value).toBe(true);
    expect(withIt.value).toBe('absent');
  });

  it('cl-open-url-includes-http: a javascript: URL containing "http" reaches shell.openExternal', async () => {
    const url = 'javascript://https://example.com/%0Aalert(1)';
    const openAndRecord = async (s: Started) => ({
      result: await settle(s.page, `window.electron.openExternalUrl(${JSON.stringify(url)})`),
      opened: s.launched.runtime.kind === 'standin'
        ? await s.launched.app.evaluate((electron: any) => electron.__standin.sideEffects.openExternal as string[])
        : null,
    });
    const without = await withFault('', openAndRecord);
    const withIt = await withFault('cl-open-url-includes-http', openAndRecord);
    expect(without.result).toEqual({ ok: true, value: false });
    expect(withIt.result).toEqual({ ok: true, value: true });
    if (withIt.opened) {
      expect(without.opened).toEqual([]);
      expect(withIt.opened).toEqual([url]);
    }
  });

  it('cl-window-open-allowed: a target=_blank link to an external https URL gets a new window', async () => {
    // A link click, not window.open(): the stand-in's window.open asks main over a loopback XHR,
    // which this page's CSP (connect-src 'none') blocks; a new-window link goes through
    // setWindowOpenHandler on both runtimes.
    const clickAndCount = async (s: Started) => {
      const popup = s.launched.app.waitForEvent('window', { timeout: 15_000 }).then(() => true, () => false);
      await s.page.evaluate(() => {
        const a = document.createElement('a');
        a.href = 'https://example.com/docs';
        a.target = '_blank';
        a.textContent = 'docs';
        document.body.append(a);
        a.click();
      });
      // The stand-in decided before the click returned (window.open blocks the renderer until main
      // answers) and recorded it: a denied popup never becomes a window, an allowed one is awaited.
      // Real Electron records nothing: the popup is awaited (a denied one then takes the timeout).
      const decided = await s.launched.app.evaluate((e) => (e as any).__standin?.sideEffects.windowOpen.at(-1)?.action as string | undefined);
      if (decided !== 'deny') await popup;
      // Pages of the app: a denied popup is closed again, an allowed one stays.
      return s.launched.app.windows().filter((p) => !p.isClosed()).length;
    };
    expect(await withFault('', clickAndCount)).toBe(1);
    expect(await withFault('cl-window-open-allowed', clickAndCount)).toBe(2);
  });

  it('cl-sandbox-off: the window runs without the sandbox', async () => {
    // The window posture as the instrumentation hook records it from the BrowserWindow options.
    const prefs = (s: Started) =>
      s.launched.app.evaluate(() => {
        const w = (globalThis as any).__conform.windows()[0];
        return { contextIsolation: w.effective.contextIsolation, sandbox: w.effective.sandbox };
      });
    expect(await withFault('', prefs, true)).toEqual({ contextIsolation: true, sandbox: true });
    expect(await withFault('cl-sandbox-off', prefs, true)).toEqual({ contextIsolation: true, sandbox: false });
  });

  it('cl-downloads-path-object: the downloads path comes back as an object', async () => {
    const { without, withIt } = await both('cl-downloads-path-object', 'window.electron.getDownloadsPath()');
    expect(typeof without.value).toBe('string');
    expect(withIt.value).toEqual({ path: expect.any(String) });
  });

  it('cl-test-ping-hang: the health check never settles', async () => {
    // A hang is an absence: the faulty call is watched for a short, fixed time (it never settles).
    const call = 'window.electron.backendTestPing()';
    const without = await settle(clean.page, call);
    const withIt = await withFault('cl-test-ping-hang', (s) => settle(s.page, call, HANG_WATCH_MS));
    expect(without).toMatchObject({ ok: true, value: { success: true, data: { message: 'pong' } } });
    expect(withIt).toEqual({ pending: true });
  });

  it('cl-settings-get-crash: reading settings leaves an unhandled rejection in main', async () => {
    // Observed through Conform's instrumentation hook, as `conform run` sees it.
    // The clean app catches the locale sync's failure; the faulty one leaves it unhandled.
    const readAndWatch = (crashExpected: boolean) => async (s: Started) => {
      const { settled: read, crashes } = await settleThenCrashes(s, 'window.electron.backendSettingsGet()', crashExpected);
      return { read, crashes };
    };
    const without = await withFault('', readAndWatch(false), true);
    const withIt = await withFault('cl-settings-get-crash', readAndWatch(true), true);
    expect(without.read).toMatchObject({ ok: true, value: { success: true, data: { settings: expect.any(Object) } } });
    expect(without.crashes).toEqual([]);
    expect(withIt.read).toMatchObject({ ok: true, value: { success: true } });
    expect(withIt.crashes).toHaveLength(1);
    expect(withIt.crashes[0].error.message).toMatch(/Cannot read properties of undefined \(reading 'locale'\)/);
  });
});

describe('cosmosh-lite: app:close-window', () => {
  it('closes the window, which quits the app', async () => {
    const s = await start();
    try {
      const closed = s.page.waitForEvent('close');
      // The page may close before evaluate's own reply arrives (even with the send deferred by a
      // timer, under load): only that error is expected from the evaluate; the close is asserted.
      await s.page.evaluate(() => void setTimeout(() => (window as any).electron.closeWindow(), 0)).catch((err: Error) => {
        if (!/has been closed/.test(err.message)) throw err;
      });
      await closed;
      expect(s.page.isClosed()).toBe(true);
    } finally {
      await stop(s);
    }
  });
});
