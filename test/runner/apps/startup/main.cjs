// Fixture app for launch failures and host safety. STARTUP_FAULT picks what goes wrong:
// throw (throws at startup), exit3 (process.exit(3) in main), no-window (never opens one),
// quit (quits at every start: its backend is missing), node24 (needs a global only Node >= 22 has).
// Without a fault it is healthy; s:saveLogs writes to the path it is given, as real apps do.
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

ipcMain.handle('s:ping', () => `pong from node ${process.versions.node}`);
ipcMain.handle('s:saveLogs', (_e, logsPath) => {
  fs.mkdirSync(logsPath, { recursive: true });
  fs.writeFileSync(path.join(logsPath, 'startup.log'), 'written by the startup fixture\n');
  return true;
});

app.whenReady().then(() => {
  if (fault === 'quit') {
    process.stderr.write('startup: backend missing, quitting\n');
    app.quit();
    return;
  }
  if (fault === 'no-window') {
    process.stderr.write('startup: waiting for a tray click that never comes\n');
    return;
  }
  const win = new BrowserWindow({ show: false, webPreferences: { preload: path.join(__dirname, 'preload.cjs'), contextIsolation: true, sandbox: true } });
  win.loadFile(path.join(__dirname, 'index.html'));
});
app.on('window-all-closed', () => app.quit());
