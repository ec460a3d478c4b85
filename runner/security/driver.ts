// The security phase of `conform run`: drives the probes and records what happened. Observes only:
// checks in runner/security/checks.ts judge. Order matters: guarded-param groups (one renderer
// batch for all channels, or one per channel when a side effect needs attributing), then the
// bridge, CSP and window.open probes, and navigation LAST (an app that lets the page navigate away
// loses its renderer).
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Channel, Pack } from '../../specs/model.ts';
import type { ErrorInfo, MainObservation } from '../checks/observations.ts';
import { containsText } from '../checks/values.ts';
import type { AppSession } from '../run/session.ts';
import { AppGone } from '../run/session.ts';
import type { Step } from '../run/plan.ts';
import { buildProbes, ROOT_NAMES, type Probe, type ProbeEnv } from './probes.ts';
import { sameDocument, type ProbeGroupObservation, type SecurityObservations } from './observations.ts';

/** A channel name no pack uses: if main receives it, the bridge forwards arbitrary channels. */
export const PROBE_CHANNEL = 'conform-probe:undeclared-channel';
/** External origins for the navigation / window.open probes (`.invalid` never resolves: no traffic). */
export const NAV_URL = 'https://conform-probe.invalid/navigate';
export const POPUP_URL = 'https://conform-probe.invalid/popup';

export interface SecurityHost {
  /** The live session (relaunched by the runner when the app went away). */
  session(): Promise<AppSession>;
  /** Drain main observations into the run's record; returns the new ones. */
  collect(): Promise<MainObservation[]>;
  /** The run's record of main observations: the probe channel's own records are taken out of it (not drift). */
  main: MainObservation[];
  /** Close the session (the next `session()` relaunches): used when the navigation probe took the page away. */
  discard(): Promise<void>;
}

export interface SecurityOptions {
  seed: number;
  callTimeoutMs: number;
  /** Try all guarded channels' probes in one renderer batch first (default true; false: one per channel). */
  batch?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** undefined does not survive JSON: the harness turns this marker back into undefined. */
function planValue(v: unknown): unknown {
  if (v === undefined) return { $conform: 'undefined' };
  if (Array.isArray(v)) return v.map(planValue);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, planValue(x)]));
  return v;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

const exists = (p: string) => {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

interface MainProbeState {
  opened: { api: string; url: string }[];
  received: { kind: 'invoke' | 'send'; tag: unknown }[];
}

/** Install recorders in main: shell.openExternal/openPath/showItemInFolder and a handler on PROBE_CHANNEL. */
async function installMainRecorders(s: AppSession): Promise<void> {
  await s.app.evaluate(({ ipcMain, shell }, channel) => {
    const g = globalThis as unknown as { __conformSecurity?: MainProbeState & { orig: Record<string, unknown> } };
    if (g.__conformSecurity) return;
    const state = { opened: [] as MainProbeState['opened'], received: [] as MainProbeState['received'], orig: {} as Record<string, unknown> };
    g.__conformSecurity = state;
    const sh = shell as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const api of ['openExternal', 'openPath', 'showItemInFolder']) {
      state.orig[api] = sh[api];
      // Recorded, never performed: a probe must not open anything on the machine running the checks.
      sh[api] = (target: unknown) => {
        state.opened.push({ api, url: String(target) });
        return api === 'showItemInFolder' ? undefined : Promise.resolve(api === 'openPath' ? '' : undefined);
      };
    }
    // No named helper functions in evaluated code: tsx's keepNames would reference a missing __name.
    ipcMain.handle(channel, (_e, ...args) => {
      state.received.push({ kind: 'invoke', tag: (args.find((x) => x && typeof x === 'object' && 'conformProbe' in (x as object)) as { conformProbe?: unknown } | undefined)?.conformProbe ?? null });
      return null;
    });
    ipcMain.on(channel, (_e, ...args) => {
      state.received.push({ kind: 'send', tag: (args.find((x) => x && typeof x === 'object' && 'conformProbe' in (x as object)) as { conformProbe?: unknown } | undefined)?.conformProbe ?? null });
    });
  }, PROBE_CHANNEL);
}

