// The main-process hook against a fake `electron` module in a child Node process: registrations,
// handler calls with args and results, listener calls, sends, window posture, redaction, and that
// wrapped listeners can still be removed.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const hook = fileURLToPath(new URL('../../runner/instrument/index.cjs', import.meta.url));

const script = `
const Module = require('module');
const EventEmitter = require('events');
const ipcMain = new EventEmitter();
const handlers = new Map();
ipcMain.handle = (c, f) => { handlers.set(c, f); };
ipcMain.removeHandler = (c) => handlers.delete(c);
class BrowserWindow { constructor(o) { this.webContents = { id: 7, send() {}, on() {} }; } loadURL() {} }
const fake = { ipcMain, BrowserWindow, app: new EventEmitter(), webContents: { getAllWebContents: () => [] } };
const orig = Module._resolveFilename;
Module._resolveFilename = function (r, ...a) { return r === 'electron' ? 'electron' : orig.call(this, r, ...a); };
require.cache.electron = { id: 'electron', filename: 'electron', loaded: true, exports: fake };
require(${JSON.stringify(hook)});
const e = require('electron');
e.ipcMain.handle('user:login', async (_ev, user) => ({ ok: true, token: 'abc', user }));
e.ipcMain.handle('boom', () => { throw { code: 1 }; });
const l = (_ev, line) => {};
e.ipcMain.on('log:write', l);
e.ipcMain.emit('log:write', {}, 'hello');
e.ipcMain.removeListener('log:write', l);
const w = new e.BrowserWindow({ webPreferences: { sandbox: false, contextIsolation: true } });
w.webContents.send('tick', { at: new Date(0) });
(async () => {
  await handlers.get('user:login')({ sender: { id: 7 } }, { name: 'ada', password: 'hunter2' });
  try { handlers.get('boom')({}); } catch {}
  const out = globalThis.__conform.drain(0);
  out.listenersLeft = e.ipcMain.listenerCount('log:write');
  out.second = globalThis.__conform.drain(out.cursor).items.length;
  process.stdout.write(JSON.stringify(out));
})();
`;

describe('instrumentation hook', () => {
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as {
    items: Record<string, any>[]; cursor: number; listenersLeft: number; second: number;
  };
  const kinds = out.items.map((o) => `${o.kind}:${o.channel ?? ''}`);

  it('records registrations, calls, settles, listener calls and sends in order with monotonic timestamps', () => {
    expect(kinds).toEqual([
      'register:user:login', 'register:boom', 'register:log:write', 'listener-call:log:write', 'unregister:log:write',
      'window:', 'send:tick', 'handler-call:user:login', 'handler-settle:user:login', 'handler-call:boom', 'handler-settle:boom',
    ]);
    const seqs = out.items.map((o) => o.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const ts = out.items.map((o) => o.t);
    for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1]);
  });

  it('keeps args and results as they were (Conform redacts what it writes out, and scrubs these values from text)', () => {
    const call = out.items.find((o) => o.kind === 'handler-call')!;
    expect(call.args).toEqual([{ name: 'ada', password: 'hunter2' }]);
    expect(call.sender).toEqual({ webContentsId: 7 });
    const settle = out.items.find((o) => o.kind === 'handler-settle' && o.channel === 'user:login')!;
    expect(settle.ok).toBe(true);
    expect(settle.value.token).toBe('abc');
  });

  it('marks thrown non-Errors, encodes Dates, and records the window posture with Electron defaults', () => {
    const boom = out.items.find((o) => o.kind === 'handler-settle' && o.channel === 'boom')!;
    expect(boom.ok).toBe(false);
    expect(boom.error.isError).toBe(false);
    expect(boom.error.string).toBe('[object Object]');
    expect(out.items.find((o) => o.kind === 'send')!.args).toEqual([{ at: { $conform: 'date', v: '1970-01-01T00:00:00.000Z' } }]);
    const win = out.items.find((o) => o.kind === 'window')!;
    expect(win.effective).toEqual({ contextIsolation: true, sandbox: false, nodeIntegration: false, webSecurity: true, allowRunningInsecureContent: false });
  });

  it('lets wrapped listeners be removed and drains from a cursor', () => {
    expect(out.listenersLeft).toBe(0);
    expect(out.second).toBe(0);
  });
});

describe('instrumentation hook and the inspector console', () => {
  // Main's console must still print, but not be mirrored to the inspector (each mirrored frame
  // delays the next app.evaluate answer by a delayed ACK); CONFORM_INSPECTOR_CONSOLE=1 keeps it.
  const probe = `
const Module = require('module');
const EventEmitter = require('events');
const orig = Module._resolveFilename;
Module._resolveFilename = function (r, ...a) { return r === 'electron' ? 'electron' : orig.call(this, r, ...a); };
require.cache.electron = { id: 'electron', filename: 'electron', loaded: true, exports: { ipcMain: new EventEmitter(), app: new EventEmitter() } };
const { Session } = require('inspector');
const session = new Session();
session.connect();
let mirrored = 0;
session.on('Runtime.consoleAPICalled', () => mirrored++);
session.post('Runtime.enable', () => {
  require(${JSON.stringify(hook)});
  console.log('printed by main');
  console.error('also printed');
  // A command's answer comes after every notification the session got before it, so the count is
  // final once this answers (a marker through the same ordered channel, not a wait).
  session.post('Runtime.evaluate', { expression: '0' }, () => process.stdout.write('mirrored=' + mirrored + '\\n'));
});
`;
  const run = (env: Record<string, string>) => execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });

  it('prints to stdout/stderr as before, without mirroring to the inspector unless asked', () => {
    const quiet = run({});
    expect(quiet).toContain('printed by main');
    expect(quiet).toContain('mirrored=0');
    expect(run({ CONFORM_INSPECTOR_CONSOLE: '1' })).toContain('mirrored=2');
  });
});

