// `conform run` orchestration: load the pack, launch the app with the instrumentation hook, run
// each channel group as ONE batch inside the renderer, follow streams from main, relaunch after a
// crash or hang, then judge everything with the check catalog and build the report.
// Data flows one way: plan -> renderer calls + main observations -> checks -> report.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadPack } from '../specs/loader.ts';
import type { Channel, Pack, SchemaNode, Stream } from '../specs/model.ts';
import { compileGrammar } from '../specs/grammar.ts';
import { redactByNode, redactSecrets, SecretSet } from '../specs/redact.ts';
import { correlationExpected, orderResults, runChecks, streamSymbol } from './checks/catalog.ts';
import type {
  CallObservation,
  GroupObservation,
  MainObservation,
  RunObservations,
  StreamEvent,
  StreamRun,
  WindowObservation,
} from './checks/observations.ts';
import type { CheckResult, ValueShape } from './checks/types.ts';
import { atPath, decode, sameEncoded, trimArgs } from './checks/values.ts';
import { UsageError } from '../cli/errors.ts';
import { Planner, type PlanOptions, type Step } from './run/plan.ts';
import { withDetail } from './run/detail.ts';
import { shardChannels, type ShardSpec } from './shard/partition.ts';
import { readGuardRoots, runSecurityProbes } from './security/driver.ts';
import { scrubCanaries } from './security/checks.ts';
import { bridgesFromSource, readSourceChannels, withBridges } from './run/source.ts';
import { AppGone, AppSession, LaunchFailed } from './run/session.ts';
import { resolveRuntime, type RuntimeChoice } from './runtime.ts';
import { LaunchLedger } from './run/launches.ts';
import { createRunFolder, diffHost, removeRunFolder, snapshotHost } from './run/host.ts';
import { schemaCoverage } from './checks/coverage.ts';
import { startTauriSession, TauriLaunchError } from './tauri/session.ts';
import { summarize, type ReportCheck, type RunReport, type StreamTimeline } from '../reports/run/model.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

export interface RunOptions {
  /** Pack name (under specs/packs) or folder. */
  pack: string;
  /** The app's main script or folder. */
  app: string;
  electron?: string;
  /** Extra command-line arguments for the app (after its main script). */
  args?: string[];
  seed?: number;
  /** Only channels matching: a substring, a `*` glob, or `/regex/`. */
  grep?: string;
  /** Only these channels (exact names); combined with `grep` when both are given. */
  only?: string[];
  /** Run part `index` of `total` of the selected channels (runner/shard/partition.ts). */
  shard?: ShardSpec;
  callTimeoutMs?: number;
  /** Longest wait for a stream to end by itself (caps the contract's budgets); default 15 s. */
  streamTimeoutMs?: number;
  validCount?: number;
  invalidMax?: number;
  /** Extra environment for the app (e.g. CONFORM_FAULTS). */
  env?: Record<string, string>;
  /** Node for main on the stand-in, a binary or a version (`--node`); default: CONFORM_NODE, else the one the app's Electron ships. */
  node?: string;
  /** Told once, before the first launch of an Electron app, which runtime and Node it runs on (the run header). */
  onRuntime?(runtime: RuntimeChoice): void;
  /** Working folder of the app; default: the run folder's home (relative paths stay inside it). */
  cwd?: string;
  progress?: { channelStarted?(channel: string): void; note?(message: string): void };
  /** Aborting stops the app; runConformance then returns the partial outcome with `interrupted` set. */
  signal?: AbortSignal;
  /** Run the security probes (runner/security): default true. */
  security?: boolean;
  /** Longest wait for the app's process and its first window, per launch; default 30 s. */
  launchTimeoutMs?: number;
  /** The run's own folder (set by runConformance): launches and generated paths live inside. */
  runDir?: string;
  /** Share renderer batches between neighbouring channel groups and between guarded channels' security probes: default true (false: the bench's baseline, and the tests that compare both). */
  batchGroups?: boolean;
}

export interface RunOutcome {
  report: RunReport;
  observations: RunObservations;
  results: CheckResult[];
  pack: Pack;
  /** Where the time went (ms): for benchmarks and --debug output, not part of any report. */
  timing: { launchMs: number; groups: Record<string, number>; streams: Record<string, number>; judgeMs: number; closeMs: number; groupBatches: number };
  /** The run was stopped by its signal (SIGINT/SIGTERM): the report is partial, the rest marked not run. */
  interrupted?: boolean;
}

/** The app cannot be driven at all (does not start, or dies before any channel runs). */
export class AppUnusable extends Error {
  constructor(message: string, readonly stderrTail: string[] = []) {
    super(message);
    this.name = 'AppUnusable';
  }
}

export class RunInterrupted extends Error {
  constructor() {
    super('run interrupted');
    this.name = 'RunInterrupted';
  }
}