async function removeMainRecorders(s: AppSession): Promise<void> {
  await s.app.evaluate(({ ipcMain, shell }, channel) => {
    const g = globalThis as unknown as { __conformSecurity?: MainProbeState & { orig: Record<string, unknown> } };
    const state = g.__conformSecurity;
    if (!state) return;
    for (const [api, fn] of Object.entries(state.orig)) (shell as unknown as Record<string, unknown>)[api] = fn;
    ipcMain.removeHandler(channel);
    ipcMain.removeAllListeners(channel);
    delete g.__conformSecurity;
  }, PROBE_CHANNEL);
}

/**
 * What the recorders saw. `afterFlush`: once main has dispatched every renderer->main message sent
 * before the call (the stand-in's ordered flush, runner/standin/main/runtime.cjs flushIpc); null on
 * real Electron, which has no such marker, and when a window did not answer the flush.
 */
function readMainState(s: AppSession): Promise<MainProbeState>;
function readMainState(s: AppSession, afterFlush: true): Promise<MainProbeState | null>;
async function readMainState(s: AppSession, afterFlush = false): Promise<MainProbeState | null> {
  return (await s.app.evaluate(async (electron, afterFlush) => {
    if (afterFlush) {
      const flush = (electron as unknown as { __standin?: StandinApi }).__standin?.flushIpc;
      if (!flush || !(await flush())) return null;
    }
    const g = (globalThis as unknown as { __conformSecurity?: MainProbeState }).__conformSecurity;
    return g ? { opened: [...g.opened], received: [...g.received] } : { opened: [], received: [] };
  }, afterFlush)) as MainProbeState | null;
}

/** How long a probe waits for the stand-in's record of main's decision (it always makes one). */
const DECISION_WAIT_MS = 10_000;
/** How long a window or a page load main has already started is waited for (as long as a decision: a loaded machine). */
const FOLLOW_UP_WAIT_MS = DECISION_WAIT_MS;

/** Where the stand-in's decision records stand (runner/standin/main/decisions.cjs); null on real Electron, which keeps none. */
type DecisionMark = Record<'navigations' | 'windowOpen' | 'windows' | 'loads', number>;
interface StandinDecision { action: 'allow' | 'deny'; windowsCreated: number; pageLoaded: boolean }
interface StandinApi {
  decisions?: { mark(): DecisionMark; next(kind: string, from: DecisionMark, prefix: string, timeoutMs: number): Promise<StandinDecision | null>; settle(): void };
  flushIpc?: () => Promise<boolean>;
}

async function decisionMark(s: AppSession): Promise<DecisionMark | null> {
  return (await s.app.evaluate((electron) => (electron as unknown as { __standin?: StandinApi }).__standin?.decisions?.mark() ?? null)) as DecisionMark | null;
}

/** Main's next decision of `kind` for a URL under `prefix` after `from`, as soon as it is made (null: none within timeoutMs, or settled). */
function nextDecision(s: AppSession, kind: 'navigations' | 'windowOpen', from: DecisionMark, prefix: string, timeoutMs: number): Promise<StandinDecision | null> {
  return s.app.evaluate((electron, a) => (electron as unknown as { __standin: Required<StandinApi> }).__standin.decisions.next(a.kind, a.from, a.prefix, a.timeoutMs), { kind, from, prefix, timeoutMs }) as Promise<StandinDecision | null>;
}

/** End the pending nextDecision waits now (each with its record if main made one). */
async function settleDecisions(s: AppSession): Promise<void> {
  await s.app.evaluate((electron) => (electron as unknown as { __standin?: StandinApi }).__standin?.decisions?.settle()).catch(() => undefined);
}

/** Resolves when the page's main frame is on another document than `urlBefore` (stop() removes the listener). */
function pageLeaving(page: AppSession['page'], urlBefore: string): { left: Promise<void>; stop(): void } {
  let stop = () => {};
  const left = new Promise<void>((resolve) => {
    const onNav = (frame: ReturnType<AppSession['page']['mainFrame']>) => {
      if (frame === page.mainFrame() && !sameDocument(frame.url(), urlBefore)) resolve();
    };
    page.on('framenavigated', onNav);
    stop = () => page.off('framenavigated', onNav);
    if (!sameDocument(page.url(), urlBefore)) resolve();
  });
  return { left, stop };
}

