'use strict';
// Sandboxed preload: only require('electron') is available. Exposes window.electron with the
// method names of Cosmosh's preload for the channels this app implements.
const { contextBridge, ipcRenderer } = require('electron');

/** Fault ids, from the argument main adds (--conform-faults=...) or, failing that, the page URL. */
function readFaults() {
  let raw = '';
  const argv = typeof process !== 'undefined' && Array.isArray(process.argv) ? process.argv : [];
  const arg = argv.find((a) => typeof a === 'string' && a.startsWith('--conform-faults='));
  if (arg) raw = arg.slice('--conform-faults='.length);
  else {
    try {
      raw = new URLSearchParams(globalThis.location?.search ?? '').get('faults') ?? '';
    } catch {
      raw = '';
    }
  }
  return new Set(raw.split(',').map((s) => s.trim()).filter(Boolean));
}
const faults = readFaults();

const invoke = (channel) => (...args) => ipcRenderer.invoke(channel, ...args);

const api = {
  // window and locale
  closeWindow: () => ipcRenderer.send('app:close-window'),
  getLocale: invoke('i18n:get-locale'),
  setLocale: (locale) => ipcRenderer.invoke('i18n:set-locale', locale),
  getRuntimeUserName: invoke('app:get-runtime-user-name'),
  getAppVersionInfo: invoke('app:get-version-info'),
  getDownloadsPath: invoke('app:get-downloads-path'),
  showInFileManager: (targetPath) => ipcRenderer.invoke('app:show-in-file-manager', targetPath),
  openExternalUrl: (targetUrl) => ipcRenderer.invoke('app:open-external-url', targetUrl),
  showSaveFileDialog: (defaultPath) => ipcRenderer.invoke('app:show-save-file-dialog', defaultPath),
  onAppMenuAction: (callback) => {
    if (typeof callback !== 'function') throw new TypeError('onAppMenuAction: callback must be a function');
    const listener = (_event, action) => callback(action);
    ipcRenderer.on('app:menu-action', listener);
    return () => ipcRenderer.removeListener('app:menu-action', listener);
  },

  // backend proxy
  backendTestPing: invoke('backend:test-ping'),
  backendSettingsGet: invoke('backend:settings-get'),
  backendSettingsUpdate: (payload) => ipcRenderer.invoke('backend:settings-update', payload),
  backendAuditListEvents: (query) => ipcRenderer.invoke('backend:audit-list-events', query),
  backendAuditGetEventById: (eventId) => ipcRenderer.invoke('backend:audit-get-event-by-id', eventId),
  backendSshListServers: invoke('backend:ssh-list-servers'),
  backendSshCreateServer: (payload) => ipcRenderer.invoke('backend:ssh-create-server', payload),
  backendSshUpdateServer: faults.has('cl-update-server-args-object')
    ? // Bug: the two arguments bundled into one object; main reads (serverId, payload).
      (serverId, payload) => ipcRenderer.invoke('backend:ssh-update-server', { serverId, payload })
    : (serverId, payload) => ipcRenderer.invoke('backend:ssh-update-server', serverId, payload),
  backendSshGetServerCredentials: (serverId) => ipcRenderer.invoke('backend:ssh-get-server-credentials', serverId),
  backendSshDeleteServer: (serverId) => ipcRenderer.invoke('backend:ssh-delete-server', serverId),
  backendSshListFolders: invoke('backend:ssh-list-folders'),
  backendSshCreateFolder: (payload) => ipcRenderer.invoke('backend:ssh-create-folder', payload),
  backendSshUpdateFolder: (folderId, payload) => ipcRenderer.invoke('backend:ssh-update-folder', folderId, payload),
  backendSshDeleteFolder: (folderId) => ipcRenderer.invoke('backend:ssh-delete-folder', folderId),
  backendSshListTags: invoke('backend:ssh-list-tags'),
  backendSshCreateTag: (payload) => ipcRenderer.invoke('backend:ssh-create-tag', payload),
  backendSshListKeychains: invoke('backend:ssh-list-keychains'),
  backendSshCreateKeychain: (payload) => ipcRenderer.invoke('backend:ssh-create-keychain', payload),
  backendSshUpdateKeychain: (keychainId, payload) => ipcRenderer.invoke('backend:ssh-update-keychain', keychainId, payload),
  backendSshGetKeychainCredentials: (keychainId) => ipcRenderer.invoke('backend:ssh-get-keychain-credentials', keychainId),
  backendSshDeleteKeychain: (keychainId) => ipcRenderer.invoke('backend:ssh-delete-keychain', keychainId),
  backendPortForwardListRules: invoke('backend:port-forward-list-rules'),
  backendPortForwardCreateRule: (payload) => ipcRenderer.invoke('backend:port-forward-create-rule', payload),
  backendPortForwardDeleteRule: (ruleId) => ipcRenderer.invoke('backend:port-forward-delete-rule', ruleId),
  backendLocalTerminalListProfiles: invoke('backend:local-terminal-list-profiles'),
};
if (faults.has('cl-open-external-renamed')) {
  // Bug: renamed during a cleanup; renderer code that still calls openExternalUrl breaks.
  api.openExternal = api.openExternalUrl;
  delete api.openExternalUrl;
}
if (faults.has('cl-raw-request-channel')) {
  api.backendRawRequest = (method, route, json) => ipcRenderer.invoke('backend:raw-request', method, route, json);
}

contextBridge.exposeInMainWorld('electron', api);
