// Parity suite for the Electron stand-in, driven through Playwright's real `_electron.launch`
// (via launchApp). The same file runs against real Electron when CONFORM_ELECTRON points at a
// binary; checks that only make sense for one runtime skip with a printed reason.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchApp, resolveRuntime, type LaunchAppOptions, type LaunchedApp } from '../../runner/runtime.ts';

const fixtures = resolve(__dirname, '../fixtures/apps');
const basicMain = join(fixtures, 'basic/main.cjs');
const esmMain = join(fixtures, 'esm');
const runtime = resolveRuntime();
const onStandin = runtime.kind === 'standin';
const skipReason = (why: string) => console.log(`skipped on ${runtime.kind}: ${why}`);

const launched: LaunchedApp[] = [];
const rawApps: ElectronApplication[] = [];
afterEach(async (ctx) => {
  // A failed test shows the stand-in's start-up timeline and stderr of what it launched.
  if (ctx.task.result?.state === 'fail') for (const a of launched) console.log(`--- app stderr (${a.runtime.kind}) ---\n${a.stderr()}`);
  await Promise.all(launched.splice(0).map((a) => a.close().catch(() => {})));
  await Promise.all(rawApps.splice(0).map((a) => a.close().catch(() => {})));
});

async function start(main = basicMain, opts: Partial<LaunchAppOptions> = {}) {
  const app = await launchApp({ main, ...opts, env: { CONFORM_STANDIN_DEBUG: '1', ...opts.env } });
  launched.push(app);
  return app;
}
async function bridgePage(app: ElectronApplication, root = 'api'): Promise<Page> {
  const page = await app.firstWindow();
  await page.waitForFunction((r) => !!(window as any)[r], root);
  return page;
}
function profilesOf(pid: number): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith(`conform-standin-${pid}-`));
}
function chromiumUsing(profileFragment: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(profileFragment) && !l.includes(' ps '));
}
async function waitFor(cond: () => boolean, ms = 30_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}
function processGone(pid: number): boolean {
  try { process.kill(pid, 0); return false; } catch { return true; }
}

beforeAll(() => console.log(`parity suite runs on: ${runtime.reason}`));

describe('main process and launch', () => {
  it('starts the app, opens its window and runs the preload bridge', async () => {
    // Launched by folder: Electron then takes name and version from the package.json.
    const { app } = await start(join(fixtures, 'basic'));
    const page = await bridgePage(app);
    expect(page.url()).toMatch(/basic\/index\.html$/);
    expect(await page.title()).toBe('Standin basic fixture');
    const info = await app.evaluate(({ app }) => ({ name: app.getName(), version: app.getVersion(), ready: app.isReady(), packaged: app.isPackaged }));
    expect(info).toEqual({ name: 'Standin Basic', version: '1.2.3', ready: true, packaged: false });
  });

  it('resolves electron for CJS, ESM (named, default, dynamic, createRequire) although node_modules/electron exists', async () => {
    expect(existsSync(resolve(__dirname, '../../node_modules/electron/package.json'))).toBe(true);
    const { app } = await start(esmMain);
    const page = await bridgePage(app, 'fixture');
    const identity = await page.evaluate(() => (window as any).fixture.invoke('module-identity'));
    expect(identity).toEqual({ defaultIsRequire: true, namedMatchesDefault: true, dynamicMatches: true, webContentsIsStatic: true });
    await page.waitForFunction(() => document.getElementById('out')?.textContent === 'module loaded');
    expect(await page.textContent('#out')).toBe('module loaded');
  });

  it('gives per-run paths, the app semver and a single-instance lock', async () => {
    const launchedApp = await start(esmMain);
    const page = await bridgePage(launchedApp.app, 'fixture');
    const p = await page.evaluate(() => (window as any).fixture.invoke('paths'));
    expect(p.userData.startsWith(launchedApp.tempDir)).toBe(true);
    expect(p.logs.startsWith(p.userData)).toBe(true);
    expect(p.version).toBe('0.4.0-beta.1');
    expect(p.name).toBe('standin-esm-fixture');
    expect(p.appPath).toBe(esmMain);
    expect(p.isPackaged).toBe(false);
    expect(p.lock).toBe(true);
    expect(p.resourcesPath).toBe('string');
  });

  it('loads -r modules before the main script, in order, able to wrap ipcMain.handle and webContents.send', async () => {
    const { app } = await start(basicMain, { require: [join(fixtures, 'hooks/instrument.cjs'), join(fixtures, 'hooks/second.mjs')] });
    const page = await bridgePage(app);
    await page.evaluate(() => (window as any).api.invoke('echo', 1));
    await page.evaluate(() => (window as any).api.invoke('send-back', 'back', 'x'));
    const log: string[] = await app.evaluate(() => (globalThis as any).__instrumentLog);
    expect(log[0]).toBe('loaded-before-ready:true');
    expect(log[1]).toBe('esm-hook');
    expect(log.indexOf('handle:echo')).toBeGreaterThan(1);
    expect(log).toContain('invoke:echo');
    expect(log).toContain('send:early');
    expect(log).toContain('send:back');
  });
});