/** `--grep`: `/re/` regex, `*` glob, else substring. */
export function channelMatcher(grep: string | undefined): (name: string) => boolean {
  if (!grep) return () => true;
  const re = /^\/(.*)\/([a-z]*)$/.exec(grep);
  if (re) {
    let r: RegExp;
    try {
      r = new RegExp(re[1]!, re[2]);
    } catch (e) {
      throw new UsageError(`--grep ${grep}: not a valid regular expression (${(e as Error).message})`);
    }
    return (n) => r.test(n);
  }
  if (grep.includes('*')) {
    const r = new RegExp(`^${grep.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return (n) => r.test(n);
  }
  return (n) => n.includes(grep);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const GRACE_MS = 250;
const QUIET_MS = 500;
/** How long the app must stay up after a cleanup whose quiet window is watched (main's clock). */
export const QUIET_WINDOW_MS = GRACE_MS + QUIET_MS;
/** Most channel groups in one renderer batch (keeps one evaluate's payload and result small). */
const MAX_BATCH_GROUPS = 24;

interface HarnessCall {
  id: number;
  role: CallObservation['role'];
  channel: string;
  index: number;
  rule?: string;
  args: unknown[];
  outcome: CallObservation['outcome'] | 'detached';
  /** A union prerequisite answered its error branch (the harness knows the discriminator). */
  errorBranch?: boolean;
  value?: unknown;
  error?: CallObservation['error'];
  durationMs: number;
  note?: string;
}

/** A group whose cleanup must end a stream: its quiet window is judged later, from main's clock. */
interface QuietWatch {
  group: GroupObservation;
  values: (string | number)[];
  launch: number;
  /** Main's clock when the group's batch (cleanup included) had returned. */
  cleanedAt: number;
}

/**
 * An aborted stream with no terminal event (a watch) goes quiet: instead of idling through its
 * quiet window, the run goes on and the window is judged later from main's records and clock
 * (judgeStreamQuiet). Only for streams whose events name their run (correlation), so later
 * activity on the same channels is told apart.
 */
interface StreamQuietWatch {
  run: StreamRun;
  launch: number;
  /** Main's clock when the abort call had returned: the quiet window can start no earlier. */
  abortT: number;
  startT: number;
  /** Main observations up to this seq were already read by runStream. */
  afterSeq: number;
  eventSet: Set<string>;
  /** The event belongs to this run (its correlated fields hold this run's values). */
  ofRun: (channel: string, payload: unknown) => boolean;
  /** Events still coming this long after the abort: the stream did not stop (end 'timeout'). */
  limitMs: number;
}

class Runner {
  private session: AppSession | null = null;
  launches = 0;
  readonly ledger = new LaunchLedger();
  private quietWatches: QuietWatch[] = [];
  private streamWatches: StreamQuietWatch[] = [];
  /** Renderer round trips that ran channel groups (a batch of several groups counts once). */
  groupBatches = 0;
  readonly main: MainObservation[] = [];
  readonly windows: WindowObservation[] = [];
  readonly incidents: RunReport['incidents'] = [];
  private planner: Planner;

  constructor(
    public pack: Pack,
    readonly opts: RunOptions & Required<Pick<RunOptions, 'seed' | 'callTimeoutMs' | 'streamTimeoutMs'>>,
    planOpts: PlanOptions,
  ) {
    this.planner = new Planner(pack, planOpts);
  }

  /** Use a pack with bridge paths filled in from the preload (same plan options). */
  usePack(pack: Pack): void {
    this.pack = pack;
    this.planner = new Planner(pack, this.planner.opts);
  }

  get runtime() {
    return this.session?.runtime;
  }

  async ensureSession(): Promise<AppSession> {
    if (this.session && this.session.alive) return this.session;
    if (this.session) await this.session.close().catch(() => undefined);
    this.session = null;
    this.checkInterrupted();
    let s: AppSession | undefined;
    while (!s) {
      if (this.ledger.gaveUp) throw new AppUnusable(this.ledger.gaveUp, this.ledger.failures.at(-1)?.output ?? []);
      this.checkInterrupted();
      try {
        s = this.pack.transport === 'tauri'
          ? await startTauriSession(this.pack, { binary: this.opts.app, args: this.opts.args, env: this.opts.env, signal: this.opts.signal, launchTimeoutMs: this.opts.launchTimeoutMs }, ++this.launches)
          : await AppSession.start({ main: this.opts.app, args: this.opts.args, electron: this.opts.electron, node: this.opts.node, env: this.opts.env, cwd: this.opts.cwd, roots: this.pack.roots, launchTimeoutMs: this.opts.launchTimeoutMs, runDir: this.opts.runDir }, ++this.launches);
      } catch (err) {
        if (err instanceof UsageError) throw err;
        if (this.opts.signal?.aborted) throw new RunInterrupted();
        if (err instanceof TauriLaunchError) {
          // Recorded like any failed launch (app.launch reports it with the app's output), but not
          // retried: a Tauri launch failure (no session, no __TAURI_INTERNALS__, exit at start-up)
          // does not go away on a relaunch, and each attempt costs a driver and a display.
          const failed = new LaunchFailed('process-start', err.message.split('\n')[0]!, null, null, err.output);
          this.ledger.launchFailed(this.launches, failed);
          this.ledger.gaveUp ??= `${this.launches > 1 ? 'relaunch failed' : 'the Tauri app could not be driven'} (not retried): ${err.message.split('\n')[0]}`;
          this.incidents.push({ channel: '(launch)', reason: `launch ${this.launches}: ${failed.message}`, stderrTail: err.output });
          this.opts.progress?.note?.(`launch ${this.launches}: ${failed.message}`);
          continue;
        }
        if (!(err instanceof LaunchFailed)) throw new AppUnusable(`${this.launches > 1 ? 'relaunch failed: ' : ''}${(err as Error).message.split('\n')[0]}`);
        this.ledger.launchFailed(this.launches, err);
        this.incidents.push({ channel: '(launch)', reason: `launch ${this.launches}: ${err.message}`, stderrTail: err.output });
        this.opts.progress?.note?.(`launch ${this.launches}: ${err.message}`);
      }
    }
    this.session = s;
    // Guarded path params are valid only under their root (userData...): generate them there.
    if (this.pack.transport !== 'tauri' && !this.planner.opts.guardRoots) {
      this.planner.opts.guardRoots = await readGuardRoots(s).catch(() => undefined);
    }
    if (s.preloadError) {
      // The window opened without (all of) its bridge: the checks say what is missing, this says why.
      this.incidents.push({ channel: '(launch)', reason: `launch ${this.launches}: the preload threw: ${s.preloadError}`, stderrTail: [] });
      this.opts.progress?.note?.(`launch ${this.launches}: the preload threw: ${s.preloadError}`);
    }
    if (this.opts.signal?.aborted) {
      await s.close();
      throw new RunInterrupted();
    }
    await this.collect();
    return s;
  }

  checkInterrupted(): void {
    if (this.opts.signal?.aborted) throw new RunInterrupted();
  }

  /** Drain main observations into the run's record and return the new ones. */
  async collect(): Promise<MainObservation[]> {
    if (!this.session) return [];
    const items = await this.session.drain();
    this.main.push(...items);
    return items;
  }

  async relaunchAfter(channel: string, gone: AppGone): Promise<GroupObservation['crash']> {
    const crash = { reason: gone.reason, exitCode: gone.exitCode, signal: gone.signal, stderrTail: gone.stderrTail, cleanExit: gone.cleanExit };
    this.incidents.push({ channel, reason: gone.reason, stderrTail: gone.stderrTail });
    this.ledger.crashed(this.launches, `${channel}: ${gone.reason}`, gone.stderrTail);
    this.opts.progress?.note?.(`${channel}: ${gone.reason}; ${this.ledger.gaveUp ? 'not relaunching (crash loop)' : 'relaunching the app'}`);
    if (this.session) {
      // Keep what main recorded before it went, when it still answers (hang, not exit).
      if (this.session.alive) await this.collect().catch(() => undefined);
      this.judgeQuietWindows(false);
      await this.session.close().catch(() => undefined);
      this.session = null;
    }
    return crash;
  }

  /** Close a launch that is still good (e.g. its page was navigated away): its quiet windows are observed first. */
  async retire(): Promise<void> {
    if (this.session?.alive) await this.settleQuietWindows().catch(() => undefined);
    await this.close();
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (s) await s.close().catch(() => undefined);
  }

  /** Run `fn` against the app; if the app goes away, relaunch once and retry. */
  async twice<T>(label: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof AppGone)) throw err;
      await this.relaunchAfter(label, err);
      try {
        return await fn();
      } catch (again) {
        if (!(again instanceof AppGone)) throw again;
        await this.relaunchAfter(label, again);
        throw new AppUnusable(`the app went away twice while ${label}: ${again.reason}`, again.stderrTail);
      }
    }
  }

  streamInputs(stream: Stream): number {
    return this.planner.streamInputs(stream);
  }

  async probeBridges(paths: string[]): Promise<Record<string, string>> {
    const s = await this.ensureSession();
    const res = await s.harness<{ bridges: Record<string, string> }>({ kind: 'probe', paths }, 10_000);
    return res.bridges;
  }

  private batchTimeout(steps: Step[]): number {
    return steps.reduce((t, s) => t + s.timeoutMs, 0) + 5_000;
  }

  /** Join renderer calls with the handler calls main recorded, by channel and order. */
  private join(calls: HarnessCall[], obs: MainObservation[]): CallObservation[] {
    const byChannel = new Map<string, MainObservation[]>();
    const settles = new Map<number, MainObservation>();
    for (const o of obs) {
      if ((o.kind === 'handler-call' || o.kind === 'listener-call') && o.channel) {
        if (!byChannel.has(o.channel)) byChannel.set(o.channel, []);
        byChannel.get(o.channel)!.push(o);
      } else if (o.kind === 'handler-settle' && o.callId !== undefined) {
        settles.set(o.callId, o);
      }
    }
    const used = new Set<MainObservation>();
    return calls.map((c): CallObservation => {
      const base: CallObservation = {
        channel: c.channel, role: c.role, index: c.index, rule: c.rule, args: c.args ?? [],
        outcome: c.outcome === 'detached' ? 'skipped' : c.outcome, value: c.value, error: c.error, durationMs: c.durationMs, note: c.note,
      };
      if (c.outcome === 'no-bridge' || c.outcome === 'skipped' || c.outcome === 'detached') return base;
      const candidates = (byChannel.get(c.channel) ?? []).filter((o) => !used.has(o));
      // Prefer the first handler call with the same args (the app's own UI may call the same channel).
      const same = candidates.find((o) => sameEncoded(trimArgs(o.args ?? []), trimArgs(c.args ?? [])));
      const neverReachedMain = c.outcome === 'rejected' && !!c.error && !c.error.message.startsWith('Error invoking remote method');
      const h = same ?? (neverReachedMain ? undefined : candidates[0]);
      if (!h) return { ...base, handler: null };
      used.add(h);
      const st = h.callId !== undefined ? settles.get(h.callId) : undefined;
      return {
        ...base,
        handler: { args: h.args ?? [], settled: !!st || h.kind === 'listener-call', ok: st?.ok, value: st?.value, error: st?.error, ms: st?.ms },
      };
    });
  }

  /** One channel group: one renderer batch, then main's side of it. */
  async runGroup(ch: Channel): Promise<{ group: GroupObservation; plan: ReturnType<Planner['group']> }> {
    const plan = this.planner.group(ch);
    const group: GroupObservation = { channel: ch.name, calls: [], mainAlive: true, rendererAlive: true, mainErrors: [] };
    if (plan.skip) {
      group.skipped = plan.skip;
      return { group, plan };
    }
    try {
      const s = await this.ensureSession();
      const report = [...new Set(plan.fixturePaths.map((p) => p.split('.')[0]!))];
      this.groupBatches++;
      const res = await s.harness<{ calls: HarnessCall[]; bound: Record<string, unknown> }>(
        { kind: 'calls', steps: plan.steps, report },
        this.batchTimeout(plan.steps),
      );
      let obs = await this.collect();
      if (ch.kind === 'send') {
        // Fire-and-forget: give main's listeners a moment to run before reading what they got.
        const sent = res.calls.filter((c) => c.channel === ch.name && c.outcome === 'resolved').length;
        for (let waited = 0; waited < 500 && obs.filter((o) => o.kind === 'listener-call' && o.channel === ch.name).length < sent; waited += 25) {
          await sleep(25);
          obs = obs.concat(await this.collect());
        }
      }
      group.calls = this.join(res.calls, obs);
      group.mainErrors = obs.filter((o) => o.kind === 'uncaught-exception' || o.kind === 'unhandled-rejection');
      if (this.watchesQuiet(ch)) this.watchQuiet(group, plan.fixturePaths, res.bound, s);
      // Liveness: the renderer answers a trivial evaluation; main answers the drain that also
      // collects errors it records just after answering (setImmediate, timers).
      group.rendererAlive = await s.rendererAlive();
      let late: MainObservation[] = [];
      try {
        late = await this.collect();
      } catch (err) {
        if (!(err instanceof AppGone) || s.alive) throw err;
        group.mainAlive = false;
      }
      group.mainErrors.push(...late.filter((o) => o.kind === 'uncaught-exception' || o.kind === 'unhandled-rejection'));
      // A side that stopped answering may be the app quitting (e.g. quitAndInstall): tell them apart.
      if ((!group.mainAlive || !group.rendererAlive) && (await s.waitExit(3_000))) {
        throw s.gone(`the app exited${s.exitCode !== null ? ` with code ${s.exitCode}` : ''} after the group`);
      }
      if (!s.alive) throw s.gone(`the app exited${s.exitCode !== null ? ` with code ${s.exitCode}` : ''} after the group`);
    } catch (err) {
      if (!(err instanceof AppGone)) throw err;
      group.mainAlive = false;
      group.rendererAlive = false;
      group.crash = await this.relaunchAfter(ch.name, err);
    }
    if (!group.crash) this.ledger.succeeded();
    return { group, plan };
  }

  /**
   * Whether a group can share a renderer batch with its neighbours: invoke groups without a quiet
   * window to watch (send groups wait for main's listeners; quiet windows need their own cleanup time).
   */
  batchable(ch: Channel): boolean {
    return ch.kind === 'invoke' && !this.watchesQuiet(ch);
  }

  /**
   * Several channel groups in ONE renderer round trip and one drain: the same steps in the same
   * order as group by group, without the per-group drain and liveness round trips in between.
   * Anything a batch cannot attribute to one group (main logged an uncaught error, a side stopped
   * answering, the app went away) makes the groups run again one by one, which attributes it.
   */
  async runGroups(chs: Channel[]): Promise<GroupObservation[]> {
    const planned = chs.map((ch) => ({ ch, plan: this.planner.group(ch) }));
    const live = planned.filter((p) => !p.plan.skip && p.plan.steps.length > 0);
    if (chs.length === 1 || live.length <= 1) return this.oneByOne(chs, planned);
    const steps = live.flatMap((p) => p.plan.steps);
    const owner = new Map(live.flatMap((p) => p.plan.steps.map((st) => [st.id, p.ch.name] as const)));
    let calls: CallObservation[];
    let stepOf: string[];
    try {
      const s = await this.ensureSession();
      this.groupBatches++;
      const res = await s.harness<{ calls: HarnessCall[] }>({ kind: 'calls', steps }, this.batchTimeout(steps));
      const obs = await this.collect();
      // Liveness as after one group: the renderer answers, then a last drain of main's late errors.
      const answered = s.alive && (await s.rendererAlive());
      if (answered) obs.push(...(await this.collect()));
      if (!answered || !s.alive) await this.close();
      if (!answered || !s.alive || obs.some((o) => o.kind === 'uncaught-exception' || o.kind === 'unhandled-rejection')) return this.oneByOne(chs);
      calls = this.join(res.calls, obs);
      stepOf = res.calls.map((c) => owner.get(c.id) ?? '');
      // A batch that completed with the app up is a good launch for the crash-loop ledger (app.launch).
      this.ledger.succeeded();
    } catch (err) {
      if (!(err instanceof AppGone)) throw err;
      // The group that takes the app down is found (and reported, with its stderr) one by one.
      await this.close();
      return this.oneByOne(chs);
    }
    return planned.map(({ ch, plan }) => {
      const group: GroupObservation = { channel: ch.name, calls: calls.filter((_, i) => stepOf[i] === ch.name), mainAlive: true, rendererAlive: true, mainErrors: [] };
      if (plan.skip) group.skipped = plan.skip;
      return group;
    });
  }

  private async oneByOne(chs: Channel[], planned?: { ch: Channel; plan: ReturnType<Planner['group']> }[]): Promise<GroupObservation[]> {
    const out: GroupObservation[] = [];
    for (const ch of chs) {
      const skip = planned?.find((p) => p.ch === ch)?.plan.skip;
      out.push(skip ? { channel: ch.name, calls: [], mainAlive: true, rendererAlive: true, mainErrors: [], skipped: skip } : (await this.runGroup(ch)).group);
    }
    return out;
  }

  /** Groups that start a stream as a fixture, or abort one: their cleanup must end its events. */
  watchesQuiet(ch: Channel): boolean {
    const starts = new Set(this.pack.streams.map((s) => s.start));
    const aborts = new Set(this.pack.streams.map((s) => s.abort?.call).filter(Boolean));
    return Object.keys(ch.fixtures).length > 0 && (aborts.has(ch.name) || ch.prerequisites.some((p) => starts.has(p.call)));
  }

  /**
   * Events that still mention the group's fixtures after its cleanup mean something it started is
   * still running. Waiting out the quiet window here would idle the run for GRACE_MS + QUIET_MS per
   * such group, so the window is only marked (on main's clock) and judged once later groups have
   * used up that time: see judgeQuietWindows.
   */
  private watchQuiet(group: GroupObservation, paths: string[], bound: Record<string, unknown>, s: AppSession): void {
    const values = paths
      .map((p) => {
        const [head, ...rest] = p.split('.');
        return atPath(decode(bound[head!]), rest.join('.'));
      })
      .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
    if (values.length > 0) this.quietWatches.push({ group, values, launch: s.launchIndex, cleanedAt: s.mainNow });
  }

  /** Wait until every quiet window of the running app has passed, then judge them all. */
  async settleQuietWindows(): Promise<void> {
    const s = this.session;
    const ends = this.quietWatches.filter((w) => s && w.launch === s.launchIndex).map((w) => w.cleanedAt + GRACE_MS + QUIET_MS);
    if (s?.alive && ends.length > 0) {
      const wait = Math.max(...ends) - s.mainNow;
      if (wait > 0) await sleep(wait + 10);
      await this.collect().catch(() => undefined);
    }
    // Aborted streams: each needs main's clock past its own window (later if events kept coming).
    while (s?.alive) {
      const open = this.streamWatches.map((w) => (w.launch === s.launchIndex ? this.judgeStreamQuiet(w, s.mainNow) : 0)).filter((until) => until > 0);
      if (!open.length) break;
      await sleep(Math.max(20, Math.min(...open) - s.mainNow + 10));
      if (!(await this.collect().then(() => true, () => false))) break;
    }
    this.judgeQuietWindows(true);
  }

  /**
   * Decide an aborted stream's end from main's records, as runStream would have by waiting: quiet
   * once QUIET_MS pass without an event of the run (within `limitMs` of the abort, else 'timeout'),
   * and the run's events in the GRACE_MS after that are `afterEnd`. Returns 0 once decided (the
   * watch is dropped and the run's `skipped` mark removed), else the main time to look again.
   */
  private judgeStreamQuiet(w: StreamQuietWatch, seenUntil: number): number {
    const evs = this.main.filter((o) => o.launch === w.launch && o.seq > w.afterSeq && o.kind === 'send' && !!o.channel && w.eventSet.has(o.channel) && w.ofRun(o.channel, (o.args ?? [])[0]));
    const limit = w.abortT + w.limitMs;
    let lastT = w.abortT;
    const during: MainObservation[] = [];
    let end: 'quiet' | 'timeout' | undefined;
    for (const o of evs) {
      if (o.t - lastT >= QUIET_MS) {
        end = lastT + QUIET_MS <= limit ? 'quiet' : 'timeout';
        break;
      }
      if (o.t > limit) {
        end = 'timeout';
        break;
      }
      during.push(o);
      lastT = o.t;
    }
    if (!end && seenUntil - lastT >= QUIET_MS) end = lastT + QUIET_MS <= limit ? 'quiet' : 'timeout';
    if (!end && seenUntil >= limit) end = 'timeout';
    if (!end) return Math.min(lastT + QUIET_MS, limit) + GRACE_MS;
    const quietAt = lastT + QUIET_MS;
    if (end === 'quiet' && seenUntil < quietAt + GRACE_MS) return quietAt + GRACE_MS;
    const run = w.run;
    run.events.push(...during.map((o) => streamEvent(o, w.startT)));
    run.end = end;
    run.afterEnd = end === 'quiet' ? evs.filter((o) => o.t > quietAt && o.t <= quietAt + GRACE_MS).map((o) => streamEvent(o, w.startT)) : [];
    run.durationMs = Math.max(0, lastT - w.startT);
    run.quietJudgedLater = true;
    delete run.skipped;
    this.streamWatches = this.streamWatches.filter((x) => x !== w);
    return 0;
  }

  /** Fill in `lingering` for every watched group from what main recorded in its window. */
  private judgeQuietWindows(current: boolean): void {
    // Aborted streams of launches that are over: decided from what main recorded, else left skipped.
    for (const w of [...this.streamWatches]) {
      if (current && this.session?.launchIndex === w.launch) continue;
      const mine = this.main.filter((o) => o.launch === w.launch);
      if (this.judgeStreamQuiet(w, Math.max(w.abortT, ...mine.map((o) => o.t))) > 0) this.streamWatches = this.streamWatches.filter((x) => x !== w);
    }
    const streamChannels = new Set(this.pack.streams.flatMap((st) => st.events));
    for (const w of this.quietWatches) {
      const from = w.cleanedAt + GRACE_MS;
      const mine = this.main.filter((o) => o.launch === w.launch);
      // How far main's clock is known to have run for that launch.
      const seenUntil = current && this.session?.launchIndex === w.launch ? this.session.mainNow : Math.max(w.cleanedAt, ...mine.map((o) => o.t));
      const windowMs = Math.round(Math.max(0, Math.min(QUIET_MS, seenUntil - from)));
      const events = mine.filter((o) => o.kind === 'send' && o.channel && streamChannels.has(o.channel) && o.t > from && o.t <= from + QUIET_MS).filter((o) => {
        const payload = decode((o.args ?? [])[0]);
        return payload !== null && typeof payload === 'object' && Object.values(payload as object).some((v) => w.values.includes(v as string));
      });
      w.group.lingering = { windowMs, wantedMs: QUIET_MS, fixtureValues: w.values, events: events.map((o) => ({ channel: o.channel!, payload: (o.args ?? [])[0] })) };
    }
    this.quietWatches = [];
  }

  /** Start a stream and follow it from main until it ends (or abort it, in 'abort' mode). */
  async runStream(stream: Stream, mode: StreamRun['mode'], input = 0): Promise<StreamRun> {
    const planned = this.planner.stream(stream, input);
    const startCall = (): CallObservation => ({ channel: stream.start, role: 'stream-start', index: 0, args: [], outcome: 'skipped', durationMs: 0 });
    const base: StreamRun = { stream: stream.name, mode, input, start: startCall(), events: [], end: 'start-failed', durationMs: 0, afterEnd: [], timeoutMs: 0 };
    if (planned.skip) return { ...base, skipped: planned.skip };
    const budget = stream.budget ?? {};
    // Waiting is capped by --stream-timeout: a budget of minutes (a model pull) would stall the run.
    const timeoutMs = Math.min(
      budget.totalMs !== undefined ? Math.round(budget.totalMs * 1.5) : (budget.firstEventMs ?? 0) + 5_000,
      this.opts.streamTimeoutMs,
    );
    base.timeoutMs = timeoutMs;
    const grammar = stream.grammar ? compileGrammar(stream.grammar) : null;
    const hasTerminal = !!grammar && grammar.alphabet.some((e) => grammar.isTerminal(e));
    // A Tauri Channel's messages are recorded under the channel-stream's own name.
    const eventSet = new Set(this.pack.byName.get(stream.start)?.kind === 'channel-stream' ? [...stream.events, stream.start] : stream.events);
    try {
      const s = await this.ensureSession();
      await this.collect();
      await s.harness({ kind: 'reset' }, 5_000);
      const res = await s.harness<{ calls: HarnessCall[] }>({ kind: 'calls', steps: planned.start }, this.batchTimeout(planned.start.slice(0, -1)) + 5_000);
      const started = res.calls[res.calls.length - 1];
      const pre = res.calls.slice(0, -1);
      const failedPre = pre.find((c) => c.outcome !== 'resolved' || c.errorBranch);
      if (failedPre || !started || started.outcome !== 'detached') {
        const why = failedPre
          ? `prerequisite ${failedPre.channel} ${failedPre.errorBranch ? 'answered its error branch' : `did not resolve (${failedPre.outcome}${failedPre.error ? `: ${failedPre.error.message}` : ''})`}`
          : `start call not made (${started?.outcome ?? 'missing'}${started?.note ? `: ${started.note}` : ''})`;
        await this.runSteps(planned.cleanup);
        // A failed prerequisite is its own finding (fixture.prerequisite); the stream's checks are blocked by it.
        return { ...base, skipped: why, ...(failedPre ? { prerequisiteFailed: this.join([failedPre], [])[0] } : {}) };
      }
      // Follow main: the start handler call marks t=0; stream events after it belong to the run.
      const obs: MainObservation[] = [];
      let startObs: MainObservation | undefined;
      let settleObs: MainObservation | undefined;
      const t0 = Date.now();
      const matcher = grammar?.start();
      const events: StreamEvent[] = [];
      // Events drained in the same batch as the end, but after it.
      const lateEvents: StreamEvent[] = [];
      let endSeq: number | undefined;
      let end: StreamRun['end'] = 'timeout';
      let abortInfo: StreamRun['abort'];
      let lastEventWall = Date.now();
      let abortSentWall: number | undefined;
      const absorb = (items: MainObservation[]) => {
        for (const o of items) {
          obs.push(o);
          if (!startObs && (o.kind === 'handler-call' || o.kind === 'listener-call') && o.channel === stream.start) startObs = o;
          else if (startObs && !settleObs && o.kind === 'handler-settle' && o.callId === startObs.callId) settleObs = o;
          else if (startObs && endSeq !== undefined && o.seq > endSeq && o.kind === 'send' && o.channel && eventSet.has(o.channel)) {
            lateEvents.push(streamEvent(o, startObs.t));
          } else if (startObs && endSeq === undefined && o.kind === 'send' && o.channel && eventSet.has(o.channel)) {
            const ev = streamEvent(o, startObs.t);
            events.push(ev);
            lastEventWall = Date.now();
            matcher?.feed(streamSymbol(stream, ev));
            if (stream.end === 'grammar' && matcher?.isFinal && (mode === 'run' || abortSentWall !== undefined)) {
              endSeq = o.seq;
              end = 'terminal';
            }
          }
        }
      };
      const wantAbort = mode === 'abort' && planned.abort;
      const abortAfterMs = Math.min(budget.firstEventMs ?? 1_500, 1_500);
      // Set when the quiet window after the abort is judged later (StreamQuietWatch).
      let quietLater: { ofRun: StreamQuietWatch['ofRun']; abortT: number; afterSeq: number } | null = null;
      for (;;) {
        absorb(await this.collect());
        const elapsed = Date.now() - t0;
        if (!startObs && elapsed > 3_000) break; // the start call never reached main
        if (stream.end === 'call-settles' && settleObs && endSeq === undefined && mode === 'run') {
          endSeq = settleObs.seq;
          end = 'call-settled';
          // Sends drained together with the settle but recorded after it came too late.
          for (let i = events.length - 1; i >= 0 && events[i]!.seq > endSeq; i--) lateEvents.unshift(events.pop()!);
        }
        if (settleObs && settleObs.ok === false && events.length === 0) break;
        if (endSeq !== undefined && mode === 'run') break;
        // Abort mid-stream: at the first event when the grammar can end by itself (it may end
        // soon), else once every event channel has shown up (so each payload gets checked).
        const seenAll = stream.events.every((e) => events.some((x) => x.channel === e));
        const readyToAbort = hasTerminal ? events.length > 0 : seenAll;
        if (wantAbort && abortSentWall === undefined && (readyToAbort || elapsed > abortAfterMs)) {
          if (matcher?.isFinal || (stream.end === 'call-settles' && settleObs)) {
            abortInfo = { call: startCall(), sentAtMs: elapsed, endedBeforeAbort: true };
            break;
          }
          const sentAt = (obs[obs.length - 1]?.t ?? startObs?.t ?? 0) - (startObs?.t ?? 0);
          abortSentWall = Date.now();
          const ar = await s.harness<{ calls: HarnessCall[] }>({ kind: 'calls', steps: [planned.abort!] }, this.batchTimeout([planned.abort!]));
          const after = await this.collect();
          const abortObs = after.find((o) => o.kind === 'handler-call' && o.channel === planned.abort!.channel);
          absorb(after);
          abortInfo = { call: this.join(ar.calls, after)[0]!, sentAtMs: abortObs && startObs ? abortObs.t - startObs.t : sentAt };
          lastEventWall = Date.now();
          const ofRun = hasTerminal ? null : await this.eventsOfRun(stream, planned, events, s);
          if (ofRun) {
            quietLater = { ofRun, abortT: s.mainNow, afterSeq: obs[obs.length - 1]?.seq ?? 0 };
            break;
          }
          continue;
        }
        if (abortSentWall !== undefined) {
          if ((end as StreamRun['end']) === 'terminal') break;
          if (!hasTerminal && Date.now() - lastEventWall >= QUIET_MS) {
            end = 'quiet';
            endSeq = obs[obs.length - 1]?.seq ?? 0;
            break;
          }
          if (Date.now() - abortSentWall > Math.max(3_000, timeoutMs / 2)) break;
        } else if (mode === 'run' && !hasTerminal && stream.end === 'grammar' && elapsed > Math.max(abortAfterMs, 1_000) && Date.now() - lastEventWall >= QUIET_MS) {
          // A grammar with no terminal event and nobody aborting: observe a while, then stop.
          end = 'quiet';
          endSeq = obs[obs.length - 1]?.seq ?? 0;
          break;
        }
        if (elapsed > timeoutMs) break;
        await sleep(20);
      }
      let afterEnd: StreamEvent[] = [];
      if (endSeq !== undefined && startObs) {
        await sleep(GRACE_MS);
        const late = await this.collect();
        afterEnd = lateEvents.concat(late
          .filter((o) => o.kind === 'send' && o.channel && eventSet.has(o.channel))
          .map((o) => streamEvent(o, startObs!.t)));
        obs.push(...late);
      }
      const pending = await s.harness<{ call: HarnessCall | null }>({ kind: 'pending', waitMs: 1_000 }, 5_000);
      const lastT = Math.max(...obs.map((o) => o.t), startObs?.t ?? 0);
      const endT = endSeq !== undefined ? obs.find((o) => o.seq === endSeq)?.t ?? lastT : lastT;
      const startRec = pending.call ? this.join([pending.call], obs)[0]! : { ...startCall(), args: started.args, outcome: 'timeout' as const, durationMs: Date.now() - t0 };
      await this.runSteps(planned.cleanup);
      const waitedMs = Date.now() - t0;
      if (!startObs) return { ...base, start: startRec, end: 'start-failed', waitedMs };
      if (settleObs?.ok === false && events.length === 0) return { ...base, start: startRec, end: 'start-failed', waitedMs };
      const run: StreamRun = { ...base, start: startRec, events, end, afterEnd, durationMs: Math.max(0, endT - startObs.t), abort: abortInfo, waitedMs };
      if (quietLater) {
        // Not verified until judged: a run that ends (or an app that goes away) first leaves it skipped.
        run.skipped = `the ${QUIET_MS} ms quiet window after ${stream.abort!.call} was not observed (the app went away or the run ended first)`;
        this.streamWatches.push({ run, launch: s.launchIndex, startT: startObs.t, eventSet, limitMs: Math.max(3_000, timeoutMs / 2), ...quietLater });
      }
      return run;
    } catch (err) {
      if (!(err instanceof AppGone)) throw err;
      const crash = await this.relaunchAfter(stream.start, err);
      return { ...base, skipped: `the app went away during the stream: ${crash?.reason}` };
    }
  }

  /**
   * Whether the quiet window after this stream's abort can be judged later (StreamQuietWatch): the
   * app's events say which run they belong to (every event channel has a correlation rule, and
   * every event so far carried this run's values), the stream shares no event channel with
   * another stream, and its cleanup only repeats the abort (nothing else that could make events).
   * Returns the test for "an event of this run", else null (the window is waited out here).
   */
  private async eventsOfRun(stream: Stream, planned: ReturnType<Planner['stream']>, events: StreamEvent[], s: AppSession): Promise<StreamQuietWatch['ofRun'] | null> {
    if (this.pack.transport === 'tauri' || events.length === 0) return null;
    if (planned.cleanup.some((st) => st.channel !== stream.abort?.call)) return null;
    if (this.pack.streams.some((o) => o !== stream && o.events.some((e) => stream.events.includes(e)))) return null;
    const rules = stream.correlation;
    if (!stream.events.every((e) => rules.some((r) => r.event === '*' || r.event === e))) return null;
    const pending = await s.harness<{ call: HarnessCall | null }>({ kind: 'pending', waitMs: 0 }, 5_000);
    if (pending.call?.outcome !== 'resolved') return null;
    const start = { args: pending.call.args ?? [], value: pending.call.value } as CallObservation;
    const expected = rules.map((r) => ({ r, exp: correlationExpected(stream, this.pack, { start }, r.equals) }));
    if (expected.some((x) => !x.exp.found)) return null;
    const ofRun = (channel: string, payload: unknown) => expected.every(({ r, exp }) => (r.event !== '*' && r.event !== channel) || sameEncoded(atPath(decode(payload), r.field), exp.value));
    return events.every((e) => ofRun(e.channel, e.payload)) ? ofRun : null;
  }

  /** Cleanup calls, best effort. */
  private async runSteps(steps: Step[]): Promise<void> {
    if (!steps.length || !this.session?.alive) return;
    await this.session.harness({ kind: 'calls', steps }, this.batchTimeout(steps)).catch(() => undefined);
    await this.collect().catch(() => undefined);
  }

  async readWindows(): Promise<void> {
    if (!this.session?.alive) return;
    for (const w of await this.session.windows()) {
      if (!this.windows.some((x) => x.webContentsId === w.webContentsId && sameEncoded(x.effective, w.effective))) this.windows.push(w);
    }
  }
}

/** A stream event from a 'send' observation; a Tauri Channel message keeps its index. */
function streamEvent(o: MainObservation, startT: number): StreamEvent {
  return { channel: o.channel!, payload: (o.args ?? [])[0], seq: o.seq, atMs: o.t - startT, ...(typeof o.index === 'number' ? { index: o.index } : {}) };
}

function toTimeline(run: StreamRun, stream: Stream): StreamTimeline {
  return {
    stream: run.stream,
    mode: run.mode,
    input: run.input,
    start: stream.start,
    events: [...run.events.map((e) => ({ channel: e.channel, atMs: e.atMs })), ...run.afterEnd.map((e) => ({ channel: e.channel, atMs: e.atMs, afterEnd: true }))],
    end: run.skipped ? 'skipped' : run.end,
    durationMs: run.durationMs,
    abortAtMs: run.abort && !run.abort.endedBeforeAbort ? run.abort.sentAtMs : undefined,
  };
}

/**
 * Secrets never reach a report: each shown value is redacted with its own schema (`x-secret`)
 * and by credential-like names, then every string is scrubbed of all secret values the run saw.
 */
export function redactCheck(pack: Pack, c: CheckResult, secrets: SecretSet = new SecretSet()): ReportCheck {
  const bySchema = (v: unknown, node: SchemaNode | undefined) => redactByNode(v, node, pack.schemas, { collect: secrets });
  const safe = (v: unknown, shape: ValueShape | undefined): unknown => {
    if (v === undefined) return undefined;
    if (!shape) return bySchema(v, undefined);
    if ('schema' in shape) return redactSecrets(v, undefined, { keepStrings: true });
    if ('node' in shape) return bySchema(v, shape.node);
    if ('events' in shape && Array.isArray(v)) {
      return v.map((e) => (e && typeof e === 'object' && 'payload' in e ? { ...e, payload: bySchema(e.payload, pack.byName.get(String(e.channel))?.payload) } : bySchema(e, undefined)));
    }
    if ('outcome' in shape && v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k,
        k === 'args' ? bySchema(x, shape.outcome.args) : k === 'resolved' ? bySchema(x, shape.outcome.returns) : bySchema(x, undefined)]));
    }
    return bySchema(v, undefined);
  };
  const { shapes, ...rest } = c;
  const expected = safe(c.expected, shapes?.expected);
  const actual = safe(c.actual, shapes?.actual);
  // The failing call's args (issue 15's failure detail): by the channel's params schema.
  const ch = c.channel ? pack.byName.get(c.channel) : undefined;
  const input = c.input === undefined ? {} : { input: bySchema(c.input, ch?.args) };
  // scrubDeep also redacts free-text forms (Bearer, key=value, URL credentials) in the message,
  // the validation issues and everything else the result carries.
  return secrets.scrubDeep({ ...rest, message: c.message, expected, actual, ...input });
}

/**
 * Every secret value the run saw in what crossed the bridge: args by the args schema, results by
 * the return schema, event payloads by their payload schema, all by credential-like names.
 */
export function collectRunSecrets(pack: Pack, obs: RunObservations): SecretSet {
  const secrets = new SecretSet();
  const see = (v: unknown, node: SchemaNode | undefined) => void redactByNode(v, node, pack.schemas, { collect: secrets });
  const seeCall = (c: CallObservation) => {
    const ch = pack.byName.get(c.channel);
    see(c.args, ch?.args);
    see(c.value, ch?.returns);
    if (c.handler) { see(c.handler.args, ch?.args); see(c.handler.value, ch?.returns); }
  };
  for (const g of obs.groups) {
    g.calls.forEach(seeCall);
    for (const e of g.lingering?.events ?? []) see(e.payload, pack.byName.get(e.channel)?.payload);
  }
  for (const r of obs.streams) {
    seeCall(r.start);
    if (r.abort) seeCall(r.abort.call);
    for (const e of [...r.events, ...r.afterEnd]) see(e.payload, pack.byName.get(e.channel)?.payload);
  }
  for (const m of obs.main) {
    const ch = m.channel ? pack.byName.get(m.channel) : undefined;
    if (m.kind === 'handler-call' || m.kind === 'listener-call') see(m.args, ch?.args);
    else if (m.kind === 'handler-settle') see(m.value, ch?.returns);
    else if (m.kind === 'send' && Array.isArray(m.args)) { see(m.args[0], ch?.payload); see(m.args.slice(1), undefined); }
  }
  return secrets;
}

export async function runConformance(options: RunOptions): Promise<RunOutcome> {
  const startedAt = Date.now();
  const pack = await loadPack(options.pack);
  const opts = { seed: 1, callTimeoutMs: 3_000, streamTimeoutMs: 15_000, ...options };
  if (!Number.isInteger(opts.seed) || opts.seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${opts.seed}`);
  const grepMatch = channelMatcher(opts.grep);
  const only = opts.only ? new Set(opts.only) : null;
  const filtered = (n: string) => grepMatch(n) && (!only || only.has(n));
  if (!pack.channels.some((c) => filtered(c.name))) throw new UsageError(`${opts.grep ? `--grep ${opts.grep}` : 'the channel selection'} matches no channel of pack ${pack.name}`);
  const inShard = opts.shard ? new Set(shardChannels(pack, opts.shard, pack.channels.filter((c) => filtered(c.name)))) : null;
  const match = (n: string) => filtered(n) && (!inShard || inShard.has(n));
  let selected = pack.channels.filter((c) => match(c.name));
  // Chosen before the host is snapshot: a Node downloaded into the cache is not the app's doing.
  if (pack.transport !== 'tauri' && opts.onRuntime) {
    opts.onRuntime(resolveRuntime({ electron: opts.electron, appDir: dirname(resolve(opts.app)), app: opts.app, node: opts.node ?? opts.env?.CONFORM_NODE }));
  }
  // Everything the app may write goes in the run's own folder; the host is compared after the run.
  const hostBefore = snapshotHost();
  const runDir = createRunFolder(opts.seed);
  const runner = new Runner(pack, { ...opts, runDir }, {
    seed: opts.seed,
    callTimeoutMs: opts.callTimeoutMs,
    validCount: opts.validCount ?? 3,
    invalidMax: opts.invalidMax ?? 12,
    pathRoot: join(runDir, 'paths'),
  });
  const onAbort = () => void runner.close();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const obs: RunObservations = { bridges: {}, groups: [], streams: [], main: runner.main, windows: runner.windows, notRun: [] };
  let runtime: RunReport['runtime'] = pack.transport === 'tauri' ? 'tauri-webdriver' : 'standin';
  const timing: RunOutcome['timing'] = { launchMs: 0, groups: {}, streams: {}, judgeMs: 0, closeMs: 0, groupBatches: 0 };
  let lap = Date.now();
  const took = () => {
    const now = Date.now();
    const ms = now - lap;
    lap = now;
    return ms;
  };
  // When the app cannot be (re)launched, the rest is reported as not run (with why) instead of lost.
  let dead: string | undefined;
  const survive = async <T>(label: string, fn: () => Promise<T>): Promise<T | undefined> => {
    if (dead) return undefined;
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof AppUnusable)) throw err;
      dead = err.message;
      runner.incidents.push({ channel: label, reason: err.message, stderrTail: err.stderrTail });
      return undefined;
    }
  };
  let interrupted = false;
  try {
    await survive('(launch)', () => runner.ensureSession());
    timing.launchMs = took();
    runtime = runner.runtime ?? runtime;
    await survive('reading window settings', () => runner.twice('reading window settings', () => runner.readWindows()));
    // The app's source (preload, main) names channels that may never fire during the run, and the
    // bridge methods of channels whose pack gives no path (the document names none).
    // (A Tauri app is a built binary: it has no preload or main source to read.)
    obs.source = pack.transport === 'tauri' ? undefined : readSourceChannels(opts.app, runner.windows.map((w) => w.declared.preload).filter((p): p is string => typeof p === 'string'));
    obs.foundBridges = pack.transport === 'tauri' ? {} : bridgesFromSource(pack, obs.source);
    if (Object.keys(obs.foundBridges).length) {
      runner.usePack(withBridges(pack, obs.foundBridges));
      selected = selected.map((c) => runner.pack.byName.get(c.name)!);
    }
    const paths = selected.map((c) => c.bridge).filter((b): b is string => !!b);
    obs.bridges = (await survive('probing the bridge', () => runner.twice('probing the bridge', () => runner.probeBridges([...new Set(paths)])))) ?? {};
    // Streams first, while the app's state is as launched: generated inputs of later groups
    // (settings, imports) may change what a stream does.
    for (const stream of pack.streams.filter((s) => selected.some((c) => c.name === s.start))) {
      runner.checkInterrupted();
      if (dead) {
        obs.streams.push({ stream: stream.name, mode: 'run', start: { channel: stream.start, role: 'stream-start', index: 0, args: [], outcome: 'skipped', durationMs: 0 },
          events: [], end: 'start-failed', durationMs: 0, afterEnd: [], timeoutMs: 0, skipped: `not run: ${dead}` });
        continue;
      }
      opts.progress?.channelStarted?.(`${stream.start} (stream ${stream.name})`);
      const grammar = stream.grammar ? compileGrammar(stream.grammar) : null;
      const endless = stream.end === 'grammar' && !!grammar && !grammar.alphabet.some((e) => grammar.isTerminal(e));
      // A stream that never ends by itself is only observed through its abort run.
      took();
      const push = (r: StreamRun | undefined) => r && obs.streams.push(r);
      if (!(endless && stream.abort)) {
        push(await survive(stream.start, () => runner.runStream(stream, 'run')));
        // A generated input too: it often takes the stream's failure path (unknown model -> error event).
        if (runner.streamInputs(stream) > 1) push(await survive(stream.start, () => runner.runStream(stream, 'run', 1)));
      }
      if (stream.abort) push(await survive(stream.start, () => runner.runStream(stream, 'abort')));
      timing.streams[stream.name] = took();
    }
    // Neighbouring groups that need no quiet window share one renderer batch (runGroups).
    const runCalled = async (called: Channel[]) => {
      for (let i = 0; i < called.length;) {
        runner.checkInterrupted();
        const batch = [called[i]!];
        while (opts.batchGroups !== false && pack.transport !== 'tauri' && runner.batchable(batch[0]!) && i + batch.length < called.length && batch.length < MAX_BATCH_GROUPS && runner.batchable(called[i + batch.length]!)) batch.push(called[i + batch.length]!);
        i += batch.length;
        for (const ch of batch) opts.progress?.channelStarted?.(ch.name);
        took();
        const done = await survive(batch[0]!.name, () => runner.runGroups(batch));
        batch.forEach((ch, k) => obs.groups.push(done?.[k] ?? { channel: ch.name, calls: [], mainAlive: false, rendererAlive: false, mainErrors: [], skipped: `not run: ${dead}` }));
        const ms = took();
        for (const ch of batch) timing.groups[ch.name] = ms / batch.length;
      }
    };
    // Event channels are listened to, not called; Tauri commands and channel-streams are called like invokes.
    const called = selected.filter((ch) => ch.kind !== 'event');
    // Groups with a quiet window to watch after their cleanup go first: the window passes while the
    // security probes and the other groups run, instead of idling at the end of the run.
    const watched = called.filter((ch) => runner.watchesQuiet(ch));
    await runCalled(watched);
    // Security probes (runner/security/driver.ts): one batch per guarded channel, then bridge, CSP,
    // window.open and navigation. Before the other channel groups: the app is still up (a group may
    // quit it); an app whose page was navigated away is closed (once the watched groups' quiet
    // windows have passed) and relaunched for the groups.
    // The probes need main-process hooks (runner/security/driver.ts): not run for Tauri (the catalog says so).
    if (opts.security !== false && !dead && pack.transport !== 'tauri') {
      runner.checkInterrupted();
      opts.progress?.channelStarted?.('(security probes)');
      took();
      try {
        obs.security = await survive('security probes', () => runSecurityProbes(
          { session: () => runner.ensureSession(), collect: () => runner.collect(), main: runner.main, discard: () => runner.retire() },
          pack, selected, { seed: opts.seed, callTimeoutMs: opts.callTimeoutMs, batch: opts.batchGroups !== false }));
      } catch (err) {
        // A probe that breaks (e.g. the app quit under it) must not lose the rest of the run:
        // it is reported as an incident and the channel groups still run on a fresh launch.
        if (err instanceof RunInterrupted || err instanceof UsageError) throw err;
        const message = `security probes failed: ${(err as Error).message.split('\n')[0]}`;
        runner.incidents.push({ channel: '(security probes)', reason: message, stderrTail: [] });
        opts.progress?.note?.(message);
        await runner.retire();
      }
      timing.groups['(security probes)'] = took();
    }
    await runCalled(called.filter((ch) => !watched.includes(ch)));
    if (!dead) {
      await runner.settleQuietWindows();
      timing.groups['(quiet after cleanup)'] = took();
      await runner.readWindows().catch(() => undefined);
      await runner.collect().catch(() => undefined);
    }
  } catch (err) {
    // SIGINT/SIGTERM: what ran is reported, the rest marked not run (the CLI writes the reports).
    if (!(err instanceof RunInterrupted) && !opts.signal?.aborted) throw err;
    interrupted = true;
    dead = 'the run was interrupted (SIGINT/SIGTERM)';
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    took();
    await runner.close();
    removeRunFolder(runDir);
    timing.closeMs = took();
    timing.groupBatches = runner.groupBatches;
  }
  obs.host = { dirs: hostBefore.roots.map((r) => r.dir), changes: diffHost(hostBefore, snapshotHost(), [pack.app, appPackageName(opts.app)], JSON.stringify(runner.main)) };
  if (opts.signal?.aborted) interrupted = true;
  if (dead) markNotRun(obs, selected, pack, `not run: ${dead}`);
  obs.launch = { launches: runner.launches, failures: runner.ledger.failures, gaveUp: runner.ledger.gaveUp, interrupted: interrupted ? 'SIGINT/SIGTERM' : undefined };
  obs.notRun = pack.channels.filter((c) => !match(c.name)).map((c) => c.name);
  const selectedNames = new Set(selected.map((c) => c.name));
  const judged = runner.pack;
  const results = orderResults(judged, runChecks({ pack: judged, obs })).filter((r) => r.channel === null || selectedNames.has(r.channel) || !judged.byName.has(r.channel));
  const repro = { pack: opts.pack, app: opts.app, seed: opts.seed };
  const secrets = collectRunSecrets(judged, obs);
  const checks = results.map((r) => withDetail(judged, redactCheck(judged, r, secrets), repro));
  timing.judgeMs = took();
  const report: RunReport = {
    tool: 'conform',
    version: pkg.version,
    pack: pack.name,
    app: opts.app,
    runtime,
    seed: opts.seed,
    durationMs: Date.now() - startedAt,
    summary: summarize(checks),
    checks,
    channels: pack.channels.map((c) => c.name),
    selected: selected.map((c) => c.name),
    ...(opts.shard ? { shard: opts.shard } : {}),
    timelines: obs.streams.filter((r) => !r.skipped).map((r) => toTimeline(r, pack.streams.find((s) => s.name === r.stream)!)),
    incidents: runner.incidents,
    coverage: schemaCoverage(pack, checks),
  };
  // Secrets the security probes sent never reach a report, wherever the app echoed them.
  return { report: secrets.scrubDeep(scrubCanaries(report, obs.security)), observations: obs, results, pack, timing, interrupted };
}

