const { contextBridge, ipcRenderer } = require('electron');
contextBridge.exposeInMainWorld('api', {
  settings: {
    update: (patch) => ipcRenderer.invoke('settings:update', patch),
    get: () => ipcRenderer.invoke('settings:get'),
  },
  names: {
    get: (id) => ipcRenderer.invoke('names:get', id),
    info: (id) => ipcRenderer.invoke('names:info', id),
  },
  notes: {
    upsert: (note) => ipcRenderer.invoke('notes:upsert', note),
    delete: (id) => ipcRenderer.invoke('notes:delete', id),
    list: () => ipcRenderer.invoke('notes:list'),
  },
  vault: {
    open: () => ipcRenderer.invoke('vault:open'),
    read: (handle) => ipcRenderer.invoke('vault:read', handle),
  },
  jobs: {
    create: (name) => ipcRenderer.invoke('jobs:create', name),
    tail: (id) => ipcRenderer.invoke('jobs:tail', id),
    onLine: (cb) => ipcRenderer.on('jobs:line', (_e, p) => cb(p)),
  },
  ping: () => ipcRenderer.invoke('proc:ping'),
  version: () => ipcRenderer.invoke('app:version'),
  onRestarted: (cb) => ipcRenderer.on('app:restarted', (_e, p) => cb(p)),
});