describe('invoke semantics and error strings', () => {
  it('rejects with Electron\'s exact messages', async () => {
    const { app } = await start();
    const page = await bridgePage(app);
    const messages = await page.evaluate(async () => {
      const api = (window as any).api;
      const msg = (p: Promise<unknown>) => p.then(() => 'resolved', (e: Error) => `${e.constructor.name}: ${e.message}`);
      return {
        thrown: await msg(api.invoke('throws')),
        string: await msg(api.invoke('throws-string')),
        custom: await msg(api.invoke('throws-custom')),
        missing: await msg(api.invoke('no-such-channel')),
      };
    });
    expect(messages).toEqual({
      thrown: "Error: Error invoking remote method 'throws': Error: boom",
      string: "Error: Error invoking remote method 'throws-string': plain string",
      custom: "Error: Error invoking remote method 'throws-custom': TypeError: bad type",
      missing: "Error: Error invoking remote method 'no-such-channel': Error: No handler registered for 'no-such-channel'",
    });
    const second = await app.evaluate(({ ipcMain }) => {
      try { ipcMain.handle('echo', () => 0); return 'no error'; } catch (e) { return (e as Error).message; }
    });
    expect(second).toBe("Attempted to register a second handler for 'echo'");
  });

  it('handleOnce answers once; removeHandler removes', async () => {
    const { app } = await start();
    const page = await bridgePage(app);
    const r = await page.evaluate(async () => {
      const api = (window as any).api;
      const first = await api.invoke('once');
      const second = await api.invoke('once').catch((e: Error) => e.message);
      await api.invoke('remove-handler', 'echo');
      const removed = await api.invoke('echo', 1).catch((e: Error) => e.message);
      return { first, second, removed };
    });
    expect(r.first).toBe('first');
    expect(r.second).toBe("Error invoking remote method 'once': Error: No handler registered for 'once'");
    expect(r.removed).toBe("Error invoking remote method 'echo': Error: No handler registered for 'echo'");
  });

  it('gives the handler event.sender, event.senderFrame.url and the window', async () => {
    const { app } = await start();
    const page = await bridgePage(app);
    const info = await page.evaluate(() => (window as any).api.invoke('sender-info'));
    const ids = await app.evaluate(({ BrowserWindow }) => { const w = BrowserWindow.getAllWindows()[0]; return { win: w.id, wc: w.webContents.id }; });
    expect(info.id).toBe(ids.wc);
    expect(info.winId).toBe(ids.win);
    expect(info.url).toBe(page.url());
  });
});

