'use strict';
// Sandboxed preload: only require('electron') is available. Exposes the seed 000 bridge
// (window.ollama, window.utils) for the channels this app implements.
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

/** Subscribe `cb` to a main -> renderer event; the callback gets the payload. Returns an unsubscribe function. */
const chatChannels = ['ollama:chat-token', 'ollama:chat-error', 'ollama:chat-done', 'ollama:chat-aborted'];
function subscribe(channel) {
  return (cb) => {
    if (typeof cb !== 'function') throw new TypeError(`${channel}: callback must be a function`);
    const listener = (_event, payload) => cb(payload);
    ipcRenderer.on(channel, listener);
    return () => ipcRenderer.removeListener(channel, listener);
  };
}

const ollama = {
  listModels: (clientUrl) => ipcRenderer.invoke('ollama:list', clientUrl),
  runModel: (name) => ipcRenderer.invoke('ollama:run', name),
  deleteModel: faults.has('oc-delete-args-swapped')
    ? // Bug: the optional argument was moved first when clientUrl support was added.
      (name, clientUrl) => ipcRenderer.invoke('ollama:delete', clientUrl, name)
    : (name, clientUrl) => ipcRenderer.invoke('ollama:delete', name, clientUrl),
  resetChat: () => ipcRenderer.invoke('ollama:reset'),
  pullModel: (name, clientUrl) => ipcRenderer.invoke('ollama:pull', name, clientUrl),
  isAvailable: () => ipcRenderer.invoke('ollama:available'),
  streamPrompt: faults.has('oc-stream-args-object')
    ? // Bug: "tidied" into one options object; main still reads positional arguments.
      (model, prompt, toolList, clientUrl) => ipcRenderer.send('ollama:chat-stream', { model, prompt, toolList, clientUrl })
    : (model, prompt, toolList, clientUrl) => ipcRenderer.send('ollama:chat-stream', model, prompt, toolList, clientUrl),
  stop: () => ipcRenderer.send('ollama:stop'),
  load: () => ipcRenderer.invoke('sessions:load'),
  save: (sessions) => ipcRenderer.invoke('sessions:save', sessions),
  getPath: () => ipcRenderer.invoke('session:getPath'),
  getToolSupportingModels: () => ipcRenderer.invoke('ollama:get-tool-models'),
  fetchToolSupportingModels: () => ipcRenderer.invoke('ollama:fetch-tool-models'),
  autoNameSession: (model, prompt, clientUrl) => ipcRenderer.invoke('ollama:auto-name-session', model, prompt, clientUrl),
  onPullProgress: subscribe('ollama:pull-progress'),
  onResponse: subscribe('ollama:chat-token'),
  onError: subscribe('ollama:chat-error'),
  onDone: subscribe('ollama:chat-done'),
  onAbort: subscribe('ollama:chat-aborted'),
  removeAllListeners: () => {
    for (const ch of chatChannels) ipcRenderer.removeAllListeners(ch);
  },
};
if (faults.has('oc-available-renamed')) {
  // Bug: renamed to match the channel name; the documented isAvailable is gone.
  ollama.available = ollama.isAvailable;
  delete ollama.isAvailable;
}
if (faults.has('oc-debug-state-channel')) {
  ollama.debugState = () => ipcRenderer.invoke('ollama:debug-state');
}

const utils = {
  getPath: () => ipcRenderer.invoke('utils:getPath'),
  saveFile: (filePath, content) => ipcRenderer.invoke('utils:saveFile', filePath, content),
  web_open: (url) => ipcRenderer.invoke('utils:web_open', url),
  isFirstLaunch: () => ipcRenderer.invoke('utils:is-first-launch'),
  resetFirstLaunch: () => ipcRenderer.invoke('utils:reset-first-launch'),
  getWarning: (modelSize, clientUrl) => ipcRenderer.invoke('utils:get-hardware-performance-warning', modelSize, clientUrl),
  listAssets: () => ipcRenderer.invoke('utils:listAssets'),
  getAsset: (assetId) => ipcRenderer.invoke('utils:getAsset', assetId),
  rmAsset: (assetId) => ipcRenderer.invoke('utils:rmAsset', assetId),
};

const isolated = typeof process === 'undefined' || process.contextIsolated !== false;
if (!isolated || faults.has('oc-context-isolation-off')) {
  // Without context isolation the contextBridge refuses to work; the page shares our world.
  window.ollama = ollama;
  window.utils = utils;
} else {
  contextBridge.exposeInMainWorld('ollama', ollama);
  contextBridge.exposeInMainWorld('utils', utils);
}
