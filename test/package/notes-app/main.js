// A small Electron app as a user would bring it: a notes store behind ipcMain.handle, an event
// on every change, and a backend it must reach at start-up (NOTES_BACKEND), like an app with a
// local API. NOTES_FAULT=list-map makes notes:list break its contract (an object, not an array).
const { app, BrowserWindow, ipcMain } = require('electron');
const path = require('node:path');

const backend = process.env.NOTES_BACKEND;
const notes = [];

ipcMain.handle('notes:list', () => (process.env.NOTES_FAULT === 'list-map' ? Object.fromEntries(notes.map((n) => [n.id, n])) : notes));
ipcMain.handle('notes:add', (event, input) => {
  if (!input || typeof input.title !== 'string' || !input.title.trim()) throw new Error('title required');
  const unknown = Object.keys(input).find((k) => k !== 'title');
  if (unknown) throw new Error(`unknown field ${unknown}`);
  const note = { id: `n${notes.length + 1}`, title: input.title };
  notes.push(note);
  event.sender.send('notes:changed', { count: notes.length });
  return note;
});
ipcMain.handle('backend:status', async () => (await fetch(`${backend}/health`)).json());

app.whenReady().then(async () => {
  try {
    await fetch(`${backend}/health`);
  } catch (err) {
    console.error(`notes-app: backend ${backend} is not reachable (${err.cause?.code ?? err.message})`);
    app.exit(1);
    return;
  }
  const win = new BrowserWindow({ show: false, webPreferences: { preload: path.join(__dirname, 'preload.js'), contextIsolation: true, sandbox: true, nodeIntegration: false } });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.loadFile(path.join(__dirname, 'index.html'));
});
app.on('window-all-closed', () => app.quit());