describe('structured clone both ways', () => {
  const cases: Array<[string, unknown]> = [
    ['date', { date: 1700000000000 }],
    ['map', { map: [['a', 1], [2, { b: { array: [3], sameRef: false } }]] }],
    ['set', { set: [1, 'x'] }],
    ['big', { bigint: '12345678901234567890' }],
    ['u8', { typed: 'Uint8Array', values: [1, 2, 255] }],
    ['f64', { typed: 'Float64Array', values: [1.5, '-0'] }],
    ['cyc', { name: 'root', self: { selfRef: true } }],
    ['shared', { array: [{ s: 1 }, { s: 1 }], sameRef: true }],
    ['special', { array: [{ undef: true }, { num: 'NaN' }, { num: '-0' }, { num: 'Infinity' }], sameRef: false }],
    ['re', { regexp: '/a+b/gi' }],
    ['nested', { d: { date: 0 } }],
  ];
  it.each(cases)('renderer -> main -> renderer keeps %s', async (kind, expected) => {
    const { app } = await start();
    const page = await bridgePage(app);
    expect(await page.evaluate((k) => (window as any).api.roundTrip(k), kind)).toEqual(expected);
  });

  it('main -> renderer webContents.send carries Map, Date, BigInt, typed arrays and cycles', async () => {
    const { app } = await start();
    const page = await bridgePage(app);
    await app.evaluate(({ BrowserWindow }) => {
      const cyc: any = { n: 1 }; cyc.me = cyc;
      BrowserWindow.getAllWindows()[0].webContents.send('back', new Map([[1, new Date(5)]]), 7n, new Int16Array([-2, 3]), cyc);
    });
    await page.waitForFunction(() => (window as any).api.collected('back').length === 1);
    const got = await page.evaluate(() => {
      const [[m, b, t, c]] = (window as any).api.collected('back');
      return { map: m instanceof Map && m.get(1) instanceof Date && m.get(1).getTime() === 5, big: typeof b === 'bigint' && b === 7n, typed: t instanceof Int16Array && t[0] === -2 && t[1] === 3, cycle: c.me === c };
    });
    expect(got).toEqual({ map: true, big: true, typed: true, cycle: true });
  });

  it('refuses what structured clone refuses, with "An object could not be cloned."', async () => {
    const { app } = await start();
    const page = await bridgePage(app);
    const r = await page.evaluate(async () => {
      const api = (window as any).api;
      return { invoke: await api.cloneError('invoke'), send: await api.cloneError('send'), sendSync: await api.cloneError('sendSync'), result: await api.cloneError('result') };
    });
    expect(r).toEqual({
      invoke: 'Error: An object could not be cloned.',
      send: 'Error: An object could not be cloned.',
      sendSync: 'Error: An object could not be cloned.',
      result: "Error: Error invoking remote method 'returns-fn': Error: An object could not be cloned.",
    });
    const mainSide = await app.evaluate(({ BrowserWindow }) => {
      try { BrowserWindow.getAllWindows()[0].webContents.send('back', () => 1); return 'no error'; } catch (e) { return (e as Error).message; }
    });
    expect(mainSide).toBe('An object could not be cloned.');
  });
});

describe('send, sendSync, reply, ordering', () => {
  it('keeps renderer -> main order of send and delivers sendSync results (also late ones)', async () => {
    const { app } = await start();
    const page = await bridgePage(app);
    const r = await page.evaluate(async (standin) => {
      const api = (window as any).api;
      for (let i = 0; i < 300; i++) api.send('log', i);
      const sync = api.sendSync('sync-echo', 'a', { b: [1] });
      const late = api.sendSync('sync-late', 'x');
      // Without listeners Electron keeps the renderer blocked; the stand-in answers undefined.
      const none = standin ? api.sendSync('nobody-listens', 1) : undefined;
      const received = await api.invoke('received');
      return { sync, late, none, inOrder: received.length === 300 && received.every((v: number, i: number) => v === i) };
    }, onStandin);
    expect(r.sync).toEqual(['a', { b: [1] }]);
    expect(r.late).toBe('late:x');
    expect(r.none).toBeUndefined();
    expect(r.inOrder).toBe(true);
  });

  it('keeps main -> renderer order of webContents.send and answers event.reply', async () => {
    const { app } = await start();
    const page = await bridgePage(app);
    await page.evaluate(() => { (window as any).api.send('burst', 500); (window as any).api.send('ping', 42); });
    await page.waitForFunction(() => (window as any).api.collected('seq').length === 500 && (window as any).api.collected('pong').length === 1);
    const r = await page.evaluate(() => ({ seq: (window as any).api.collected('seq'), pong: (window as any).api.collected('pong') }));
    expect(r.seq).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(r.pong).toEqual([42]);
  });

  it('delivers messages sent before the page was ready after load, in order, to preload and page listeners', async () => {
    const { app } = await start();
    const page = await bridgePage(app);
    await page.waitForFunction(() => (window as any).pageEarly.length === 2);
    expect(await page.evaluate(() => (window as any).api.collected('early'))).toEqual(['one', 'two']);
    expect(await page.evaluate(() => (window as any).pageEarly)).toEqual(['one', 'two']);
  });

  it('supports ipcMain on/once/off/removeListener/removeAllListeners', async () => {
    const { app } = await start();
    const page = await bridgePage(app);
    await app.evaluate(({ ipcMain }) => {
      const g = globalThis as any;
      g.counts = { on: 0, once: 0, off: 0, all: 0 };
      const off = () => { g.counts.off++; };
      ipcMain.on('m', () => { g.counts.on++; });
      ipcMain.once('m', () => { g.counts.once++; });
      ipcMain.on('m', off);
      ipcMain.off('m', off);
      ipcMain.on('m', off);
      ipcMain.removeListener('m', off);
      ipcMain.on('gone', () => { g.counts.all++; });
      ipcMain.removeAllListeners('gone');
    });
    await page.evaluate(async () => {
      const api = (window as any).api;
      api.send('m'); api.send('m'); api.send('gone');
      await api.invoke('echo');
    });
    expect(await app.evaluate(() => (globalThis as any).counts)).toEqual({ on: 2, once: 1, off: 0, all: 0 });
  });
});

