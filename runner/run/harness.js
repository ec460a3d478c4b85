async function conformHarness(plan, encodeValue) {
  // Values go back unredacted: checks need them whole (a redacted field breaks its schema); the
  // runner redacts secrets when it builds reports.
  const enc = (v) => encodeValue(v, { redact: false });
  // Runs inside the app's renderer (injected as text by runner/run/session.ts, so plain JS only).
  // Executes a batch of bridge calls in order, each with its own timeout, and returns what each
  // call did. State that outlives one batch (bound fixtures, a started stream) lives on window.
  const state = window.__conformHarness || (window.__conformHarness = { bindings: {}, pending: null });
  const now = () => performance.now();

  function lookup(path, alt) {
    // `alt`: other paths to try in order (an id from the result, else from the call's own args).
    for (const p of [path].concat(alt || [])) {
      const r = lookup1(p);
      if (r.ok) return r;
    }
    return { ok: false };
  }
  function lookup1(path) {
    const segs = String(path).split('.');
    if (!(segs[0] in state.bindings)) return { ok: false };
    let cur = state.bindings[segs[0]];
    for (const s of segs.slice(1)) {
      if (cur === null || cur === undefined || typeof cur !== 'object') return { ok: false };
      cur = cur[s];
    }
    return { ok: cur !== undefined, value: cur };
  }
  // Replace { $conform: 'ref' | 'template' } markers with bound values.
  function resolveRefs(v, missing) {
    if (Array.isArray(v)) return v.map((x) => resolveRefs(x, missing));
    if (v && typeof v === 'object') {
      if (v.$conform === 'ref') {
        const r = lookup(v.path, v.alt);
        if (!r.ok) missing.push(v.path);
        return r.value;
      }
      if (v.$conform === 'template') {
        return v.parts.map((p) => {
          if (typeof p === 'string') return p;
          const r = lookup(p.path);
          if (!r.ok) missing.push(p.path);
          return String(r.value);
        }).join('');
      }
      if (v.$conform === 'undefined') return undefined;
      const out = {};
      for (const k of Object.keys(v)) out[k] = resolveRefs(v[k], missing);
      return out;
    }
    return v;
  }
  function resolveBridge(path) {
    let cur = window;
    const segs = String(path).split('.');
    if (segs[0] === 'window') segs.shift();
    let parent = null;
    for (const s of segs) {
      if (cur === null || cur === undefined) return { parent: null, fn: undefined };
      parent = cur;
      try { cur = cur[s]; } catch (e) { return { parent: null, fn: undefined }; }
    }
    return { parent, fn: cur };
  }
  function errorInfo(e) {
    const isError = e instanceof Error || (e && typeof e === 'object' && typeof e.message === 'string' && typeof e.name === 'string');
    let string;
    try { string = String(e); } catch (x) { string = '[unprintable]'; }
    return { name: isError ? String(e.name) : typeof e, message: isError ? String(e.message) : string, string, isError: !!isError };
  }
  // Calls of a batch run one at a time, so one shared watchdog tick enforces every per-call
  // timeout (a timer per call costs as much as a fast round trip).
  let current = null;
  let watchdog = null;
  function settle(promise, timeoutMs, detached) {
    return new Promise((resolve) => {
      if (detached) {
        const timer = setTimeout(() => resolve({ outcome: 'timeout' }), timeoutMs);
        promise.then(
          (value) => { clearTimeout(timer); resolve({ outcome: 'resolved', value }); },
          (err) => { clearTimeout(timer); resolve({ outcome: 'rejected', error: errorInfo(err) }); },
        );
        return;
      }
      const me = { deadline: now() + timeoutMs, resolve };
      current = me;
      if (!watchdog) {
        watchdog = setInterval(() => {
          if (current && now() > current.deadline) {
            const late = current;
            current = null;
            late.resolve({ outcome: 'timeout' });
          }
        }, 20);
      }
      const done = (r) => { if (current === me) current = null; resolve(r); };
      promise.then(
        (value) => done({ outcome: 'resolved', value }),
        (err) => done({ outcome: 'rejected', error: errorInfo(err) }),
      );
    });
  }
  function begin(step) {
    const missing = [];
    const args = resolveRefs(step.args || [], missing);
    if (missing.length) return { skipped: 'unresolved ' + missing.join(', '), args };
    const { parent, fn } = resolveBridge(step.bridge);
    if (typeof fn !== 'function') return { noBridge: true, args };
    const t0 = now();
    let promise;
    try {
      promise = Promise.resolve(fn.apply(parent, args));
    } catch (err) {
      promise = Promise.reject(err);
    }
    return { promise, t0, args };
  }
  function finish(step, started, settled) {
    const rec = {
      id: step.id, role: step.role, channel: step.channel, index: step.index, rule: step.rule,
      args: enc(started.args), outcome: settled.outcome, durationMs: now() - started.t0,
    };
    if (settled.outcome === 'resolved') {
      // Only a call that resolved may have created something to remove.
      if (step.bindArgs) state.bindings[step.bindArgs] = started.args;
      rec.value = enc(settled.value);
      // A union prerequisite that answers its error branch did not make the fixture.
      if (step.errorWhen && matches(settled.value, step.errorWhen)) rec.errorBranch = true;
      if (step.bind) state.bindings[step.bind] = settled.value;
      if (step.role === 'valid' || step.role === 'stream-start') state.bindings.result = settled.value;
    } else if (settled.outcome === 'rejected') {
      rec.error = settled.error;
    }
    return rec;
  }

  function matches(value, disc) {
    if (value === null || typeof value !== 'object') return false;
    return Object.keys(disc).every((k) => value[k] === disc[k]);
  }

  if (plan.kind === 'probe') {
    const out = {};
    for (const p of plan.paths) {
      const { fn } = resolveBridge(p);
      out[p] = typeof fn;
    }
    return { bridges: out };
  }
  if (plan.kind === 'reset') {
    state.bindings = {};
    state.pending = null;
    return { ok: true };
  }
  if (plan.kind === 'pending') {
    // Result of a detached call (stream start), waiting up to waitMs for it.
    const p = state.pending;
    if (!p) return { call: null };
    if (!p.done && plan.waitMs > 0) await Promise.race([p.promise, new Promise((r) => setTimeout(r, plan.waitMs))]);
    return { call: p.done ? p.record : null };
  }

  const calls = [];
  const deadline = plan.budgetMs ? now() + plan.budgetMs : Infinity;
  // Steps that did not succeed: a step that `needs` one of them is not made (its fixture is missing).
  const failed = new Set();
  for (const step of plan.steps) {
    if (now() > deadline) {
      calls.push({ id: step.id, role: step.role, channel: step.channel, index: step.index, rule: step.rule, args: enc(step.args), outcome: 'skipped', durationMs: 0, note: 'batch budget exhausted' });
      failed.add(step.id);
      continue;
    }
    const missing = (step.needs || []).filter((id) => failed.has(id));
    if (missing.length) {
      calls.push({ id: step.id, role: step.role, channel: step.channel, index: step.index, rule: step.rule, args: enc(step.args), outcome: 'skipped', durationMs: 0, note: 'a prerequisite failed' });
      failed.add(step.id);
      continue;
    }
    // A binding from an earlier iteration must not stand in for a call that fails this time.
    if (step.bind) delete state.bindings[step.bind];
    if (step.bindArgs) delete state.bindings[step.bindArgs];
    if (step.role === 'valid' || step.role === 'stream-start') delete state.bindings.result;
    const started = begin(step);
    if (started.skipped || started.noBridge) {
      calls.push({ id: step.id, role: step.role, channel: step.channel, index: step.index, rule: step.rule, args: enc(started.args),
        outcome: started.noBridge ? 'no-bridge' : 'skipped', durationMs: 0, note: started.skipped || ('no function at ' + step.bridge) });
      failed.add(step.id);
      continue;
    }
    if (step.role === 'stream-start') state.bindings.param = started.args;
    if (step.detach) {
      // Start without waiting: the runner follows the stream from main and asks for the result later.
      const pending = { done: false, record: null, promise: null };
      pending.promise = settle(started.promise, step.timeoutMs, true).then((s) => { pending.record = finish(step, started, s); pending.done = true; });
      state.pending = pending;
      calls.push({ id: step.id, role: step.role, channel: step.channel, index: step.index, args: enc(started.args), outcome: 'detached', durationMs: 0 });
      continue;
    }
    const settled = await settle(started.promise, step.timeoutMs);
    const rec = finish(step, started, settled);
    if (rec.outcome !== 'resolved' || rec.errorBranch) failed.add(step.id);
    calls.push(rec);
  }
  if (watchdog) clearInterval(watchdog);
  const bound = {};
  for (const name of plan.report || []) {
    const r = lookup(name);
    if (r.ok) bound[name] = enc(r.value);
  }
  return { calls, bound };
}
