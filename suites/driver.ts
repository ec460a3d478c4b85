// The contract-checked driver behind the test-runner fixtures (conform/vitest, conform/playwright):
// a launched app (instrumented, real Electron or the stand-in) and helpers whose every call and
// event is judged by the same check catalog as `conform run`. A step that breaks the contract
// throws ContractViolation naming the channel and the check id, so the test fails with them.
import { loadConfig } from '../config/index.ts';
import { loadPack } from '../specs/loader.ts';
import type { Pack } from '../specs/model.ts';
import { runChecks } from '../runner/checks/catalog.ts';
import type { CallObservation, MainObservation, RunObservations } from '../runner/checks/observations.ts';
import type { CheckResult } from '../runner/checks/types.ts';
import { decode, sameEncoded, trimArgs } from '../runner/checks/values.ts';
import { AppSession } from '../runner/run/session.ts';
import { startServers } from '../runner/servers.ts';
import { UsageError } from '../cli/errors.ts';

/**
 * A finding that fails a step: a failed check that is a contract violation. Findings the catalog
 * marks as warnings or plain observations (severity warning/info, where the contract is silent)
 * are not violations.
 */
function isViolation(r: CheckResult): boolean {
  const severity = (r as { severity?: string }).severity;
  return r.status === 'failed' && (severity === undefined || severity === 'error');
}

export class ContractViolation extends Error {
  constructor(readonly failures: CheckResult[]) {
    super(failures.map((f) => `${f.channel ?? '(run)'} ${f.id}: ${f.message}`).join('\n'));
    this.name = 'ContractViolation';
  }
}

/** Checks that judge a single call (others need a whole run). */
const CALL_CHECKS = new Set(['bridge.exists', 'params.reach-handler', 'returns.schema', 'returns.union-branch', 'errors.documented-shape', 'call.settles', 'latency.budget']);

export interface ConformApp {
  pack: Pack;
  session: AppSession;
  /** Call a channel through its bridge; resolves with its value after the call checks passed. */
  call(channel: string, ...args: unknown[]): Promise<unknown>;
  /** Call a channel that must fail; resolves with the rejection message after the error-shape checks passed. */
  callRejecting(channel: string, ...args: unknown[]): Promise<string>;
  /** Wait for an event whose payload satisfies `match`; its payload (and every payload seen on the way) is schema-checked. */
  waitForEvent(channel: string, match: (payload: any) => boolean, timeoutMs?: number): Promise<any>;
  /** Payloads of every event seen so far on `channel`. */
  events(channel: string): unknown[];
  /**
   * After `after` (a call that must end a stream: stop, kill), wait `settleMs`, then watch
   * `windowMs` (both on main's clock): an event on `channels` matching `match` that main sent in that
   * window fails the step as `stream.quiet-after-cleanup`.
   */
  expectQuiet(after: string, channels: string[], match: (payload: any) => boolean, opts?: { settleMs?: number; windowMs?: number }): Promise<void>;
}

class Driver implements ConformApp {
  private main: MainObservation[] = [];
  private nextId = 1;
  constructor(readonly pack: Pack, readonly session: AppSession) {}

  private async collect(): Promise<MainObservation[]> {
    const items = await this.session.drain();
    this.main.push(...items);
    for (const o of items) if (o.kind === 'send' && o.channel) this.judgeEvent(o);
    return items;
  }

  private judgeEvent(o: MainObservation): void {
    const ch = this.pack.byName.get(o.channel!);
    if (!ch?.payload) return;
    const failures = runChecks({ pack: this.pack, obs: this.obs([], [o]) }, (id) => id === 'event.payload-schema').filter(isViolation);
    if (failures.length) throw new ContractViolation(failures);
  }

  private obs(calls: CallObservation[], main: MainObservation[]): RunObservations {
    const bridges: Record<string, string> = {};
    for (const c of calls) {
      const ch = this.pack.byName.get(c.channel);
      if (ch?.bridge) bridges[ch.bridge] = c.outcome === 'no-bridge' ? 'undefined' : 'function';
    }
    return { bridges, groups: calls.length ? [{ channel: calls[0]!.channel, calls, mainAlive: true, rendererAlive: true, mainErrors: [] }] : [], streams: [], main, windows: [] };
  }

  private async invoke(channel: string, args: unknown[], role: 'valid' | 'invalid'): Promise<CallObservation> {
    const ch = this.pack.byName.get(channel);
    if (!ch || !ch.bridge) throw new Error(`${channel} is not a callable channel with a bridge method in pack ${this.pack.name}`);
    await this.collect();
    const step = { id: this.nextId++, role, channel, bridge: ch.bridge, args, timeoutMs: Math.max(5_000, (ch.budgetMs ?? 0) + 1_000), index: 0 };
    const res = await this.session.harness<{ calls: (CallObservation & { id: number })[] }>({ kind: 'calls', steps: [step] }, step.timeoutMs + 5_000);
    const c = res.calls[0]!;
    const after = await this.collect();
    const h = after.find((o) => (o.kind === 'handler-call' || o.kind === 'listener-call') && o.channel === channel && sameEncoded(trimArgs(o.args ?? []), trimArgs(c.args)))
      ?? after.find((o) => (o.kind === 'handler-call' || o.kind === 'listener-call') && o.channel === channel);
    const settle = h?.callId !== undefined ? after.find((o) => o.kind === 'handler-settle' && o.callId === h.callId) : undefined;
    const call: CallObservation = {
      ...c, role, handler: h ? { args: h.args ?? [], settled: !!settle, ok: settle?.ok, value: settle?.value, error: settle?.error } : null,
    };
    const failures = runChecks({ pack: this.pack, obs: this.obs([call], after) }, (id) => CALL_CHECKS.has(id))
      .filter((r) => isViolation(r) && r.channel === channel);
    if (failures.length) throw new ContractViolation(failures);
    return call;
  }