/** Resolves false after ms (the timer is cleared by cancel()). */
function timeout(ms: number): { done: Promise<false>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return { done, cancel: () => clearTimeout(timer) };
}

/** Main's stdout/stderr while the phase runs (raw: the secret-echo check searches it; reports show it redacted only). */
function captureLogs(s: AppSession): { text(): string; stop(): void } {
  const proc = s.app.process();
  let buf = '';
  const on = (chunk: Buffer) => {
    if (buf.length < 4_000_000) buf += chunk.toString('utf8');
  };
  proc.stdout?.on('data', on);
  proc.stderr?.on('data', on);
  return {
    text: () => buf,
    stop: () => {
      proc.stdout?.off('data', on);
      proc.stderr?.off('data', on);
    },
  };
}

interface HarnessCall {
  rule?: string;
  outcome: 'resolved' | 'rejected' | 'timeout' | 'no-bridge' | 'skipped' | 'detached';
  value?: unknown;
  error?: ErrorInfo;
  note?: string;
}

const probeCall = (c: HarnessCall): ProbeGroupObservation['probes'][number]['call'] =>
  ({ outcome: c.outcome === 'detached' ? 'skipped' : c.outcome, value: c.value, error: c.error, note: c.note });

/** Guard roots (`x-guard: { pathUnder }` names) as the app sees them: its userData lives in the run folder. */
export async function readGuardRoots(s: Pick<AppSession, 'app'>): Promise<Record<string, string>> {
  return (await s.app.evaluate(({ app }, names) => {
    const out: Record<string, string> = {};
    for (const n of names) {
      try {
        out[n] = app.getPath(n as Parameters<typeof app.getPath>[0]);
      } catch {
        /* unknown name on this platform */
      }
    }
    return out;
  }, ROOT_NAMES)) as Record<string, string>;
}

