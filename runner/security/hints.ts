// One line per security finding on how to fix it, shown next to the failure in every report.
// Keyed by check id (the catalog's ids); the fix is what Electron's security guide prescribes.
export const FIX_HINTS: Record<string, string> = {
  'security.window-open': "Deny new windows in main: win.webContents.setWindowOpenHandler(() => ({ action: 'deny' })), opening vetted external URLs with shell.openExternal instead.",
  'security.navigation': "Refuse navigation in main: win.webContents.on('will-navigate', (event, url) => { if (new URL(url).origin !== appOrigin) event.preventDefault(); }).",
  'security.csp': "Serve a Content-Security-Policy: <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'\"> in the page, or the header via session.webRequest.onHeadersReceived.",
  'security.generic-bridge': "Expose one named function per channel in the preload (contextBridge.exposeInMainWorld('api', { list: () => ipcRenderer.invoke('items:list') })), never ipcRenderer itself or an invoke(channel, ...) passthrough.",
  'security.path-guard': "In the main handler resolve the path with fs.realpathSync and refuse it unless path.relative(root, resolved) neither starts with '..' nor is absolute.",
  'security.url-guard': 'In the main handler parse with new URL(value) and refuse it unless url.protocol (and url.host) is on the allow-list, before shell.openExternal or loadURL.',
  'security.size-guard': 'In the main handler refuse oversize input first (e.g. Buffer.byteLength(value) > maxBytes: throw) before parsing or storing it.',
  'security.secret-echo': 'Never return, send or log the secret: answer { hasToken: true } or a masked value, and redact it before console output.',
  'window.posture': 'Create every BrowserWindow with webPreferences { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true } (or what the pack declares).',
};