describe('window.open and dialogs', () => {
  it('asks setWindowOpenHandler: deny returns null, allow opens a window Playwright sees', async () => {
    const { app } = await start();
    const page = await bridgePage(app);
    const denied = await page.evaluate(() => window.open('https://example.org/docs') === null);
    expect(denied).toBe(true);
    const popup = app.context().waitForEvent('page');
    const allowed = await page.evaluate(() => window.open('about:blank#popup', 'child') !== null);
    expect(allowed).toBe(true);
    const popupPage = await popup;
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(2);
    await popupPage.close();
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    if (!onStandin) return skipReason('shell.openExternal would open a browser on real Electron; not recorded');
    const fx = await app.evaluate((e: any) => e.__standin.sideEffects);
    expect(fx.openExternal).toEqual(['https://example.org/docs']);
    expect(fx.windowOpen.map((w: any) => [w.url, w.action])).toEqual([['https://example.org/docs', 'deny'], ['about:blank#popup', 'allow']]);
  });

  it('keeps sendSync, window.open and target=_blank links working under a strict page CSP (connect-src none)', async () => {
    const { app } = await start(basicMain, { env: { FIXTURE_PAGE: 'csp.html' } });
    const page = await bridgePage(app);
    expect(await page.evaluate(() => (window as any).api.sendSync('sync-echo', 1, 'two'))).toEqual([1, 'two']);
    expect(await page.evaluate(() => window.open('https://example.org/docs'))).toBeNull();
    const popup = app.context().waitForEvent('page');
    expect(await page.evaluate(() => window.open('about:blank#popup', 'child') !== null)).toBe(true);
    await (await popup).close();
    // A link with target=_blank asks the handler too: the https one is denied (no window), the other opens one.
    await page.click('#external');
    const linkPopup = app.context().waitForEvent('page');
    await page.click('#internal');
    await (await linkPopup).close();
    // A `debugger` statement of the page does not stop it (no DevTools open, as in Electron).
    expect(await page.evaluate(() => { debugger; return 'ran'; })).toBe('ran'); // eslint-disable-line no-debugger
    if (!onStandin) return skipReason('the recorded window.open decisions exist on the stand-in only');
    const fx = await app.evaluate((e: any) => e.__standin.sideEffects);
    expect(fx.windowOpen.map((w: any) => [w.url, w.action])).toEqual([
      ['https://example.org/docs', 'deny'], ['about:blank#popup', 'allow'],
      ['https://example.org/from-link', 'deny'], ['about:blank#from-link', 'allow'],
    ]);
    expect(fx.openExternal).toEqual(['https://example.org/docs', 'https://example.org/from-link']);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  it('answers dialogs with queued answers, else canceled', async () => {
    if (!onStandin) return skipReason('real dialogs need a person');
    const { app } = await start();
    const page = await bridgePage(app);
    expect(await page.evaluate(() => (window as any).api.invoke('pick-file'))).toMatchObject({ canceled: true, filePaths: [] });
    await app.evaluate((e: any) => e.__standin.queueDialogAnswer('open', { canceled: false, filePaths: ['/tmp/picked.txt'] }));
    expect(await page.evaluate(() => (window as any).api.invoke('pick-file'))).toEqual({ canceled: false, filePaths: ['/tmp/picked.txt'] });
    const dialogs = await app.evaluate((e: any) => e.__standin.sideEffects.dialogs);
    expect(dialogs).toEqual([{ type: 'open', options: { properties: ['openFile'] } }, { type: 'open', options: { properties: ['openFile'] } }]);
  });
});

describe('per-contents IPC', () => {
  it('webContents.ipc handlers take priority over ipcMain, as in Electron', async () => {
    const { app } = await start();
    const page = await bridgePage(app);
    expect(await page.evaluate(() => (window as any).api.invoke('per-contents'))).toBe('global handler');
    await app.evaluate(({ BrowserWindow }) => { BrowserWindow.getAllWindows()[0].webContents.ipc.handle('per-contents', () => 'contents handler'); });
    expect(await page.evaluate(() => (window as any).api.invoke('per-contents'))).toBe('contents handler');
  });
});

describe('preload and renderer side', () => {
  it('exposes frozen copies, gives the sandboxed require set and sandboxed process fields', async () => {
    const { app } = await start();
    const page = await bridgePage(app);
    const r = await page.evaluate(() => {
      const api = (window as any).api;
      let assigned = 'kept';
      try { api.invoke = null; } catch { /* strict-mode pages throw */ }
      if (api.invoke === null) assigned = 'overwritten';
      return {
        frozen: Object.isFrozen(api), assigned,
        events: api.requireProbe('events'), timers: api.requireProbe('timers'), url: api.requireProbe('url'),
        fs: api.requireProbe('fs'), proc: api.processInfo(), zoom: api.zoom(1.5), base64: api.base64('héllo'),
        internals: typeof (window as any).__conformStandinIpc,
        nodeGlobals: typeof (window as any).require + typeof (window as any).process,
      };
    });
    expect(r.frozen).toBe(true);
    expect(r.assigned).toBe('kept');
    expect([r.events, r.timers, r.url]).toEqual(['ok', 'ok', 'ok']);
    expect(r.fs).toMatch(/^module not found: fs/);
    expect(r.proc).toEqual({ type: 'renderer', sandboxed: true, contextIsolated: true, platform: process.platform });
    expect(r.nodeGlobals).toBe('undefinedundefined');
    expect(r.zoom).toBe(1.5);
    expect(r.base64).toBe(Buffer.from('héllo').toString('base64')); // preloads get Buffer, as in Electron's sandbox
    expect(r.internals).toBe('undefined'); // the IPC binding is taken by the runtime and removed from the page
  });

  it('manages ipcRenderer listeners (on, once, off, removeListener, removeAllListeners) and refuses postMessage clearly', async () => {
    const { app } = await start();
    await bridgePage(app);
    const p = join(fixtures, 'basic/listeners-preload.cjs');
    const page2Promise = app.waitForEvent('window');
    await app.evaluate(({ BrowserWindow }, preload) => {
      const w = new BrowserWindow({ webPreferences: { preload } });
      return w.loadFile('index.html');
    }, p);
    const page2 = await page2Promise;
    await page2.waitForFunction(() => !!(window as any).listeners);
    await page2.evaluate(async () => {
      const l = (window as any).listeners;
      await l.invoke('send-back', 'back', 1);
      await l.invoke('send-back', 'back', 2);
      await l.invoke('send-back', 'other', 3);
      await l.invoke('echo');
    });
    await page2.waitForFunction(() => (window as any).listeners.counts().on === 2);
    expect(await page2.evaluate(() => (window as any).listeners.counts())).toEqual({ on: 2, once: 1, off: 0, removed: 0, all: 0 });
    const pm = await page2.evaluate(() => (window as any).listeners.postMessage());
    if (onStandin) expect(pm).toMatch(/not supported by the Electron stand-in/);
    else skipReason('ipcRenderer.postMessage works on real Electron');
  });

  it('refuses contextBridge without context isolation, like Electron', async () => {
    const { app } = await start();
    await bridgePage(app);
    const pagePromise = app.waitForEvent('window');
    await app.evaluate(({ BrowserWindow }, preload) => {
      const w = new BrowserWindow({ webPreferences: { preload, contextIsolation: false } });
      return w.loadFile('index.html');
    }, join(fixtures, 'basic/preload-noniso.cjs'));
    const page = await pagePromise;
    await page.waitForFunction(() => !!(window as any).bridgeError);
    expect(await page.evaluate(() => (window as any).bridgeError)).toBe('contextBridge API can only be used when contextIsolation is enabled');
    expect(await page.evaluate(() => (window as any).directIpc.invoke('echo', 5))).toEqual([5]);
  });
});

describe('windows', () => {
  it('creates, finds and closes windows; Playwright sees and closes them', async () => {
    const { app } = await start();
    const first = await bridgePage(app);
    const pagePromise = app.waitForEvent('window');
    const ids = await app.evaluate(async ({ BrowserWindow, webContents }) => {
      const w = new BrowserWindow({ show: false, webPreferences: { sandbox: true } });
      const events: string[] = [];
      w.on('closed', () => events.push('closed'));
      w.webContents.on('did-finish-load', () => events.push('did-finish-load'));
      (globalThis as any).secondEvents = events;
      await w.loadURL('data:text/html,<title>second</title>');
      return {
        id: w.id, wcId: w.webContents.id, count: BrowserWindow.getAllWindows().length,
        fromId: BrowserWindow.fromId(w.id) === w, fromWc: BrowserWindow.fromWebContents(w.webContents) === w,
        wcFromId: webContents.fromId(w.webContents.id) === w.webContents, all: webContents.getAllWebContents().length,
        prefs: (w.webContents as any).getLastWebPreferences(), url: w.webContents.getURL(),
      };
    });
    expect(ids).toMatchObject({ count: 2, fromId: true, fromWc: true, wcFromId: true, all: 2, url: 'data:text/html,<title>second</title>' });
    expect(ids.prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    const second = await pagePromise;
    expect(await second.title()).toBe('second');
    const handle = await app.browserWindow(second);
    expect(await handle.evaluate((w: any) => w.id)).toBe(ids.id);
    await second.close();
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    expect(await app.evaluate(() => (globalThis as any).secondEvents)).toEqual(['did-finish-load', 'closed']);
    expect(first.isClosed()).toBe(false);
    const preload = await app.evaluate(({ BrowserWindow }) => (BrowserWindow.getAllWindows()[0].webContents as any).getLastWebPreferences().preload);
    expect(preload).toBe(join(fixtures, 'basic/preload.cjs'));
  });

  it('rejects loadFile of a missing file with Electron\'s error shape', async () => {
    const { app } = await start();
    await bridgePage(app);
    const err = await app.evaluate(async ({ BrowserWindow }) => {
      const w = new BrowserWindow({ show: false });
      try { await w.loadFile('does-not-exist.html'); return 'loaded'; } catch (e: any) { return { message: e.message, code: e.code, errno: e.errno }; } finally { w.destroy(); }
    });
    expect(err).toMatchObject({ code: 'ERR_FILE_NOT_FOUND', errno: -6 });
    expect((err as { message: string }).message).toMatch(/^ERR_FILE_NOT_FOUND \(-6\) loading 'file:\/\/.*does-not-exist\.html'$/);
  });
});

describe('lifecycle: quit order, exit codes, cleanup', () => {
  it('runs before-quit, window closed, will-quit, quit:0 in Electron order on app.close()', async () => {
    const log = join(tmpdir(), `standin-lifecycle-${process.pid}-${Date.now()}.log`);
    try {
      const launchedApp = await start(basicMain, { env: { FIXTURE_LIFECYCLE_LOG: log } });
      await bridgePage(launchedApp.app);
      const exit = new Promise<number | null>((r) => launchedApp.app.process().once('exit', (code) => r(code)));
      await launchedApp.close();
      expect(await exit).toBe(0);
      expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['ready', 'loaded:index.html', 'before-quit', 'closed:1', 'will-quit', 'quit:0']);
    } finally {
      rmSync(log, { force: true });
    }
  });

  it('quits when the last window closes without a window-all-closed listener; stays up with one', async () => {
    const log = join(tmpdir(), `standin-wac-${process.pid}-${Date.now()}.log`);
    try {
      const a = await start(basicMain, { env: { FIXTURE_LIFECYCLE_LOG: log } });
      await bridgePage(a.app);
      const exit = new Promise<number | null>((r) => a.app.process().once('exit', (code) => r(code)));
      await a.app.evaluate(({ BrowserWindow }) => { setTimeout(() => BrowserWindow.getAllWindows()[0].close(), 10); });
      expect(await exit).toBe(0);
      expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['ready', 'loaded:index.html', 'closed:1', 'before-quit', 'will-quit', 'quit:0']);
      rmSync(log, { force: true });
      const b = await start(basicMain, { env: { FIXTURE_LIFECYCLE_LOG: log, FIXTURE_KEEP_ALIVE: '1' } });
      await bridgePage(b.app);
      await b.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].close());
      await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').includes('window-all-closed'));
      expect(await b.app.evaluate(({ app, BrowserWindow }) => ({ ready: app.isReady(), windows: BrowserWindow.getAllWindows().length }))).toEqual({ ready: true, windows: 0 });
    } finally {
      rmSync(log, { force: true });
    }
  });

  it('app.exit(code) exits with that code and emits quit', async () => {
    const log = join(tmpdir(), `standin-exit-${process.pid}-${Date.now()}.log`);
    try {
      const a = await start(basicMain, { env: { FIXTURE_LIFECYCLE_LOG: log } });
      await bridgePage(a.app);
      const exit = new Promise<number | null>((r) => a.app.process().once('exit', (code) => r(code)));
      await a.app.evaluate(({ app }) => { setTimeout(() => app.exit(7), 10); });
      expect(await exit).toBe(7);
      expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['ready', 'loaded:index.html', 'closed:1', 'quit:7']);
    } finally {
      rmSync(log, { force: true });
    }
  });

  it('leaves no Chromium and no profile after close, after a main-process crash and after SIGKILL of the launcher', async () => {
    if (!onStandin) return skipReason('profile folders and the Chromium child are stand-in internals');
    // close
    const a = await start();
    await bridgePage(a.app);
    const pidA = a.app.process().pid!;
    const profileA = profilesOf(pidA)[0];
    expect(profileA).toBeTruthy();
    await a.close();
    expect(profilesOf(pidA)).toEqual([]);
    expect(chromiumUsing(profileA)).toEqual([]);
    // main-process crash (process.exit without app.quit, as a fatal error would do)
    const b = await start();
    await bridgePage(b.app);
    const pidB = b.app.process().pid!;
    const profileB = profilesOf(pidB)[0];
    await b.app.evaluate(() => { setTimeout(() => process.exit(3), 10); });
    expect(await waitFor(() => processGone(pidB) && profilesOf(pidB).length === 0 && chromiumUsing(profileB).length === 0)).toBe(true);
    // SIGKILL of the launcher itself, started with plain Playwright (no launchApp help)
    const raw = await _electron.launch({ executablePath: runtime.executablePath, args: [basicMain] });
    rawApps.push(raw);
    await bridgePage(raw);
    const pidC = raw.process().pid!;
    const profileC = profilesOf(pidC)[0];
    expect(chromiumUsing(profileC).length).toBeGreaterThan(0);
    process.kill(pidC, 'SIGKILL');
    expect(await waitFor(() => chromiumUsing(profileC).length === 0 && profilesOf(pidC).length === 0)).toBe(true);
  });

  it('does not hold ready without both debugger flags (manual runs, one flag only) and exits 0 on quit', async () => {
    if (!onStandin) return skipReason('starting the Electron binary outside Playwright needs a display');
    for (const flags of [[], ['--inspect=0'], ['--remote-debugging-port=0']]) {
      const dir = mkdtempSync(join(tmpdir(), 'standin-manual-'));
      const log = join(dir, 'lifecycle.log');
      const child = spawn(runtime.executablePath, [...flags, basicMain], {
        env: { ...process.env, FIXTURE_LIFECYCLE_LOG: log, FIXTURE_QUIT_AFTER_LOAD: '1', XDG_CONFIG_HOME: dir },
        stdio: ['ignore', 'ignore', 'pipe'], detached: true,
      });
      child.stderr!.resume();
      try {
        const code = await new Promise<number | null>((r, reject) => {
          const t = setTimeout(() => reject(new Error(`no exit with flags [${flags}]`)), 30_000);
          child.once('exit', (c) => { clearTimeout(t); r(c); });
        });
        expect(code, `flags [${flags}]`).toBe(0);
        expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['ready', 'loaded:index.html', 'before-quit', 'closed:1', 'will-quit', 'quit:0']);
        expect(profilesOf(child.pid!)).toEqual([]);
      } finally {
        try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* exited */ }
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('removes stale profile folders of dead pids at the next start', async () => {
    if (!onStandin) return skipReason('profile folders are stand-in internals');
    const deadPid = 2 ** 22 - 7; // above the default pid_max: never a live process
    const stale = join(tmpdir(), `conform-standin-${deadPid}-stale`);
    mkdirSync(join(stale, 'Default'), { recursive: true });
    const { app } = await start();
    await bridgePage(app);
    expect(existsSync(stale)).toBe(false);
  });

  it('runs two apps at once without shared state', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const [pa, pb] = await Promise.all([bridgePage(a.app), bridgePage(b.app)]);
    await pa.evaluate(() => (window as any).api.send('log', 'only-a'));
    const [ra, rb] = await Promise.all([pa.evaluate(() => (window as any).api.invoke('received')), pb.evaluate(() => (window as any).api.invoke('received'))]);
    expect(ra).toEqual(['only-a']);
    expect(rb).toEqual([]);
    const [ua, ub] = await Promise.all([a.app.evaluate(({ app }) => app.getPath('userData')), b.app.evaluate(({ app }) => app.getPath('userData'))]);
    expect(ua).not.toBe(ub);
    expect(a.app.process().pid).not.toBe(b.app.process().pid);
  });
});