export async function runSecurityProbes(host: SecurityHost, pack: Pack, channels: Channel[], opts: SecurityOptions): Promise<SecurityObservations> {
  const obs: SecurityObservations = { groups: [], skipped: [], notes: [] };
  let s = await host.session();
  const nonce = `s${opts.seed}`;
  const outsideDir = mkdtempSync(join(tmpdir(), 'conform-probe-out-'));
  const linkName = `conform-probe-link-${nonce}`;
  const cleanup: string[] = [];
  const logs = captureLogs(s);
  try {
    // Independent main-process round trips run together (the phase is mostly round trips); main's
    // observations so far are drained while the probes are built (awaited before the batch; a
    // failure shows again at the batch's own drain, where a gone app is handled).
    const drained = host.collect().catch(() => undefined);
    const [roots] = await Promise.all([readGuardRoots(s), installMainRecorders(s)]);
    const env: ProbeEnv = { roots, outsideDir, linkName, nonce };
    obs.paths = { outsideDir, roots };
    const plans = channels.map((ch) => buildProbes(pack, ch, env, opts.seed));
    for (const p of plans) for (const sk of p.skipped) obs.skipped.push({ channel: p.channel, ...sk });
    // A symlink inside each root in use, pointing out of it (the symlink-escape variant).
    for (const name of new Set(plans.flatMap((p) => p.probes).filter((p) => p.family === 'path').map((p) => p.guard!.pathUnder!))) {
      const link = join(roots[name]!, linkName);
      try {
        mkdirSync(roots[name]!, { recursive: true });
        if (!exists(link)) symlinkSync(outsideDir, link);
        cleanup.push(link);
      } catch (e) {
        obs.notes.push(`path: could not create the symlink ${link}: ${(e as Error).message}`);
      }
    }
    await drained;
    const probed = plans.filter((p) => p.probes.length > 0);
    const batched = probed.length > 1 && opts.batch !== false ? await runBatch(probed) : null;
    if (batched) obs.groups.push(...batched);
    else {
      // After a batch that took the app down, the relaunched app needs the recorders too.
      if (probed.length > 1 && opts.batch !== false) await installMainRecorders((s = await host.session()));
      for (const plan of probed) obs.groups.push(await runGroup(plan.channel, plan.probes));
    }

    function probeSteps(channel: string, probes: Probe[], firstId: number): Step[] {
      const ch = pack.byName.get(channel)!;
      return probes.map((p, i) => ({
        id: firstId + i, role: 'invalid', channel, bridge: ch.bridge!, args: planValue(p.args) as unknown[], timeoutMs: opts.callTimeoutMs, index: i, rule: p.id,
      }));
    }

    /** One renderer batch of probe calls, and what main opened, sent and printed meanwhile. */
    async function probeRound(steps: Step[]): Promise<{ calls: HarnessCall[]; opened: MainProbeState['opened']; events: ProbeGroupObservation['events']; logs: string }> {
      s = await host.session();
      const [, before] = await Promise.all([host.collect(), readMainState(s)]);
      const logStart = logs.text().length;
      obs.probeBatches = (obs.probeBatches ?? 0) + 1;
      const res = await s.harness<{ calls: HarnessCall[] }>({ kind: 'calls', steps }, steps.length * opts.callTimeoutMs + 5_000);
      // Send channels are fire-and-forget: their handlers get 50 ms to run (and write, open or
      // print what they do). An invoke's handler has answered before its call returned.
      if (steps.some((st) => pack.byName.get(st.channel)?.kind === 'send')) await sleep(50);
      const [after, items] = await Promise.all([readMainState(s), host.collect()]);
      return {
        calls: res.calls,
        opened: after.opened.slice(before.opened.length),
        events: items.filter((o) => o.kind === 'send' && o.channel).map((o) => ({ channel: o.channel!, payload: (o.args ?? [])[0] })),
        logs: logs.text().slice(logStart),
      };
    }

    /** Remove what probes wrote (named targets, and anything in the outside folder) so the next ones start from nothing. */
    function cleanDisk(probes: Probe[]): void {
      for (const p of probes) for (const t of p.targets ?? []) if (!t.startsWith(outsideDir) && exists(t)) {
        rmSync(t, { force: true });
        // The sibling-prefix variant's folder (`<root>-conform-<nonce>`), made by a faulty app.
        if (dirname(t).endsWith(`-conform-${nonce}`)) cleanup.push(dirname(t));
      }
      for (const f of listFiles(outsideDir)) rmSync(f, { force: true });
    }

    /**
     * Every guarded channel's probes in ONE renderer batch: the same calls in the same order as
     * channel by channel. Kept only when no side effect needs telling which channel caused it
     * (the targets and canaries repeat across channels): nothing written on disk, nothing opened,
     * no canary in an event or main's output, main still answering. Otherwise null: the disk is
     * cleaned and the channels run again one by one, which attributes each effect to its channel.
     */
    async function runBatch(group: typeof probed): Promise<ProbeGroupObservation[] | null> {
      let firstId = 900_000;
      const parts = group.map((plan) => {
        const steps = probeSteps(plan.channel, plan.probes, firstId);
        firstId += steps.length;
        return { plan, steps };
      });
      const steps = parts.flatMap((p) => p.steps);
      const probes = group.flatMap((p) => p.probes);
      try {
        const round = await probeRound(steps);
        const canaries = probes.flatMap((p) => p.canaries ?? []);
        const sideEffect = round.opened.length > 0
          || probes.some((p) => (p.targets ?? []).some(exists))
          || listFiles(outsideDir).length > 0
          || canaries.some((c) => round.logs.includes(c) || round.events.some((e) => containsText(e.payload, c)));
        const mainAlive = await s.ping(3_000).then((p) => p.main, () => false);
        if (sideEffect || !mainAlive || round.calls.length !== steps.length) {
          cleanDisk(probes);
          return null;
        }
        let k = 0;
        return parts.map(({ plan }) => ({
          channel: plan.channel,
          probes: plan.probes.map((probe) => ({ probe, call: probeCall(round.calls[k++]!), written: [] })),
          opened: [],
          outsideWrites: [],
          // The batch's sends and output (none mentions a canary): shared by its channels.
          events: round.events,
          logs: round.logs,
          mainAlive: true,
        }));
      } catch (err) {
        if (!(err instanceof AppGone)) throw err;
        cleanDisk(probes);
        return null;
      }
    }

    async function runGroup(channel: string, probes: Probe[]): Promise<ProbeGroupObservation> {
      const group: ProbeGroupObservation = { channel, probes: [], opened: [], outsideWrites: [], events: [], logs: '', mainAlive: true };
      const steps = probeSteps(channel, probes, 900_000);
      try {
        const round = await probeRound(steps);
        group.opened = round.opened;
        group.events = round.events;
        group.logs = round.logs;
        round.calls.forEach((c, i) => {
          const probe = probes[i]!;
          group.probes.push({ probe, call: probeCall(c), written: (probe.targets ?? []).filter(exists) });
        });
      } catch (err) {
        if (!(err instanceof AppGone)) throw err;
        group.skipped = `the app went away during the probes: ${err.reason}`;
        group.mainAlive = false;
      }
      // Observe the disk, then clean it so the next group starts from nothing.
      group.outsideWrites = listFiles(outsideDir);
      cleanDisk(probes);
      if (group.mainAlive) group.mainAlive = await s.ping(3_000).then((p) => p.main, () => false);
      return group;
    }

    // ---------------------------------------------------------------- run-wide probes
    // The recorders stay from the batch unless the app was relaunched since.
    const batchSession = s;
    s = await host.session();
    if (s !== batchSession || !batched) await installMainRecorders(s);
    const didNotRun = (what: string) => (err: unknown): undefined => {
      obs.notes.push(`${what} probe did not run: ${(err as Error).message.split('\n')[0]}`);
      return undefined;
    };
    // Bridge calls (with the CSP probe beside them: it only reads the page), then window.open, then
    // navigation LAST (started once window.open returned); what is only waited for overlaps: the
    // popup decision, the navigation and main's record of the bridge calls are awaited together.
    const [bridgeCalls, csp] = await Promise.all([callBridgeFunctions(s, pack).catch(didNotRun('bridge')), probeCsp(s).catch(didNotRun('csp'))]);
    obs.csp = csp;
    const popup = await openPopup(s).catch(didNotRun('window.open'));
    [obs.windowOpen, obs.navigation, obs.bridge] = await Promise.all([
      popup ? watchPopup(s, popup).catch(didNotRun('window.open')) : undefined,
      probeNavigation(s, popup?.mark).catch(didNotRun('navigation')),
      bridgeCalls ? bridgeReceived(s, bridgeCalls).catch(didNotRun('bridge')) : undefined,
    ]);
    await Promise.all([removeMainRecorders(s).catch(() => undefined), host.collect().catch(() => undefined)]);
    const nav = obs.navigation;
    // A page that left (or that main let leave) is not the app's page any more: relaunch for what follows.
    // So is one whose navigation probe saw nothing (it may still leave later).
    if (!nav || nav.decision === 'allow' || !sameDocument(nav.urlAfter, nav.urlBefore)) await host.discard();
  } finally {
    logs.stop();
    // The probe channel is ours, not the app's: its records are not drift.
    for (let i = host.main.length - 1; i >= 0; i--) if (host.main[i]!.channel === PROBE_CHANNEL) host.main.splice(i, 1);
    for (const p of cleanup) {
      try {
        if (lstatSync(p).isSymbolicLink()) unlinkSync(p);
        else if (p.includes('conform-')) rmSync(p, { recursive: true, force: true });
      } catch {
        /* already gone */
      }
    }
    rmSync(outsideDir, { recursive: true, force: true });
  }
  return obs;
}

