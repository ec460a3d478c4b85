'use strict';
// The Electron APIs the stand-in cannot perform (menus, tray, dialogs, OS integration): they load,
// keep just enough state to be self-consistent, log once per API, and record side effects
// (URLs opened, dialogs shown, notifications) in `sideEffects` for tests to read.
const fs = require('node:fs');

function createInertApis({ logInert, sideEffects, dialogAnswers, EventEmitter, app, getReady }) {
  /** Wraps every function of `obj` so the first call of any of them logs once for `api`. */
  function inertObject(api, obj) {
    for (const key of Object.keys(obj)) {
      const fn = obj[key];
      if (typeof fn !== 'function') continue;
      obj[key] = function (...args) {
        logInert(api, key);
        return fn.apply(this, args);
      };
    }
    return obj;
  }
  function emitterWith(api, methods) {
    const e = new EventEmitter();
    Object.assign(e, inertObject(api, methods));
    return e;
  }

  // ---------------- nativeImage
  class NativeImage {
    constructor(buffer, dataURL) {
      this._buffer = buffer || Buffer.alloc(0);
      this._dataURL = dataURL || (buffer && buffer.length ? `data:image/png;base64,${buffer.toString('base64')}` : '');
      this._template = false;
    }
    isEmpty() { return this._buffer.length === 0; }
    getSize() {
      const b = this._buffer;
      // PNG: width and height sit in the IHDR chunk at bytes 16..23.
      if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47) return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
      return { width: 0, height: 0 };
    }
    getAspectRatio() { const s = this.getSize(); return s.height ? s.width / s.height : 1; }
    toPNG() { return Buffer.from(this._buffer); }
    toJPEG() { return Buffer.from(this._buffer); }
    toBitmap() { return Buffer.alloc(0); }
    getBitmap() { return Buffer.alloc(0); }
    toDataURL() { return this._dataURL || 'data:image/png;base64,'; }
    getNativeHandle() { return Buffer.alloc(8); }
    resize() { return this; }
    crop() { return this; }
    setTemplateImage(t) { this._template = !!t; }
    isTemplateImage() { return this._template; }
    addRepresentation() {}
    getScaleFactors() { return [1]; }
    get isMacTemplateImage() { return this._template; }
  }
  const nativeImage = inertObject('nativeImage', {
    createEmpty: () => new NativeImage(),
    createFromPath: (p) => { try { return new NativeImage(fs.readFileSync(p)); } catch { return new NativeImage(); } },
    createFromBuffer: (b) => new NativeImage(Buffer.from(b)),
    createFromBitmap: (b) => new NativeImage(Buffer.from(b)),
    createFromDataURL: (url) => {
      const m = /^data:[^;,]*(;base64)?,(.*)$/s.exec(String(url));
      const buf = m ? (m[1] ? Buffer.from(m[2], 'base64') : Buffer.from(decodeURIComponent(m[2]))) : Buffer.alloc(0);
      return new NativeImage(buf, String(url));
    },
    createFromNamedImage: () => new NativeImage(),
    createThumbnailFromPath: (p) => Promise.resolve(nativeImage.createFromPath(p)),
  });

  // ---------------- Menu / MenuItem
  class MenuItem {
    constructor(options = {}) {
      logInert('MenuItem', 'constructor');
      Object.assign(this, { type: 'normal', enabled: true, visible: true, checked: false, label: '', sublabel: '', toolTip: '', accelerator: undefined, id: undefined, role: undefined }, options);
      if (Array.isArray(options.submenu)) this.submenu = Menu.buildFromTemplate(options.submenu);
      if (this.submenu && !this.type) this.type = 'submenu';
      if (typeof this.click !== 'function') this.click = () => {};
    }
  }
  let applicationMenu = null;
  class Menu extends EventEmitter {
    constructor() { super(); logInert('Menu', 'constructor'); this.items = []; }
    static buildFromTemplate(template) {
      logInert('Menu', 'buildFromTemplate');
      if (!Array.isArray(template)) throw new TypeError('Invalid template for Menu: Menu template must be an array');
      const m = new Menu();
      for (const t of template) m.append(t instanceof MenuItem ? t : new MenuItem(t));
      return m;
    }
    static setApplicationMenu(menu) { logInert('Menu', 'setApplicationMenu'); applicationMenu = menu; app._applicationMenu = menu; }
    static getApplicationMenu() { return applicationMenu; }
    static sendActionToFirstResponder() { logInert('Menu', 'sendActionToFirstResponder'); }
    append(item) { this.items.push(item); }
    insert(pos, item) { this.items.splice(pos, 0, item); }
    getMenuItemById(id) {
      for (const i of this.items) {
        if (i.id === id) return i;
        const sub = i.submenu && i.submenu.getMenuItemById(id);
        if (sub) return sub;
      }
      return null;
    }
    popup() { logInert('Menu', 'popup'); this.emit('menu-will-show'); this.emit('menu-will-close'); }
    closePopup() {}
  }

  // ---------------- Tray
  class Tray extends EventEmitter {
    constructor(image) { super(); logInert('Tray', 'constructor'); this._image = image; this._destroyed = false; this._tooltip = ''; this._title = ''; this._menu = null; }
    setImage(i) { this._image = i; } setPressedImage() {} setToolTip(t) { this._tooltip = t; } setTitle(t) { this._title = t; }
    getTitle() { return this._title; } setIgnoreDoubleClickEvents() {} getIgnoreDoubleClickEvents() { return false; }
    displayBalloon(o) { sideEffects.notifications.push({ kind: 'balloon', ...o }); } removeBalloon() {} focus() {}
    popUpContextMenu() {} closeContextMenu() {} setContextMenu(m) { this._menu = m; }
    getBounds() { return { x: 0, y: 0, width: 0, height: 0 }; }
    getGUID() { return null; }
    destroy() { this._destroyed = true; } isDestroyed() { return this._destroyed; }
  }

  // ---------------- Notification
  class Notification extends EventEmitter {
    constructor(options = {}) { super(); logInert('Notification', 'constructor'); Object.assign(this, { title: '', subtitle: '', body: '', silent: false }, options); }
    static isSupported() { return true; }
    show() {
      sideEffects.notifications.push({ title: this.title, subtitle: this.subtitle, body: this.body });
      queueMicrotask(() => this.emit('show', { defaultPrevented: false, preventDefault() {} }));
    }
    close() { queueMicrotask(() => this.emit('close', { defaultPrevented: false, preventDefault() {} })); }
  }

  // ---------------- dialog: every dialog answers "canceled" and is recorded
  const record = (type, args) => {
    const options = args.find((a) => a && typeof a === 'object' && !('webContents' in a)) || {};
    sideEffects.dialogs.push({ type, options: JSON.parse(JSON.stringify(options)) });
    return options;
  };
  // A test can queue answers (`__standin.queueDialogAnswer('open', { canceled: false, filePaths: [...] })`);
  // without one every dialog is canceled.
  const answer = (type, fallback) => (dialogAnswers[type] && dialogAnswers[type].length ? dialogAnswers[type].shift() : fallback);
  const dialog = inertObject('dialog', {
    showOpenDialog: (...a) => { record('open', a); return Promise.resolve(answer('open', { canceled: true, filePaths: [], bookmarks: [] })); },
    showOpenDialogSync: (...a) => { record('open', a); const r = answer('open', null); return r && !r.canceled ? r.filePaths : undefined; },
    showSaveDialog: (...a) => { record('save', a); return Promise.resolve(answer('save', { canceled: true, filePath: '', bookmark: undefined })); },
    showSaveDialogSync: (...a) => { record('save', a); const r = answer('save', null); return r && !r.canceled ? r.filePath : undefined; },
    showMessageBox: (...a) => { const o = record('messageBox', a); return Promise.resolve(answer('messageBox', { response: o.cancelId ?? 0, checkboxChecked: !!o.checkboxChecked })); },
    showMessageBoxSync: (...a) => { const o = record('messageBox', a); const r = answer('messageBox', null); return r ? r.response : o.cancelId ?? 0; },
    showErrorBox: (title, content) => { sideEffects.dialogs.push({ type: 'error', options: { title: String(title), content: String(content) } }); process.stderr.write(`[conform stand-in] dialog.showErrorBox: ${title}\n${content}\n`); },
    showCertificateTrustDialog: () => Promise.resolve(),
  });

  // ---------------- shell: never opens anything, records what would have been opened
  const shell = inertObject('shell', {
    openExternal: (url, options) => { sideEffects.openExternal.push(String(url)); void options; return Promise.resolve(); },
    openPath: (p) => { sideEffects.openPath.push(String(p)); return Promise.resolve(''); },
    showItemInFolder: (p) => { sideEffects.showItemInFolder.push(String(p)); },
    trashItem: (p) => { sideEffects.trashItem.push(String(p)); return Promise.resolve(); },
    beep: () => {},
    writeShortcutLink: () => false,
    readShortcutLink: () => { throw new Error('Failed to read shortcut link'); },
  });

  // ---------------- nativeTheme
  const nativeTheme = new EventEmitter();
  let themeSource = 'system';
  Object.defineProperties(nativeTheme, {
    shouldUseDarkColors: { get: () => themeSource === 'dark', enumerable: true },
    shouldUseHighContrastColors: { value: false, enumerable: true },
    shouldUseDarkColorsForSystemIntegratedUI: { get: () => themeSource === 'dark', enumerable: true },
    shouldUseInvertedColorScheme: { value: false, enumerable: true },
    inForcedColorsMode: { value: false, enumerable: true },
    prefersReducedTransparency: { value: false, enumerable: true },
    themeSource: {
      enumerable: true,
      get: () => themeSource,
      set: (v) => {
        if (!['system', 'light', 'dark'].includes(v)) throw new TypeError("themeSource must be one of 'system', 'light' or 'dark'");
        logInert('nativeTheme', 'themeSource');
        themeSource = v;
        nativeTheme.emit('updated');
      },
    },
  });

  // ---------------- clipboard (in memory)
  const clip = { clipboard: {}, selection: {} };
  const board = (type) => clip[type === 'selection' ? 'selection' : 'clipboard'];
  const clipboard = inertObject('clipboard', {
    readText: (t) => board(t).text ?? '', writeText: (s, t) => { board(t).text = String(s); },
    readHTML: (t) => board(t).html ?? '', writeHTML: (s, t) => { board(t).html = String(s); },
    readRTF: (t) => board(t).rtf ?? '', writeRTF: (s, t) => { board(t).rtf = String(s); },
    readImage: (t) => board(t).image ?? nativeImage.createEmpty(), writeImage: (i, t) => { board(t).image = i; },
    readBookmark: () => ({ title: clip.clipboard.bookmarkTitle ?? '', url: clip.clipboard.bookmarkUrl ?? '' }),
    writeBookmark: (title, url) => { clip.clipboard.bookmarkTitle = title; clip.clipboard.bookmarkUrl = url; },
    readFindText: () => clip.clipboard.find ?? '', writeFindText: (s) => { clip.clipboard.find = String(s); },
    clear: (t) => { clip[t === 'selection' ? 'selection' : 'clipboard'] = {}; },
    availableFormats: (t) => { const b = board(t); return [b.text !== undefined && 'text/plain', b.html !== undefined && 'text/html', b.image && 'image/png'].filter(Boolean); },
    has: (f, t) => clipboard.availableFormats(t).includes(f),
    read: (f) => (clip.clipboard.buffers || {})[f] ?? '',
    readBuffer: (f) => Buffer.from((clip.clipboard.buffers || {})[f] ?? ''),
    writeBuffer: (f, b) => { (clip.clipboard.buffers ||= {})[f] = Buffer.from(b); },
    write: (data, t) => {
      if (data.text !== undefined) board(t).text = data.text;
      if (data.html !== undefined) board(t).html = data.html;
      if (data.rtf !== undefined) board(t).rtf = data.rtf;
      if (data.image !== undefined) board(t).image = data.image;
    },
  });

  // ---------------- screen
  const display = {
    id: 1, label: 'stand-in', bounds: { x: 0, y: 0, width: 1280, height: 800 }, workArea: { x: 0, y: 0, width: 1280, height: 800 },
    size: { width: 1280, height: 800 }, workAreaSize: { width: 1280, height: 800 }, scaleFactor: 1, rotation: 0, internal: false,
    touchSupport: 'unknown', monochrome: false, accelerometerSupport: 'unknown', colorSpace: 'srgb', colorDepth: 24,
    depthPerComponent: 8, displayFrequency: 60, detected: true, maximumCursorSize: { width: 0, height: 0 }, nativeOrigin: { x: 0, y: 0 },
  };
  const screen = emitterWith('screen', {
    getPrimaryDisplay: () => display, getAllDisplays: () => [display], getDisplayNearestPoint: () => display,
    getDisplayMatching: () => display, getCursorScreenPoint: () => ({ x: 0, y: 0 }),
    screenToDipPoint: (p) => p, dipToScreenPoint: (p) => p, screenToDipRect: (_w, r) => r, dipToScreenRect: (_w, r) => r,
  });

  const powerMonitor = emitterWith('powerMonitor', {
    getSystemIdleState: () => 'active', getSystemIdleTime: () => 0, isOnBatteryPower: () => false,
    getCurrentThermalState: () => 'unknown',
  });
  powerMonitor.onBatteryPower = false;

  let blockerId = 0;
  const blockers = new Set();
  const powerSaveBlocker = inertObject('powerSaveBlocker', {
    start: () => { const id = ++blockerId; blockers.add(id); return id; },
    stop: (id) => { blockers.delete(id); return true; },
    isStarted: (id) => blockers.has(id),
  });

  // ---------------- protocol and session
  const handled = new Map();
  const protocol = inertObject('protocol', {
    registerSchemesAsPrivileged: (schemes) => {
      if (getReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
      void schemes;
    },
    handle: (scheme, handler) => { handled.set(scheme, handler); },
    unhandle: (scheme) => { handled.delete(scheme); },
    isProtocolHandled: (scheme) => handled.has(scheme),
    registerFileProtocol: (s, h) => { handled.set(s, h); return true; },
    registerBufferProtocol: (s, h) => { handled.set(s, h); return true; },
    registerStringProtocol: (s, h) => { handled.set(s, h); return true; },
    registerHttpProtocol: (s, h) => { handled.set(s, h); return true; },
    registerStreamProtocol: (s, h) => { handled.set(s, h); return true; },
    unregisterProtocol: (s) => handled.delete(s),
    isProtocolRegistered: (s) => handled.has(s),
    interceptFileProtocol: () => true, interceptStringProtocol: () => true, interceptBufferProtocol: () => true,
    interceptHttpProtocol: () => true, interceptStreamProtocol: () => true, uninterceptProtocol: () => true,
    isProtocolIntercepted: () => false,
  });

  const noop = () => {};
  const webRequest = inertObject('session', {
    onBeforeRequest: noop, onBeforeSendHeaders: noop, onSendHeaders: noop, onHeadersReceived: noop,
    onResponseStarted: noop, onBeforeRedirect: noop, onCompleted: noop, onErrorOccurred: noop,
  });
  const sessions = new Map();
  function makeSession(partition) {
    let userAgent = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${process.versions.chrome || '0'} Safari/537.36`;
    const s = emitterWith('session', {
      setPermissionRequestHandler: noop, setPermissionCheckHandler: noop, setDevicePermissionHandler: noop,
      setDisplayMediaRequestHandler: noop, setBluetoothPairingHandler: noop, setUSBProtectedClassesHandler: noop,
      setCertificateVerifyProc: noop,
      clearCache: () => Promise.resolve(), clearStorageData: () => Promise.resolve(), clearAuthCache: () => Promise.resolve(),
      clearHostResolverCache: () => Promise.resolve(), clearCodeCaches: () => Promise.resolve(), flushStorageData: noop,
      getCacheSize: () => Promise.resolve(0),
      setProxy: () => Promise.resolve(), resolveProxy: () => Promise.resolve('DIRECT'), closeAllConnections: () => Promise.resolve(),
      forceReloadProxyConfig: () => Promise.resolve(),
      setUserAgent: (ua) => { userAgent = String(ua); }, getUserAgent: () => userAgent,
      setDownloadPath: noop, enableNetworkEmulation: noop, disableNetworkEmulation: noop, preconnect: noop,
      setSpellCheckerLanguages: noop, getSpellCheckerLanguages: () => [], setSpellCheckerEnabled: noop,
      isSpellCheckerEnabled: () => false, addWordToSpellCheckerDictionary: () => false, listWordsInSpellCheckerDictionary: () => Promise.resolve([]),
      setPreloads: noop, getPreloads: () => [], registerPreloadScript: () => '', getPreloadScripts: () => [],
      loadExtension: () => Promise.reject(new Error('Extensions are not supported by the Electron stand-in')),
      removeExtension: noop, getExtension: () => null, getAllExtensions: () => [],
      getStoragePath: () => (partition && !partition.startsWith('persist:') ? null : app.getPath('userData')),
      isPersistent: () => !partition || partition.startsWith('persist:'),
      setSSLConfig: noop, getBlobData: () => Promise.resolve(Buffer.alloc(0)),
      downloadURL: noop, createInterruptedDownload: noop, setCodeCachePath: noop,
      fetch: (...a) => fetch(...a),
    });
    s.webRequest = webRequest;
    s.protocol = protocol;
    s.netLog = { startLogging: () => Promise.resolve(), stopLogging: () => Promise.resolve(), currentlyLogging: false };
    s.cookies = Object.assign(new EventEmitter(), inertObject('session', {
      get: () => Promise.resolve([]), set: () => Promise.resolve(), remove: () => Promise.resolve(), flushStore: () => Promise.resolve(),
    }));
    s.serviceWorkers = Object.assign(new EventEmitter(), { getAllRunning: () => ({}), getFromVersionID: () => null });
    s.availableSpellCheckerLanguages = [];
    s.spellCheckerEnabled = false;
    s.storagePath = s.getStoragePath();
    return s;
  }
  const session = {
    get defaultSession() {
      if (!sessions.has('')) sessions.set('', makeSession(''));
      return sessions.get('');
    },
    fromPartition(p = '') { if (!sessions.has(p)) sessions.set(p, makeSession(p)); return sessions.get(p); },
    fromPath(p) { return session.fromPartition(`path:${p}`); },
  };

  // ---------------- net: real requests through Node (net.fetch is global fetch)
  const net = inertObject('net', {
    fetch: (...a) => fetch(...a),
    request: (options) => {
      const url = typeof options === 'string' ? options : options.url || `${options.protocol || 'http:'}//${options.hostname || options.host}${options.path || '/'}`;
      const mod = String(url).startsWith('https:') ? require('node:https') : require('node:http');
      return mod.request(url, { method: (options && options.method) || 'GET', headers: options && options.headers });
    },
    isOnline: () => true,
    resolveHost: (host) => require('node:dns').promises.lookup(host, { all: true }).then((a) => ({ endpoints: a.map((x) => ({ address: x.address, family: x.family === 6 ? 'ipv6' : 'ipv4' })) })),
  });
  Object.defineProperty(net, 'online', { get: () => true, enumerable: true });

  // ---------------- safeStorage: reversible (NOT secret) encoding, reported as unavailable
  const SAFE_PREFIX = 'conform-standin-not-encrypted:';
  const safeStorage = inertObject('safeStorage', {
    isEncryptionAvailable: () => false,
    isAsyncEncryptionAvailable: () => Promise.resolve(false),
    encryptString: (s) => Buffer.from(SAFE_PREFIX + Buffer.from(String(s), 'utf8').toString('base64'), 'utf8'),
    decryptString: (b) => {
      const s = Buffer.from(b).toString('utf8');
      if (!s.startsWith(SAFE_PREFIX)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(s.slice(SAFE_PREFIX.length), 'base64').toString('utf8');
    },
    encryptStringAsync: (s) => Promise.resolve(safeStorage.encryptString(s)),
    decryptStringAsync: (b) => Promise.resolve({ result: safeStorage.decryptString(b), shouldReEncrypt: false }),
    setUsePlainTextEncryption: noop,
    getSelectedStorageBackend: () => 'basic_text',
  });

  let feedURL = '';
  const autoUpdater = emitterWith('autoUpdater', {
    setFeedURL: (o) => { feedURL = typeof o === 'string' ? o : (o && o.url) || ''; },
    getFeedURL: () => feedURL,
    checkForUpdates: noop,
    quitAndInstall: noop,
  });

  const crashParams = {};
  const crashReporter = inertObject('crashReporter', {
    start: noop, getLastCrashReport: () => null, getUploadedReports: () => [], getUploadToServer: () => false,
    setUploadToServer: noop, addExtraParameter: (k, v) => { crashParams[k] = v; }, removeExtraParameter: (k) => { delete crashParams[k]; },
    getParameters: () => ({ ...crashParams }),
  });

  const shortcuts = new Set();
  const globalShortcut = inertObject('globalShortcut', {
    register: (acc) => { shortcuts.add(acc); sideEffects.globalShortcuts.push(acc); return true; },
    registerAll: (accs) => { for (const a of accs) shortcuts.add(a); },
    isRegistered: (acc) => shortcuts.has(acc),
    unregister: (acc) => { shortcuts.delete(acc); },
    unregisterAll: () => { shortcuts.clear(); },
  });

  const systemPreferences = emitterWith('systemPreferences', {
    isDarkMode: () => false, getAccentColor: () => '0078d7ff', getColor: () => '#000000', getSystemColor: () => '#000000',
    getMediaAccessStatus: () => 'granted', askForMediaAccess: () => Promise.resolve(true),
    getAnimationSettings: () => ({ shouldRenderRichAnimation: true, scrollAnimationsEnabledBySystem: true, prefersReducedMotion: false }),
    isAeroGlassEnabled: () => false, isSwipeTrackingFromScrollEventsEnabled: () => false,
    getUserDefault: () => undefined, setUserDefault: noop, removeUserDefault: noop,
    getEffectiveAppearance: () => 'light', canPromptTouchID: () => false, promptTouchID: () => Promise.reject(new Error('Touch ID is not available')),
    isTrustedAccessibilityClient: () => false, subscribeNotification: () => 0, unsubscribeNotification: noop,
  });

  const desktopCapturer = inertObject('desktopCapturer', { getSources: () => Promise.resolve([]) });
  const contentTracing = inertObject('contentTracing', {
    getCategories: () => Promise.resolve([]), startRecording: () => Promise.resolve(), stopRecording: () => Promise.resolve(''),
    getTraceBufferUsage: () => Promise.resolve({ value: 0, percentage: 0 }),
  });
  const inAppPurchase = emitterWith('inAppPurchase', { canMakePayments: () => false, getProducts: () => Promise.resolve([]), purchaseProduct: () => Promise.resolve(false), restoreCompletedTransactions: noop, getReceiptURL: () => '', finishAllTransactions: noop, finishTransactionByDate: noop });
  const pushNotifications = emitterWith('pushNotifications', { registerForAPNSNotifications: () => Promise.resolve(''), unregisterForAPNSNotifications: noop });

  const unsupported = (name) => class {
    constructor() { throw new Error(`${name} is not supported by the Electron stand-in; use BrowserWindow.`); }
  };
  const utilityProcess = {
    fork() { throw new Error('utilityProcess.fork is not supported by the Electron stand-in.'); },
  };
  class MessageChannelMain {
    constructor() { throw new Error('MessageChannelMain is not supported by the Electron stand-in (no MessagePort transfer).'); }
  }
  class TouchBar { constructor() { logInert('TouchBar', 'constructor'); } }
  for (const k of ['TouchBarButton', 'TouchBarColorPicker', 'TouchBarGroup', 'TouchBarLabel', 'TouchBarPopover', 'TouchBarScrubber', 'TouchBarSegmentedControl', 'TouchBarSlider', 'TouchBarSpacer', 'TouchBarOtherItemsProxy']) {
    TouchBar[k] = class { constructor(o) { Object.assign(this, o); } };
  }
  class ShareMenu { constructor() { logInert('ShareMenu', 'constructor'); } popup() {} closePopup() {} }

  return {
    WebContentsView: unsupported('WebContentsView'),
    BaseWindow: unsupported('BaseWindow'),
    BrowserView: unsupported('BrowserView'),
    nativeImage,
    session,
    apis: {
      Menu, MenuItem, Tray, Notification, dialog, shell, nativeTheme, nativeImage, clipboard, screen,
      powerMonitor, powerSaveBlocker, session, protocol, net, safeStorage, autoUpdater, crashReporter,
      globalShortcut, systemPreferences, desktopCapturer, contentTracing, inAppPurchase, pushNotifications,
      utilityProcess, MessageChannelMain, TouchBar, ShareMenu, NativeImage,
      netLog: { startLogging: () => Promise.resolve(), stopLogging: () => Promise.resolve(), currentlyLogging: false },
    },
  };
}

module.exports = { createInertApis };
