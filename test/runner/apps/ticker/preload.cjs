const { contextBridge, ipcRenderer } = require('electron');
contextBridge.exposeInMainWorld('api', {
  start: () => ipcRenderer.invoke('tk:start'),
  stop: (id) => ipcRenderer.invoke('tk:stop', id),
  onTick: (fn) => {
    const listener = (_e, payload) => fn(payload);
    ipcRenderer.on('tk:tick', listener);
    return () => ipcRenderer.removeListener('tk:tick', listener);
  },
  ok: (n) => ipcRenderer.invoke('t:ok', n),
});