describe('inert APIs', () => {
  it('electron.mjs names every API of the CommonJS module as a real ESM export', async () => {
    if (!onStandin) return skipReason('checks the stand-in module files');
    const dir = resolve(__dirname, '../../runner/standin/main');
    const cjs = createRequire(import.meta.url)(join(dir, 'electron.cjs')) as Record<string, unknown>;
    const esm = (await import(pathToFileURL(join(dir, 'electron.mjs')).href)) as Record<string, unknown>;
    const missing = Object.keys(cjs).filter((k) => !(k in esm));
    expect(missing).toEqual([]);
    expect(esm.app).toBe(cjs.app);
  });

  it('load, run, log once per API and record side effects', async () => {
    if (!onStandin) return skipReason('on real Electron these APIs act on the OS (would open a browser, show dialogs)');
    const { app } = await start(esmMain);
    const stderr: string[] = [];
    app.process().stderr!.on('data', (d) => stderr.push(String(d)));
    const page = await bridgePage(app, 'fixture');
    const r = await page.evaluate(() => (window as any).fixture.invoke('exercise-inert'));
    expect(r).toEqual({
      menuItem: 'Quit', iconSize: { width: 1, height: 1 }, notificationSupported: true, dark: true, openCanceled: true,
      boxResponse: 1, clipboard: 'copied text', safeStorageAvailable: false, decrypted: 's3cret', display: true,
      online: true, shortcut: true, systemAnimation: true, idle: 'active',
    });
    await page.evaluate(() => (window as any).fixture.invoke('exercise-inert'));
    const fx = await app.evaluate((electron: any) => electron.__standin);
    expect(fx.sideEffects.openExternal).toEqual(['https://example.com/docs?from=fixture', 'https://example.com/docs?from=fixture']);
    expect(fx.sideEffects.notifications[0]).toMatchObject({ title: 'Hello', body: 'from the fixture' });
    expect(fx.sideEffects.dialogs.map((d: any) => d.type)).toEqual(['open', 'messageBox', 'open', 'messageBox']);
    expect(fx.inertCalls['Menu.buildFromTemplate']).toBeGreaterThanOrEqual(4);
    const text = stderr.join('');
    for (const api of ['Menu', 'Tray', 'shell', 'dialog', 'clipboard', 'safeStorage', 'globalShortcut', 'protocol', 'autoUpdater', 'crashReporter', 'nativeImage']) {
      const n = text.split(`] ${api} is inert`).length - 1;
      expect(n, `${api} logged ${n} times`).toBe(1);
    }
  });
});
