// Fixture app for launch failures and host safety. STARTUP_FAULT picks what goes wrong:
// throw (throws at startup), exit3 (process.exit(3) in main), no-window (never opens one),
// quit (quits at every start: its backend is missing), node24 (needs a global only Node >= 22 has),
// write-host (writes a file into STARTUP_LEAK_DIR, a path of its own choosing), bad-page (its page
// does not load), preload-throw (its preload throws), blank (its window stays on about:blank on
// purpose, bridge only; its STARTUP_MARK line says when it asked for that page), slow-navigate (its
// page's timers fire 2.5 s late: a navigation started from one reaches main late).
// Without a fault it is healthy; s:saveLogs writes to the path it is given, as real apps do.
// STARTUP_MARK=<file> gets a line at each stage (window, ping, closing) so a test can act at that
// moment; STARTUP_SLOW_MS makes s:ping and quitting take that long (a group and a close to kill in).
const { app, BrowserWindow, ipcMain } = require('electron');
const fs = require('node:fs');
const path = require('node:path');

const fault = process.env.STARTUP_FAULT;
process.stdout.write(`startup: starting (fault: ${fault ?? 'none'})\n`);
if (fault === 'throw') throw new Error('startup: cannot read backend config /etc/startup-backend.json');
if (fault === 'exit3') {
  process.stderr.write('startup: backend not found, exiting with 3\n');
  process.exit(3);
}
if (fault === 'node24') {
  // Electron 41's main has a global WebSocket (Node 24); Node 20 has none without a flag.
  process.stdout.write(`startup: WebSocket is ${typeof WebSocket}\n`);
  globalThis.startupSocketClass = WebSocket;
}

const mark = (what) => process.env.STARTUP_MARK && fs.appendFileSync(process.env.STARTUP_MARK, `${what} ${process.pid}\n`);
const slowMs = Number(process.env.STARTUP_SLOW_MS || 0);

ipcMain.handle('s:ping', async () => {
  mark('ping');
  if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
  return `pong from node ${process.versions.node}`;
});
ipcMain.handle('s:saveLogs', (_e, logsPath) => {
  mark(`save ${JSON.stringify(logsPath)}`);
  fs.mkdirSync(logsPath, { recursive: true });
  fs.writeFileSync(path.join(logsPath, 'startup.log'), 'written by the startup fixture\n');
  return true;
});

app.whenReady().then(() => {
  // A path the app chose itself (as if hard-coded): outside anything Conform can redirect.
  if (fault === 'write-host') fs.writeFileSync(path.join(process.env.STARTUP_LEAK_DIR, 'startup-leak.txt'), 'left behind\n');
  if (fault === 'quit') {
    process.stderr.write('startup: backend missing, quitting\n');
    app.quit();
    return;
  }
  if (fault === 'no-window') {
    process.stderr.write('startup: waiting for a tray click that never comes\n');
    return;
  }
  const preload = path.join(__dirname, fault === 'preload-throw' ? 'preload-throws.cjs' : 'preload.cjs');
  const win = new BrowserWindow({ show: false, webPreferences: { preload, contextIsolation: true, sandbox: true } });
  // bad-page: the renderer's page cannot load (nothing listens on port 9), as with a dev server that is not running.
  if (fault === 'bad-page') win.loadURL('http://127.0.0.1:9/index.html').catch((err) => process.stderr.write(`startup: ${err.message}\n`));
  else if (fault === 'blank') {
    mark(`blank-requested-at ${Date.now()}`);
    win.loadURL('about:blank');
  } else win.loadFile(path.join(__dirname, 'index.html'));
  if (fault === 'slow-navigate') {
    // The page's timers fire 2.5 s late, as on a loaded machine: a navigation started from one
    // reaches main long after it was asked for.
    win.webContents.on('did-finish-load', () => {
      win.webContents.executeJavaScript('{ const st = window.setTimeout; window.setTimeout = (fn, ms, ...a) => st(fn, (ms || 0) + 2500, ...a); }');
    });
  }
  mark('window');
});
app.on('window-all-closed', () => app.quit());
let closing = false;
app.on('before-quit', (ev) => {
  if (!slowMs || closing) return;
  closing = true;
  ev.preventDefault();
  mark('closing');
  setTimeout(() => app.exit(0), slowMs);
});
