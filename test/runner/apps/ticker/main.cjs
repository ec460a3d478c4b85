// Fixture app for the runner's quiet-after-cleanup test: tk:start starts a ticker that sends
// tk:tick every 40 ms until tk:stop. With TICKER_LEAK=1, tk:stop answers but leaves it running;
// with TICKER_EXIT_AFTER_STOP=1, main exits 50 ms after tk:stop answered (no quiet window to see).
const { app, BrowserWindow, ipcMain } = require('electron');
const path = require('node:path');

const tickers = new Map();
let next = 1;
ipcMain.handle('tk:start', (event) => {
  const id = `ticker-${next++}`;
  const sender = event.sender;
  tickers.set(id, setInterval(() => { if (!sender.isDestroyed()) sender.send('tk:tick', { id }); }, 40));
  return id;
});
ipcMain.handle('tk:stop', (_e, id) => {
  if (typeof id !== 'string' || !tickers.has(id)) throw new Error(`no ticker ${String(id)}`);
  if (process.env.TICKER_LEAK !== '1') clearInterval(tickers.get(id));
  tickers.delete(id);
  if (process.env.TICKER_EXIT_AFTER_STOP === '1') setTimeout(() => process.exit(1), 50);
});
ipcMain.handle('t:ok', (_e, n) => (Number.isInteger(n) && n >= 0 && n <= 100 ? n + 1 : Promise.reject(new Error('n must be an integer 0..100'))));

app.whenReady().then(() => {
  const win = new BrowserWindow({ show: false, webPreferences: { preload: path.join(__dirname, 'preload.cjs'), contextIsolation: true, sandbox: true } });
  win.loadFile(path.join(__dirname, 'index.html'));
});
app.on('window-all-closed', () => app.quit());