/** Call every non-contract function on the bridge roots with an out-of-pack channel name (bridgeReceived: what main got). */
async function callBridgeFunctions(s: AppSession, pack: Pack): Promise<{ candidates: { path: string; threw?: string }[]; rawIpc: string[]; at: number }> {
  const known = pack.channels.map((c) => c.bridge).filter((b): b is string => !!b);
  const found = (await s.page.evaluate(async ({ roots, known, channel }) => {
    const candidates: { path: string; threw?: string }[] = [];
    const rawIpc: string[] = [];
    const seen = new Set<unknown>();
    const fns: { path: string; fn: (...a: unknown[]) => unknown; self: unknown }[] = [];
    // Iterative walk, no named helpers (tsx's keepNames would reference a missing __name in the page).
    const stack: { o: unknown; path: string; depth: number }[] = roots.map((r) => ({
      o: r.split('.').slice(1).reduce<unknown>((o, k) => (o == null ? o : (o as Record<string, unknown>)[k]), window), path: r, depth: 0,
    }));
    while (stack.length) {
      const { o, path, depth } = stack.shift()!;
      if (o === null || typeof o !== 'object' || seen.has(o) || depth > 2) continue;
      seen.add(o);
      const rec = o as Record<string, unknown>;
      if (typeof rec.invoke === 'function' && (typeof rec.send === 'function' || typeof rec.on === 'function')) rawIpc.push(path);
      for (const k of Object.getOwnPropertyNames(o)) {
        let v: unknown;
        try {
          v = rec[k];
        } catch {
          continue;
        }
        const p = `${path}.${k}`;
        if (typeof v === 'function') {
          if (!known.includes(p)) fns.push({ path: p, fn: v as (...a: unknown[]) => unknown, self: o });
        } else if (v && typeof v === 'object') stack.push({ o: v, path: p, depth: depth + 1 });
      }
    }
    const w = window as unknown as Record<string, unknown>;
    if (w.ipcRenderer && typeof w.ipcRenderer === 'object' && !rawIpc.includes('window.ipcRenderer')) rawIpc.push('window.ipcRenderer');
    for (const f of fns) {
      const c: { path: string; threw?: string } = { path: f.path };
      try {
        const r = f.fn.call(f.self, channel, { conformProbe: f.path });
        if (r && typeof (r as Promise<unknown>).then === 'function') {
          await Promise.race([(r as Promise<unknown>).catch((e) => { c.threw = String(e).slice(0, 200); }), new Promise((res) => setTimeout(res, 500))]);
        }
      } catch (e) {
        c.threw = String(e).slice(0, 200);
      }
      candidates.push(c);
    }
    return { candidates, rawIpc };
  }, { roots: pack.roots, known, channel: PROBE_CHANNEL })) as { candidates: { path: string; threw?: string }[]; rawIpc: string[] };
  return { ...found, at: Date.now() };
}

