const { contextBridge, ipcRenderer } = require('electron');
contextBridge.exposeInMainWorld('api', {
  ping: () => ipcRenderer.invoke('s:ping'),
  saveLogs: (logsPath) => ipcRenderer.invoke('s:saveLogs', logsPath),
});
