async function conformTauriShim(config, encodeValue) {
  // Runs inside a Tauri app's page (injected as text by runner/tauri/session.ts: plain JS only).
  // A Tauri app has no hook Conform can load into its Rust side, so everything is observed from
  // the page, through the same window.__TAURI_INTERNALS__ that @tauri-apps/api uses:
  // - window.__conformTauri.invoke.<command>(args): invoke with the camelCase args object; the
  //   channel param of a channel-stream command gets a real Channel (transformCallback);
  // - records in the shape of the Electron hook's (runner/checks/observations.ts): 'handler-call'
  //   and 'handler-settle' mark when the page made an invoke and when it settled (the page's view,
  //   not the handler's), 'send' is a Channel message (with its index) or a global event received
  //   through the event plugin's listen; drain(cursor) hands them out like the hook does.
  if (window.__conformTauri) return { installed: false, generation: window.__conformTauri.generation };
  const T = window.__TAURI_INTERNALS__;
  if (!T || typeof T.invoke !== 'function' || typeof T.transformCallback !== 'function') {
    throw new Error('window.__TAURI_INTERNALS__ (invoke, transformCallback) is missing: the page is not a Tauri v2 page');
  }
  const enc = (v) => encodeValue(v, { redact: false });
  const items = [];
  let seq = 0;
  let callIds = 0;
  const record = (o) => {
    o.seq = ++seq;
    o.t = performance.now();
    items.push(o);
  };
  function errorInfo(e) {
    const isError = e instanceof Error;
    let string;
    try { string = String(e); } catch (x) { string = '[unprintable]'; }
    return { name: isError ? e.name : typeof e, message: isError ? e.message : string, string, isError };
  }
  // Like @tauri-apps/api's Channel: raw messages are { index, message } and { index, end: true }.
  // Recorded in arrival order with their index; the checks judge the order.
  function channel(command) {
    const ch = {};
    ch.id = T.transformCallback((raw) => {
      const isObj = raw !== null && typeof raw === 'object';
      if (isObj && 'end' in raw) {
        record({ kind: 'channel-end', api: 'tauri-channel', channel: command, index: raw.index });
        return;
      }
      const index = isObj && typeof raw.index === 'number' ? raw.index : undefined;
      record({ kind: 'send', api: 'tauri-channel', channel: command, args: [enc(isObj && 'message' in raw ? raw.message : raw)], index });
    });
    ch.toJSON = () => '__CHANNEL__:' + ch.id;
    ch.__TAURI_TO_IPC_KEY__ = ch.toJSON;
    return ch;
  }
  function call(command, args) {
    const param = config.channelParams[command];
    let sent = args;
    if (param && args && typeof args === 'object' && !Array.isArray(args) && param in args) sent = Object.assign({}, args, { [param]: channel(command) });
    const callId = ++callIds;
    record({ kind: 'handler-call', api: 'tauri-invoke', channel: command, callId, args: [enc(args)] });
    let p;
    try {
      p = Promise.resolve(T.invoke(command, sent));
    } catch (e) {
      p = Promise.reject(e);
    }
    p.then(
      (value) => record({ kind: 'handler-settle', api: 'tauri-invoke', channel: command, callId, ok: true, value: enc(value) }),
      (error) => record({ kind: 'handler-settle', api: 'tauri-invoke', channel: command, callId, ok: false, error: errorInfo(error) }),
    );
    return p;
  }
  const generation = Math.random().toString(36).slice(2);
  window.__conformTauri = {
    generation,
    invoke: new Proxy({}, { get: (_t, name) => (typeof name === 'string' ? (args) => call(name, args) : undefined) }),
    drain(cursor) {
      const from = Math.min(cursor, items.length);
      return { cursor: items.length, items: items.slice(from), more: false, now: performance.now(), generation };
    },
  };
  // Global events: the event plugin's listen, as @tauri-apps/api's listen() calls it.
  const failed = [];
  for (const event of config.events) {
    const handler = T.transformCallback((e) => {
      record({ kind: 'send', api: 'tauri-event', channel: (e && e.event) || event, args: [enc(e && typeof e === 'object' && 'payload' in e ? e.payload : e)] });
    });
    try {
      await T.invoke('plugin:event|listen', { event, target: { kind: 'Any' }, handler });
    } catch (e) {
      failed.push(event + ': ' + errorInfo(e).message);
    }
  }
  return { installed: true, generation, listenFailed: failed };
}
