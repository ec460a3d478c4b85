// Fixture app "lenient": one channel per behaviour real apps showed, each judged by what its pack
// (test/runner/packs/lenient) states. LENIENT_* variables switch a channel to a stricter/broken twin.
const { app, BrowserWindow, ipcMain } = require('electron');
const path = require('node:path');

// Tolerates extra properties and defaults missing fields (the document states no validation).
const settings = { theme: 'light', maxRetries: -1 };
ipcMain.handle('settings:update', (_e, patch) => {
  Object.assign(settings, { theme: typeof patch?.theme === 'string' ? patch.theme : 'light' });
  return { ...settings };
});
// maxRetries -1 means "unlimited": the pack assumed >= 0.
ipcMain.handle('settings:get', () => ({ ...settings }));
// Answers '' for an unknown id instead of rejecting; returns an undocumented field on info.
const names = new Map([['n-1', 'Ada']]);
ipcMain.handle('names:get', (_e, id) => names.get(id) ?? '');
ipcMain.handle('names:info', (_e, id) => ({ id: String(id), name: names.get(id) ?? '', internalPath: '/var/lib/names' }));
// Accepts id "" on upsert; delete rejects an unknown id (so a leftover "" record would be deleted fine).
const notes = new Map();
ipcMain.handle('notes:upsert', (_e, note) => {
  const id = note && typeof note.id === 'string' ? note.id : `note-${notes.size + 1}`;
  notes.set(id, { id, text: String(note?.text ?? '') });
  return notes.get(id);
});
ipcMain.handle('notes:delete', (_e, id) => {
  if (!notes.has(id)) throw new Error(`not found: ${JSON.stringify(id)}`);
  notes.delete(id);
});
ipcMain.handle('notes:list', () => [...notes.values()]);
// Rejects every call (a broken handler); vault:read needs it as a prerequisite.
ipcMain.handle('vault:open', () => {
  throw new Error('vault backend unavailable');
});
ipcMain.handle('vault:read', (_e, handle) => ({ handle, data: 'x' }));
// Its own input filter rejects names with spaces, such as the pack's fixture for jobs:tail.
const jobs = new Map();
ipcMain.handle('jobs:create', (_e, name) => {
  if (typeof name !== 'string' || /\s/.test(name)) throw new Error('invalid job name');
  const id = `job-${jobs.size + 1}`;
  jobs.set(id, name);
  return id;
});
ipcMain.handle('jobs:tail', (event, id) => {
  if (!jobs.has(id)) throw new Error('no such job');
  setTimeout(() => event.sender.send('jobs:line', { id, line: 'done' }), 20);
});
// The pack guesses window.api.process.ping; the preload exposes window.api.ping.
ipcMain.handle('proc:ping', () => 'pong');
// The pack gives no bridge path; the preload has window.api.version.
ipcMain.handle('app:version', () => '1.0.0');

app.whenReady().then(() => {
  const win = new BrowserWindow({ show: false, webPreferences: { preload: path.join(__dirname, 'preload.cjs'), contextIsolation: true, sandbox: true } });
  win.loadFile(path.join(__dirname, 'index.html'));
  // Sent only after a crash-restart, which never happens in a run.
  process.on('conform-lenient-restart', () => win.webContents.send('app:restarted', { at: Date.now() }));
});
app.on('window-all-closed', () => app.quit());
