'use strict';
// Sandboxed preload: the only module it may load is 'electron'. Exposes window.api, the bridge
// seed 003 documents, with the method paths of specs/packs/script-manager.
const { contextBridge, ipcRenderer } = require('electron');

// Fault switches (examples/faults.json). A sandboxed preload sees process.env and process.argv;
// main also passes them as --conform-faults=... (webPreferences.additionalArguments).
function readFaults() {
  const proc = typeof process === 'object' && process ? process : {};
  const fromArgv = (proc.argv || []).find((a) => typeof a === 'string' && a.startsWith('--conform-faults='));
  const raw = (proc.env && proc.env.CONFORM_FAULTS) || (fromArgv ? fromArgv.slice('--conform-faults='.length) : '');
  return String(raw).split(',').map((s) => s.trim()).filter(Boolean);
}
const faults = readFaults();
const fault = (id) => faults.includes(id);

/** Subscribes `callback` to a main -> renderer event; returns the unsubscribe function. */
function subscribe(channel) {
  return (callback) => {
    if (typeof callback !== 'function') throw new TypeError(`${channel}: the listener must be a function`);
    const listener = (_event, payload) => callback(payload);
    ipcRenderer.on(channel, listener);
    return () => ipcRenderer.removeListener(channel, listener);
  };
}

const processApi = {
  ping: () => ipcRenderer.invoke('process:ping'),
  start: (id) => ipcRenderer.invoke('process:start', id),
  stop: (id) => ipcRenderer.invoke('process:stop', id),
  restart: (id) => ipcRenderer.invoke('process:restart', id),
  snapshot: (id) => ipcRenderer.invoke('process:snapshot', id),
  snapshots: () => ipcRenderer.invoke('process:snapshots'),
  killTree: (id) => ipcRenderer.invoke('process:killTree', id),
  readLog: (id) => ipcRenderer.invoke('process:readLog', id),
  onStatus: subscribe('process:status:event'),
  onLog: subscribe('process:log:event'),
};
if (fault('sm-bridge-snapshots-renamed')) {
  // Bug (fault): renamed in the preload only; the renderer's window.api.process.snapshots is gone.
  processApi.getSnapshots = processApi.snapshots;
  delete processApi.snapshots;
}
if (fault('sm-debug-dump-channel')) {
  processApi.debugDump = () => ipcRenderer.invoke('process:debugDump');
}

// Bug (fault): a generic pass-through "for plugins": the renderer can invoke any channel.
const generic = fault('sm-generic-invoke') ? { invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args) } : {};

contextBridge.exposeInMainWorld('api', {
  ...generic,
  process: processApi,
  scripts: {
    list: () => ipcRenderer.invoke('scripts:list'),
    create: (input) => ipcRenderer.invoke('scripts:create', input),
    upsert: (script) => ipcRenderer.invoke('scripts:upsert', script),
    delete: (id) => ipcRenderer.invoke('scripts:delete', id),
  },
  profiles: {
    list: () => ipcRenderer.invoke('profiles:list'),
    upsert: (profile) => ipcRenderer.invoke('profiles:upsert', profile),
    delete: (id) => ipcRenderer.invoke('profiles:delete', id),
    startAll: (id) => ipcRenderer.invoke('profiles:startAll', id),
    stopAll: (id) => ipcRenderer.invoke('profiles:stopAll', id),
  },
  settings: {
    get: () => ipcRenderer.invoke('settings:get'),
    update: (patch) => ipcRenderer.invoke('settings:update', patch),
  },
  data: {
    export: () => ipcRenderer.invoke('data:export'),
    import: (request) =>
      fault('sm-import-args-spread')
        ? // Bug (fault): the { data, mode } request spread into two positional arguments.
          ipcRenderer.invoke('data:import', request && request.data, request && request.mode)
        : ipcRenderer.invoke('data:import', request),
  },
  updates: {
    check: () => ipcRenderer.invoke('updates:check'),
    download: () => ipcRenderer.invoke('updates:download'),
    quitAndInstall: () => ipcRenderer.invoke('updates:quitAndInstall'),
    onEvent: subscribe('updates:event'),
  },
});