/** The `name` of the app's package.json (its folder's, or the main script's nearest), for host.untouched. */
function appPackageName(app: string): string {
  for (let d = app; ; d = dirname(d)) {
    try {
      return String((JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as { name?: unknown }).name ?? '');
    } catch {
      if (dirname(d) === d) return '';
    }
  }
}

/** Channel groups and streams the run never reached get a skipped entry saying why. */
function markNotRun(obs: RunObservations, selected: Channel[], pack: Pack, why: string): void {
  const grouped = new Set(obs.groups.map((g) => g.channel));
  for (const ch of selected) {
    if ((ch.kind === 'invoke' || ch.kind === 'send') && !grouped.has(ch.name)) {
      obs.groups.push({ channel: ch.name, calls: [], mainAlive: false, rendererAlive: false, mainErrors: [], skipped: why });
    }
  }
  const streamed = new Set(obs.streams.map((r) => r.stream));
  for (const stream of pack.streams.filter((st) => !streamed.has(st.name) && selected.some((c) => c.name === st.start))) {
    obs.streams.push({ stream: stream.name, mode: 'run', start: { channel: stream.start, role: 'stream-start', index: 0, args: [], outcome: 'skipped', durationMs: 0 },
      events: [], end: 'start-failed', durationMs: 0, afterEnd: [], timeoutMs: 0, skipped: why });
  }
}
