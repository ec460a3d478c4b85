// One launched Tauri app under test, driven through WebKitWebDriver: the same surface the run
// uses of an Electron AppSession (harness batches, drains of observations, liveness, close), so
// the run's plan and check catalog work unchanged. Drivers only observe: nothing here judges.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pack } from '../../specs/model.ts';
import { codec } from '../checks/values.ts';
import { UsageError } from '../../cli/errors.ts';
import { tauriRuntimeMissing } from './prerequisites.ts';
import type { MainObservation, WindowObservation } from '../checks/observations.ts';
import { AppGone, guardCall, type AppSession } from '../run/session.ts';
import {
  childPids, findWebKitDriver, freePort, GroupProcess, needsXvfb, pidAlive, startXvfb, WebDriverClient, WebDriverError,
} from './webdriver.ts';

const HARNESS_SOURCE = readFileSync(new URL('../run/harness.js', import.meta.url), 'utf8');
const SHIM_SOURCE = readFileSync(new URL('./shim.js', import.meta.url), 'utf8');
const ENCODER_SOURCE = codec.encodeValue.toString();

export interface TauriSessionOptions {
  /** The built app binary. */
  binary: string;
  args?: string[];
  /** Extra environment for the app (reaches it through the driver, which it inherits). */
  env?: Record<string, string>;
  /** Longest wait for the driver to open a session on the app (POST /session can hang forever). */
  launchTimeoutMs?: number;
  /** Aborting (Ctrl-C) ends a launch in progress at once: everything started so far is stopped. */
  signal?: AbortSignal;
}

/** The app could not be started or reached: the message says why, `output` has the app's own lines. */
export class TauriLaunchError extends Error {
  constructor(message: string, readonly output: string[]) {
    super(message);
    this.name = 'TauriLaunchError';
  }
}

/** What the shim needs from the pack: the events to listen to and each channel-stream's Channel param. */
export function shimConfig(pack: Pack): { events: string[]; channelParams: Record<string, string> } {
  return {
    events: pack.channels.filter((c) => c.kind === 'event').map((c) => c.name),
    channelParams: Object.fromEntries(pack.channels.filter((c) => c.channelParam).map((c) => [c.name, c.channelParam!])),
  };
}

export class TauriSession {
  private cursor = 0;
  private generation: string | null = null;
  mainNow = 0;
  private appPid: number | null = null;
  private watcher: NodeJS.Timeout | null = null;
  private appExited!: Promise<void>;
  private gotExit = false;
  private closed = false;

  private constructor(
    readonly launchIndex: number,
    private readonly client: WebDriverClient,
    private readonly driver: GroupProcess,
    private readonly xvfb: GroupProcess | null,
    private readonly home: string,
    private readonly config: ReturnType<typeof shimConfig>,
  ) {}

  get runtime(): 'tauri-webdriver' {
    return 'tauri-webdriver';
  }
  get exitCode(): number | null {
    return null; // the app is the driver's child, not ours: its exit code is not observable
  }
  get alive(): boolean {
    return !this.gotExit && !this.closed;
  }