  async call(channel: string, ...args: unknown[]): Promise<unknown> {
    const c = await this.invoke(channel, args, 'valid');
    if (c.outcome !== 'resolved') {
      throw new ContractViolation([{ id: 'call.valid-resolves', channel, status: 'failed', message: `${c.outcome}${c.error ? `: ${c.error.message}` : ''}` }]);
    }
    return decode(c.value);
  }

  async callRejecting(channel: string, ...args: unknown[]): Promise<string> {
    const c = await this.invoke(channel, args, 'invalid');
    const failures = runChecks({ pack: this.pack, obs: this.obs([c], []) }, (id) => id === 'errors.invalid-params-shape').filter(isViolation);
    if (failures.length) throw new ContractViolation(failures);
    return c.error?.message ?? JSON.stringify(decode(c.value));
  }

  events(channel: string): unknown[] {
    return this.main.filter((o) => o.kind === 'send' && o.channel === channel).map((o) => decode((o.args ?? [])[0]));
  }

  async expectQuiet(after: string, channels: string[], match: (payload: any) => boolean, opts: { settleMs?: number; windowMs?: number } = {}): Promise<void> {
    const windowMs = opts.windowMs ?? 600;
    // A quiet window is a time window by definition (as `conform run` judges
    // stream.quiet-after-cleanup). It is measured on main's clock, the clock of every observation's
    // `t`: a test process or an IPC round trip stalled by a loaded machine neither shortens nor
    // shifts it, and only events main sent inside it count.
    await this.collect();
    const from = this.session.mainNow + (opts.settleMs ?? 300);
    const to = from + windowMs;
    while (this.session.mainNow < to) {
      await new Promise((r) => setTimeout(r, Math.max(10, to - this.session.mainNow)));
      await this.collect();
    }
    const late = this.main.filter((o) => o.t > from && o.t <= to && o.kind === 'send' && o.channel && channels.includes(o.channel) && match(decode((o.args ?? [])[0])));
    if (late.length) {
      throw new ContractViolation([{
        id: 'stream.quiet-after-cleanup', channel: after, status: 'failed',
        message: `${late.length} ${late[0]!.channel} event(s) in the ${windowMs} ms after ${after}: something it should have ended is still running`,
        actual: late.slice(0, 3).map((o) => decode((o.args ?? [])[0])),
      }]);
    }
  }

  async waitForEvent(channel: string, match: (payload: any) => boolean, timeoutMs = 5_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; ; ) {
      for (; i < this.main.length; i++) {
        const o = this.main[i]!;
        if (o.kind !== 'send' || o.channel !== channel) continue;
        const payload = decode((o.args ?? [])[0]);
        if (match(payload)) return payload;
      }
      if (Date.now() > deadline) throw new Error(`no ${channel} event matching the scenario's condition within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
      await this.collect();
    }
  }
}

/** What to launch and check; each key overrides the same key of conform.config.*. */
export interface ConformOptions {
  /** Config file, or false for none; default: conform.config.* in `cwd`. */
  config?: string | false;
  /** Where to look for the config (default: process.cwd()). */
  cwd?: string;
  /** The app's main script or folder. */
  app?: string;
  /** Pack folder (or the name of a pack shipped with Conform). */
  pack?: string;
  /** Extra environment for the app (merged over the config's launch.env). */
  env?: Record<string, string>;
  /** Extra arguments for the app (replace the config's launch.args). */
  args?: string[];
  electron?: string;
  /** Node for main on the stand-in, a binary or a version (over the config's `node`). */
  node?: string;
  /** Launch timeout (first window), ms. */
  launchTimeout?: number;
}

export interface LaunchedConform {
  conform: ConformApp;
  /** Stops the app and the config's servers; call it also when the test failed. */
  close(): Promise<void>;
}

/** Load the config and the pack, start the config's servers, launch the app. */
export async function launchConform(opts: ConformOptions = {}): Promise<LaunchedConform> {
  const loaded = opts.config === false ? undefined : await loadConfig({ file: opts.config, cwd: opts.cwd });
  const c = loaded?.config ?? {};
  const app = opts.app ?? c.app;
  const packRef = opts.pack ?? c.pack;
  const where = loaded ? `in ${loaded.file}` : 'in the fixture options (no conform.config.* found)';
  if (!app) throw new UsageError(`no app to launch: set "app" ${where}`);
  if (!packRef) throw new UsageError(`no pack to check against: set "pack" ${where}`);
  const pack = await loadPack(packRef);
  const env = { ...c.launch?.env, ...opts.env };
  const servers = await startServers(c.launch?.servers, env);
  try {
    const session = await AppSession.start({
      main: app, roots: pack.roots, env, args: opts.args ?? c.launch?.args, electron: opts.electron ?? c.electron, node: opts.node ?? c.node,
      cwd: c.launch?.cwd, launchTimeoutMs: opts.launchTimeout ?? c.launch?.timeout,
    }, 1);
    return {
      conform: new Driver(pack, session),
      close: async () => {
        await session.close();
        await servers.stop();
      },
    };
  } catch (err) {
    await servers.stop();
    throw err;
  }
}
