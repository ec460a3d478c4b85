// Fixture app for the runner's robustness test: one channel that kills main, one that never
// answers, one healthy one. The runner must report the first two and still check the third.
const { app, BrowserWindow, ipcMain } = require('electron');
const path = require('node:path');

ipcMain.handle('t:crash', () => {
  process.stderr.write('crashy: about to die on purpose\n');
  setImmediate(() => process.exit(3));
  return 'bye';
});
ipcMain.handle('t:hang', () => new Promise(() => {}));
ipcMain.handle('t:ok', (_e, n) => (Number.isInteger(n) && n >= 0 && n <= 100 ? n + 1 : Promise.reject(new Error('n must be an integer 0..100'))));

app.whenReady().then(() => {
  const win = new BrowserWindow({ show: false, webPreferences: { preload: path.join(__dirname, 'preload.cjs'), contextIsolation: true, sandbox: true } });
  win.loadFile(path.join(__dirname, 'index.html'));
});
app.on('window-all-closed', () => app.quit());