  static async start(pack: Pack, opts: TauriSessionOptions, launchIndex: number): Promise<TauriSession> {
    const found = findWebKitDriver();
    // A machine without the tools is a set-up problem (exit 2), not a finding about the app.
    if ('missing' in found) throw new UsageError(`cannot drive a Tauri app: ${found.missing}`);
    const noXvfb = tauriRuntimeMissing({ ...process.env, ...opts.env });
    if (noXvfb) throw new UsageError(`cannot drive a Tauri app: ${noXvfb}`);
    // WebKitGTK writes caches and data under XDG folders: a run keeps them in its own folder.
    const home = mkdtempSync(join(tmpdir(), 'conform-tauri-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...opts.env,
      // What tauri-driver sets: Tauri's wry runtime allows automation only with it.
      TAURI_WEBVIEW_AUTOMATION: 'true',
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      WEBKIT_DISABLE_COMPOSITING_MODE: '1',
    };
    let xvfb: GroupProcess | null = null;
    let driver: GroupProcess | null = null;
    const cleanup = async () => {
      await driver?.stop();
      await xvfb?.stop();
      rmSync(home, { recursive: true, force: true });
    };
    try {
      if (needsXvfb(env)) {
        const x = await startXvfb(env);
        xvfb = x.proc;
        env.DISPLAY = x.display;
      }
      const port = await freePort();
      driver = GroupProcess.start('WebKitWebDriver', found.path, [`--port=${port}`], env);
      const client = new WebDriverClient(`http://127.0.0.1:${port}`);
      await waitReady(client, driver, 10_000);
      const launchTimeout = opts.launchTimeoutMs ?? 30_000;
      const driverGone = driver.exited.then(() => {
        throw new WebDriverError('WebKitWebDriver exited', 'exited');
      });
      // POST /session never answers when the app exits before it allows automation: watch for that.
      const early = watchEarlyExit(driver);
      let stop = () => {};
      const interrupted = new Promise<never>((_, reject) => {
        stop = () => reject(new WebDriverError('the launch was interrupted', 'interrupted'));
        if (opts.signal?.aborted) stop();
        opts.signal?.addEventListener('abort', stop, { once: true });
      });
      interrupted.catch(() => undefined);
      try {
        await Promise.race([client.newSession(opts.binary, opts.args ?? [], launchTimeout), driverGone, early.exited, interrupted]);
      } catch (err) {
        const why: Record<string, string> = {
          timeout: `the app did not accept a WebDriver session within ${launchTimeout} ms: it does not allow automation (a Tauri app allows it when started with TAURI_WEBVIEW_AUTOMATION=true, which Conform sets) or hangs at start-up`,
          'app-exited': 'the app exited before it accepted a WebDriver session',
          interrupted: 'the launch was interrupted',
        };
        const reason = why[(err as WebDriverError).code] ?? `WebKitWebDriver could not start the app: ${(err as Error).message}`;
        throw new TauriLaunchError(`${opts.binary}: ${reason}`, driver.output());
      } finally {
        early.stop();
        // One signal serves many launches (relaunches, npm run faults): drop this launch's listener.
        opts.signal?.removeEventListener('abort', stop);
      }
      const session = new TauriSession(launchIndex, client, driver, xvfb, home, shimConfig(pack));
      session.watchApp();
      await client.setScriptTimeout(24 * 3600 * 1000); // our own timeouts apply (guard)
      await session.install(10_000).catch(async (err: Error) => {
        await session.close();
        throw new TauriLaunchError(`${opts.binary}: ${err.message}`, err instanceof TauriLaunchError ? err.output : session.stderrTail());
      });
      return session;
    } catch (err) {
      await cleanup();
      if (err instanceof TauriLaunchError) throw err;
      throw new TauriLaunchError((err as Error).message, driver?.output() ?? []);
    }
  }

  /** The app is the driver's child: poll /proc for its exit (a dead app answers nothing). */
  private watchApp(): void {
    let resolveExit!: () => void;
    this.appExited = new Promise((r) => (resolveExit = r));
    const tick = () => {
      const pid = this.driver.proc.pid;
      if (this.appPid === null && pid !== undefined) this.appPid = childPids(pid)[0] ?? null;
      if ((this.appPid !== null && !pidAlive(this.appPid)) || !this.driver.alive) {
        this.gotExit = true;
        if (this.watcher) clearInterval(this.watcher);
        resolveExit();
      }
    };
    this.watcher = setInterval(tick, 200);
    this.watcher.unref();
    tick();
  }

  stderrTail(): string[] {
    return this.driver.output();
  }

  async waitExit(ms: number): Promise<boolean> {
    await Promise.race([this.appExited, new Promise((r) => setTimeout(r, ms))]);
    return !this.alive;
  }

  gone(reason: string): AppGone {
    return new AppGone(reason, null, null, this.stderrTail(), false);
  }

  /** Race a WebDriver command against the app's exit and our own timeout. */
  private guard<T>(what: string, p: Promise<T>, timeoutMs: number): Promise<T> {
    return guardCall(this, this.appExited, () => 'the app exited', what, p, timeoutMs, () => 300);
  }

  private installExpr(): string {
    return `(${SHIM_SOURCE})(${JSON.stringify(this.config)}, ${ENCODER_SOURCE})`;
  }

  /** Install the shim (listens to the pack's events) unless the page already has it. */
  private async install(timeoutMs: number): Promise<void> {
    const script = `const done = arguments[arguments.length - 1];
      ${this.installExpr()}.then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ error: String(e && e.message || e) })));`;
    const text = await this.guard('the page', this.client.executeAsync<string>(script, [], timeoutMs), timeoutMs);
    const r = JSON.parse(text) as { error?: string; generation?: string; listenFailed?: string[] };
    if (r.error) throw new TauriLaunchError(r.error, this.stderrTail());
    if (r.listenFailed?.length) throw new TauriLaunchError(`listening to the pack's events failed: ${r.listenFailed.join('; ')}`, this.stderrTail());
    this.generation = r.generation ?? null;
  }

  /** Run a harness plan inside the page (one execute/async); the shim is (re)installed first. */
  async harness<T>(plan: unknown, timeoutMs: number): Promise<T> {
    const script = `const done = arguments[arguments.length - 1];
      ${this.installExpr()}
        .then(() => (${HARNESS_SOURCE})(${JSON.stringify(plan)}, ${ENCODER_SOURCE}))
        .then((r) => done(JSON.stringify(r)), (e) => done(JSON.stringify({ $conformError: String(e && e.stack || e) })));`;
    const text = await this.guard('the page', this.client.executeAsync<string>(script, [], timeoutMs + 2_000), timeoutMs);
    const r = JSON.parse(text) as T & { $conformError?: string };
    if (r.$conformError) throw this.gone(`the harness failed in the page: ${r.$conformError.split('\n')[0]}`);
    return r;
  }

  /** Page-side observations since the last drain (see shim.js for what they stand for). */
  async drain(timeoutMs = 5_000): Promise<MainObservation[]> {
    const script = 'const c = window.__conformTauri; return c ? JSON.stringify(c.drain(arguments[0])) : null;';
    const text = await this.guard('the page', this.client.executeSync<string | null>(script, [this.cursor], timeoutMs), timeoutMs);
    if (text === null) return []; // the page was reloaded: the next harness call reinstalls the shim
    const res = JSON.parse(text) as { cursor: number; items: MainObservation[]; now: number; generation: string };
    if (res.generation !== this.generation) {
      // A reloaded page starts a new record: read it from its start.
      this.generation = res.generation;
      this.cursor = 0;
      return this.drain(timeoutMs);
    }
    this.cursor = res.cursor;
    this.mainNow = res.now;
    return res.items.map((o) => ({ ...o, launch: this.launchIndex }));
  }

  /** Tauri window settings are not observable from the page. */
  async windows(): Promise<WindowObservation[]> {
    return [];
  }

  async rendererAlive(timeoutMs = 3_000): Promise<boolean> {
    return this.guard('the page', this.client.executeSync('return 1', [], timeoutMs), timeoutMs).then(() => true, () => false);
  }

  /** End the session (the driver then ends the app), stop the driver's group and Xvfb, remove the run's folder. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.watcher) clearInterval(this.watcher);
    if (this.driver.alive && !this.gotExit) await this.client.deleteSession(3_000).catch(() => undefined);
    await this.driver.stop();
    await this.xvfb?.stop();
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** Rejects (code 'app-exited') once the app the driver started has been seen and is gone again. */
function watchEarlyExit(driver: GroupProcess): { exited: Promise<never>; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<never>((_, reject) => {
    let seen: number | null = null;
    const since = Date.now();
    timer = setInterval(() => {
      const pid = driver.proc.pid;
      if (pid === undefined) return;
      if (seen === null) seen = childPids(pid, true)[0] ?? null;
      // The driver forks the app as soon as the session is requested: none after 2 s means it is gone.
      if ((seen !== null && !pidAlive(seen)) || (seen === null && Date.now() - since > 2_000)) {
        reject(new WebDriverError('the app exited', 'app-exited'));
      }
    }, 50);
  });
  exited.catch(() => undefined);
  return { exited, stop: () => clearInterval(timer) };
}

async function waitReady(client: WebDriverClient, driver: GroupProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (!driver.alive) throw new TauriLaunchError(`WebKitWebDriver exited before it was ready (exit code ${driver.exitCode})`, driver.output());
    const ok = await client.status(500).then((s) => s.ready, () => false);
    if (ok) return;
    if (Date.now() > until) throw new TauriLaunchError(`WebKitWebDriver did not answer /status within ${timeoutMs} ms`, driver.output());
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The run's seam (runner/run.ts): a Tauri session offers the part of AppSession's surface the run
 * and its stream follower use (harness, drain, liveness, close); Electron-only parts (Playwright
 * page and app handles) are absent, so Electron-only steps (security probes) are not run for Tauri.
 */
export async function startTauriSession(pack: Pack, opts: TauriSessionOptions, launchIndex: number): Promise<AppSession> {
  return (await TauriSession.start(pack, opts, launchIndex)) as unknown as AppSession;
}