async function bridgeReceived(s: AppSession, found: Awaited<ReturnType<typeof callBridgeFunctions>>): Promise<SecurityObservations['bridge']> {
  // A forwarding bridge function may send (fire-and-forget): on the stand-in, its ordered flush
  // says main has dispatched every message the page sent (the probe channel's recorder runs
  // synchronously); real Electron has no such marker: 100 ms for them to reach main.
  // Nothing was sent when no bridge function was called.
  let main = found.candidates.length > 0 ? await readMainState(s, true) : null;
  if (!main) {
    if (found.candidates.length > 0) await sleep(Math.max(0, found.at + 100 - Date.now()));
    main = await readMainState(s);
  }
  return {
    candidates: found.candidates,
    rawIpc: found.rawIpc,
    received: main.received.map((r) => ({ path: typeof r.tag === 'string' ? r.tag : '(unknown bridge function)', kind: r.kind })),
    probeChannel: PROBE_CHANNEL,
  };
}

async function probeCsp(s: AppSession): Promise<SecurityObservations['csp']> {
  return (await s.page.evaluate(() => {
    const meta = Array.from(document.querySelectorAll('meta[http-equiv]'))
      .filter((m) => (m.getAttribute('http-equiv') ?? '').toLowerCase() === 'content-security-policy')
      .map((m) => m.getAttribute('content') ?? '');
    let evalBlocked = false;
    try {
      (0, eval)('1');
    } catch (e) {
      evalBlocked = e instanceof EvalError || /Content Security Policy|unsafe-eval/i.test(String(e));
    }
    return { meta, evalBlocked, url: location.href };
  })) as SecurityObservations['csp'];
}

/** window.open of an external origin in the page; watchPopup then sees what main decided. */
async function openPopup(s: AppSession) {
  const before = new Set(s.app.windows());
  const mark = await decisionMark(s);
  const returned = (await s.page.evaluate((url) => {
    try {
      return window.open(url) ? 'window' : 'null';
    } catch {
      return 'threw';
    }
  }, POPUP_URL)) as 'null' | 'window' | 'threw';
  return { before, mark, returned };
}

