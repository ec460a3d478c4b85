const { contextBridge, ipcRenderer } = require('electron');

contextBridge.exposeInMainWorld('notes', {
  list: () => ipcRenderer.invoke('notes:list'),
  add: (input) => ipcRenderer.invoke('notes:add', input),
  backendStatus: () => ipcRenderer.invoke('backend:status'),
  onChanged: (fn) => {
    const listener = (_e, payload) => fn(payload);
    ipcRenderer.on('notes:changed', listener);
    return () => ipcRenderer.removeListener('notes:changed', listener);
  },
});
