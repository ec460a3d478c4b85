const { contextBridge, ipcRenderer } = require('electron');
contextBridge.exposeInMainWorld('api', {
  crash: () => ipcRenderer.invoke('t:crash'),
  hang: () => ipcRenderer.invoke('t:hang'),
  ok: (n) => ipcRenderer.invoke('t:ok', n),
});