async function watchPopup(s: AppSession, { before, mark, returned }: Awaited<ReturnType<typeof openPopup>>): Promise<SecurityObservations['windowOpen']> {
  let decision: 'allow' | 'deny' | undefined;
  const fresh = () => s.app.windows().filter((p) => !before.has(p) && !p.isClosed());
  if (mark) {
    // The stand-in records the handler's decision (always: wait for it, however loaded the machine).
    const d = await nextDecision(s, 'windowOpen', mark, POPUP_URL, DECISION_WAIT_MS);
    decision = d?.action;
    // An allowed popup becomes a window. A denied one opens nothing on the stand-in, but the
    // handler may open a window itself (main counted the windows it created by the time it
    // decided): wait for exactly those windows, never for a fixed look.
    const expected = d ? Math.max(d.windowsCreated, d.action === 'allow' ? 1 : 0) : 0;
    if (expected > 0) await windowsAppear(s, fresh, expected, d!.action === 'allow' ? DECISION_WAIT_MS : FOLLOW_UP_WAIT_MS);
  } else {
    // Real Electron records no decision: a bounded look.
    await sleep(600);
  }
  const open = fresh();
  const newWindows = open.map((p) => p.url());
  for (const p of open) await p.close().catch(() => undefined);
  if (mark && !decision && !newWindows.length) throw new Error(`main made no window-open decision within ${DECISION_WAIT_MS / 1000} s`);
  if (returned === 'threw' && !decision && !newWindows.length) {
    // window.open failed in the page before main's window-open handler was asked: nothing to judge.
    throw new Error('window.open threw in the renderer before the main process was asked');
  }
  return { attempted: POPUP_URL, returned, newWindows, decision };
}

/** Until `n` new windows are open (Playwright's window events) or `ms` passed. */
async function windowsAppear(s: AppSession, fresh: () => unknown[], n: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (fresh().length < n) {
    const left = deadline - Date.now();
    if (left <= 0) return;
    const more = await s.app.waitForEvent('window', { timeout: left }).then(() => true, () => false);
    if (!more) return;
  }
}

/** `since`: a decision mark taken before (window.open's), else one is taken now. */
async function probeNavigation(s: AppSession, since?: DecisionMark | null): Promise<SecurityObservations['navigation']> {
  const urlBefore = s.page.url();
  const mark = since !== undefined ? since : await decisionMark(s);
  const leaving = pageLeaving(s.page, urlBefore);
  /** Wait for the page to leave, at most ms. */
  const leaves = async (ms: number) => {
    const t = timeout(ms);
    await Promise.race([leaving.left, t.done]);
    t.cancel();
  };
  try {
    // Navigate from a timer so this evaluation returns before the page (maybe) goes away.
    await s.page.evaluate((url) => {
      setTimeout(() => {
        location.href = url;
      }, 0);
    }, NAV_URL);
    let decision: 'allow' | 'deny' | undefined;
    if (mark) {
      // The stand-in records main's will-navigate decision as it is made (however late: the
      // navigation may start seconds later on a loaded machine). An app with no will-navigate
      // listener is never asked: its page just leaves.
      const decided = nextDecision(s, 'navigations', mark, NAV_URL, DECISION_WAIT_MS).catch(() => null);
      const first = await Promise.race([decided, leaving.left.then(() => 'left' as const)]);
      if (first === 'left') {
        await settleDecisions(s);
        decision = (await decided)?.action;
      } else if (first) {
        decision = first.action;
        // Allowed, or denied and then loaded by main itself (counted when it decided): the page is
        // leaving, however slowly; wait for it, so no later call of the run meets the navigation
        // half-way ("Execution context was destroyed"). A plain deny leaves nothing to wait for:
        // the stand-in cancelled the request.
        if (first.action === 'allow' || first.pageLoaded) await leaves(FOLLOW_UP_WAIT_MS);
      }
    } else {
      // Real Electron records no decision: a bounded look for the page leaving.
      await leaves(850);
    }
    const urlAfter = s.page.url();
    // The stand-in always decides: none seen means the probe saw nothing, never that it was refused.
    if (mark && !decision && sameDocument(urlAfter, urlBefore)) throw new Error(`main made no will-navigate decision within ${DECISION_WAIT_MS / 1000} s`);
    return { attempted: NAV_URL, urlBefore, urlAfter, decision };
  } finally {
    leaving.stop();
  }
}
