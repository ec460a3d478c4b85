'use strict';
// Main's security decisions (setWindowOpenHandler, will-navigate), recorded in
// `sideEffects.windowOpen` / `sideEffects.navigations`, and waiters for the next one: Conform's
// security probes (runner/security/driver.ts) wait for the decision itself instead of polling the
// records, however late it comes.

function createDecisions({ sideEffects, state }) {
  const waiters = new Set();
  // The webContents each record came from (records stay plain { url, action } objects).
  const source = new WeakMap();

  /** Push a decision record and wake the waiters. */
  function record(kind, rec, wc) {
    sideEffects[kind].push(rec);
    if (wc) source.set(rec, wc);
    for (const w of [...waiters]) w.check();
  }

  /** Where things stand now: `next` counts only what comes after it. */
  function mark() {
    return { navigations: sideEffects.navigations.length, windowOpen: sideEffects.windowOpen.length, windows: state.nextWindowId, loads: state.loadSeq };
  }

  /**
   * The first `kind` record after `from` (a `mark()`) whose url starts with `prefix`, as
   * `{ action, windowsCreated, pageLoaded }`, or null after `timeoutMs` (or `settle()` with none).
   * It resolves one macrotask after the record, so what the handler started in the same turn
   * counts: windows it created itself (`windowsCreated`, BrowserWindows since the mark, an
   * allowed popup's own included once adopted) and a loadURL of the deciding window since the
   * mark (`pageLoaded`: a handler that denies and then loads the URL itself).
   */
  function next(kind, from, prefix, timeoutMs) {
    return new Promise((resolve) => {
      let done = false;
      const finish = (rec) => {
        if (done) return;
        done = true;
        waiters.delete(w);
        clearTimeout(timer);
        if (!rec) return resolve(null);
        setImmediate(() => {
          const wc = source.get(rec);
          resolve({
            action: rec.action,
            windowsCreated: state.nextWindowId - from.windows,
            pageLoaded: !!wc && (wc._loadSeq || 0) > from.loads,
          });
        });
      };
      const find = () => sideEffects[kind].slice(from[kind]).find((r) => String(r.url).startsWith(prefix));
      const w = { check: () => { const r = find(); if (r) finish(r); }, settle: () => finish(find()) };
      waiters.add(w);
      // unref: a probe that stopped waiting never keeps main alive.
      const timer = setTimeout(() => finish(null), Math.max(0, timeoutMs));
      if (timer.unref) timer.unref();
      w.check();
    });
  }

  /** End every wait now: with its record when there is one, else null. */
  function settle() {
    for (const w of [...waiters]) w.settle();
  }

  return { record, api: { mark, next, settle } };
}

module.exports = { createDecisions };
