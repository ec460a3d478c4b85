// One launched app under test: the Playwright handles, its window, the instrumentation cursor,
// the last stderr lines, and evaluation helpers that notice when the app dies or hangs instead of
// waiting forever. Drivers only observe: nothing here judges.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ElectronApplication, Page } from 'playwright-core';
import { redactText } from '../../specs/redact.ts';
import { codec } from '../checks/values.ts';
import type { MainObservation, WindowObservation } from '../checks/observations.ts';
import { AppStartError, launchApp, type LaunchedApp, type RuntimeKind } from '../runtime.ts';

export const INSTRUMENT_PATH = fileURLToPath(new URL('../instrument/index.cjs', import.meta.url));
const HARNESS_SOURCE = readFileSync(new URL('./harness.js', import.meta.url), 'utf8');
const ENCODER_SOURCE = codec.encodeValue.toString();

export interface SessionOptions {
  main: string;
  electron?: string;
  /** Node for main on the stand-in (a binary or a version), as launchApp's `node`. */
  node?: string;
  args?: string[];
  env?: Record<string, string>;
  /** Working folder of the app; default: this process's. */
  cwd?: string;
  /** Bridge roots to wait for before driving (e.g. ['window.api']). */
  roots: string[];
  launchTimeoutMs?: number;
  /** The run's own folder: the launch's folder goes inside it (runner/run/host.ts). */
  runDir?: string;
}

/** Where a launch failed (the first phase that did not complete). */
export type LaunchPhase = 'process-start' | 'main-exited' | 'main-threw' | 'no-window' | 'renderer-load';

const PHASE_TEXT: Record<LaunchPhase, string> = {
  'process-start': 'the app process did not start or exited before it could be driven',
  'main-exited': 'main exited before opening a window',
  'main-threw': 'main threw during start-up and opened no window',
  'no-window': 'no window opened',
  'renderer-load': "the first window's page did not load",
};

/** A launch that failed: which phase, how main ended, and the app's own last output lines. */
export class LaunchFailed extends Error {
  constructor(
    readonly phase: LaunchPhase,
    readonly detail: string,
    readonly exitCode: number | null,
    readonly signal: string | null,
    readonly output: string[],
  ) {
    super(`launch failed: ${PHASE_TEXT[phase]}${detail ? ` (${detail})` : ''}${exitCode !== null ? `, exit code ${exitCode}` : ''}${signal ? `, signal ${signal}` : ''}`);
    this.name = 'LaunchFailed';
  }
}

/** Main printed an uncaught error (stand-in and Electron both keep running after one). */
const MAIN_THREW = /^(A JavaScript error occurred in the main process|App threw an error during load)/m;
/**
 * After main threw, how long a window may still come before the launch is called failed: a third
 * of the launch timeout (at least 3 s), since a loaded machine opens windows slowly.
 */
const threwGraceMs = (timeoutMs: number) => Math.max(3_000, timeoutMs / 3);

/** The app died (exit) or stopped answering (hang) while we waited on it. */
export class AppGone extends Error {
  constructor(
    readonly reason: string,
    readonly exitCode: number | null,
    readonly signal: string | null,
    readonly stderrTail: string[],
    readonly cleanExit: boolean,
  ) {
    super(reason);
    this.name = 'AppGone';
  }
}

/** What `guardCall` needs of a launched app (the Electron session and the Tauri session alike). */
export interface GuardedApp {
  readonly alive: boolean;
  gone(reason: string): AppGone;
}

/**
 * Race a driver command against the app's exit and our own timeout. A hang or an exit becomes an
 * AppGone; any other error is looked at again after `settleMs(err)` (the app may be exiting under
 * it, in which case the exit is what is said), else it is `<what> failed: <message>`.
 */
export async function guardCall<T>(
  app: GuardedApp,
  exited: Promise<unknown>,
  exitReason: () => string,
  what: string,
  p: Promise<T>,
  timeoutMs: number,
  settleMs: (err: Error) => number,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(app.gone(`${what} did not answer within ${timeoutMs} ms (hang)`)), timeoutMs);
  });
  const exit = exited.then(() => {
    throw app.gone(exitReason());
  });
  try {
    return await Promise.race([p, timeout, exit]);
  } catch (err) {
    if (err instanceof AppGone) throw err;
    await Promise.race([exited, new Promise((r) => setTimeout(r, settleMs(err as Error)))]);
    if (!app.alive) throw app.gone(exitReason());
    throw app.gone(`${what} failed: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    clearTimeout(timer);
  }
}

const STDERR_LINES = 40;

/** Main asked a window for about:blank and that load finished (runner/instrument: pageLoads). */
function blankPageLoaded(launched: LaunchedApp): Promise<boolean> {
  return launched.app
    .evaluate(() => {
      const c = (globalThis as unknown as { __conform?: { pageLoads?(): { target: string; state: string }[] } }).__conform;
      return !!c?.pageLoads?.().some((l) => l.state === 'loaded' && /^about:blank([?#]|$)/.test(l.target));
    })
    .catch(() => false);
}

export class AppSession {
  readonly launchIndex: number;
  private cursor = 0;
  /** Main's monotonic clock (ms, the clock of observation `t`) at the last drain. */
  mainNow = 0;
  private stderr: string[] = [];
  /** The preload threw while the first page loaded (its console error): a diagnostic, not a launch failure. */
  preloadError?: string;
  private partial = '';
  private exitInfo: { code: number | null; signal: string | null } | null = null;
  private exited: Promise<void>;
  private constructor(
    readonly launched: LaunchedApp,
    readonly page: Page,
    launchIndex: number,
  ) {
    this.launchIndex = launchIndex;
    const proc = launched.app.process();
    proc.stderr?.on('data', (chunk: Buffer) => this.addStderr(chunk.toString('utf8')));
    this.exited = new Promise((resolve) => {
      if (proc.exitCode !== null) {
        this.exitInfo = { code: proc.exitCode, signal: proc.signalCode };
        resolve();
        return;
      }
      proc.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve();
      });
    });
  }

  get app(): ElectronApplication {
    return this.launched.app;
  }
  get runtime(): RuntimeKind {
    return this.launched.runtime.kind;
  }
  get exitCode(): number | null {
    return this.exitInfo?.code ?? null;
  }
  get alive(): boolean {
    return this.exitInfo === null;
  }

  static async start(opts: SessionOptions, launchIndex: number): Promise<AppSession> {
    const timeoutMs = opts.launchTimeoutMs ?? 30_000;
    let launched: LaunchedApp;
    try {
      launched = await launchApp({
        main: opts.main,
        require: [INSTRUMENT_PATH],
        args: opts.args,
        env: opts.env,
        cwd: opts.cwd,
        electron: opts.electron,
        node: opts.node,
        timeoutMs,
        runDir: opts.runDir,
      });
    } catch (err) {
      if (!(err instanceof AppStartError)) throw err;
      const threw = err.output.some((l) => MAIN_THREW.test(l));
      const held = err.output.map((l) => /main called process\.exit\((-?\d+)\) during start-up/.exec(l)).find(Boolean);
      const exitCode = held ? Number(held[1]) : err.exitCode;
      const phase: LaunchPhase = held || exitCode !== null || err.signal ? 'main-exited' : threw ? 'main-threw' : 'process-start';
      const detail = held ? `main called process.exit(${held[1]})` : /Timeout \d+ms exceeded/.test(err.reason) ? `nothing within ${timeoutMs / 1000} s` : err.reason;
      // A held exit was ended by Playwright's kill afterwards: that signal is not the app's.
      throw new LaunchFailed(phase, detail, exitCode, held ? null : err.signal, err.output);
    }
    try {
      const { page, preloadErrors } = await AppSession.firstWindow(launched, timeoutMs);
      const session = new AppSession(launched, page, launchIndex);
      // Wait for the preload's bridge; a missing root is a finding (bridge.exists), not a launch error.
      await page
        .waitForFunction((roots: string[]) => roots.every((r) => r.split('.').slice(1).reduce<unknown>((o, k) => (o == null ? o : (o as Record<string, unknown>)[k]), window) != null), opts.roots, { timeout: 5_000 })
        .catch(() => undefined);
      if (preloadErrors.length) session.preloadError = preloadErrors.join(' ').slice(0, 1_000);
      return session;
    } catch (err) {
      // LaunchFailed carries the app's own last output lines (why it quit or hung).
      await launched.close();
      throw err;
    }
  }

  /**
   * The app's first window, or a LaunchFailed naming the phase: main exited (with its code or
   * signal), main threw and no window came within a grace period, no window within the timeout,
   * or the window's page failed to load (its URL and Chromium's net error).
   */
  private static async firstWindow(launched: LaunchedApp, timeoutMs: number): Promise<{ page: Page; preloadErrors: string[] }> {
    const proc = launched.app.process();
    const fail = (phase: LaunchPhase, detail: string) => new LaunchFailed(phase, detail, proc.exitCode, proc.signalCode, launched.output());
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    const exited = new Promise<never>((_, reject) => {
      const onExit = () => {
        // The last lines may still be in the pipe: read the output once the exit is known.
        setImmediate(() => reject(fail('main-exited', '')));
      };
      if (proc.exitCode !== null || proc.signalCode !== null) onExit();
      else proc.once('exit', onExit);
    });
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(fail('no-window', `none within ${timeoutMs / 1000} s; raise it with --launch-timeout <s>`)), timeoutMs);
    });
    // Main threw while starting: give a window a short while to appear anyway, then say so.
    const threw = new Promise<never>((_, reject) => {
      let seenAt = 0;
      poll = setInterval(() => {
        if (!seenAt && launched.output().some((l) => MAIN_THREW.test(l))) seenAt = Date.now();
        if (seenAt && Date.now() - seenAt > threwGraceMs(timeoutMs)) reject(fail('main-threw', ''));
      }, 250);
    });
    try {
      const page = await Promise.race([launched.app.firstWindow({ timeout: 0 }), exited, timedOut, threw]);
      // The window is still blank: its preload runs with the first page, and a preload that throws
      // says so on the renderer console (Electron and the stand-in: "Unable to load preload script").
      const preloadErrors: string[] = [];
      let afterPreloadLine = false;
      page.on('console', (m) => {
        if (m.type() !== 'error') return;
        if (/^Unable to load preload script/.test(m.text())) (afterPreloadLine = true), preloadErrors.push(m.text());
        else if (afterPreloadLine) (afterPreloadLine = false), preloadErrors.push(m.text().split('\n')[0]!);
      });
      let failedRequest = '';
      page.on('requestfailed', (r) => {
        if (r.isNavigationRequest() && r.frame() === page.mainFrame()) failedRequest = `${r.url()}: ${r.failure()?.errorText ?? 'failed'}`;
      });
      // The window starts on about:blank; its first page (or Chromium's error page) comes after.
      // A window main told to load about:blank is ready once main says that load finished; one
      // that was told nothing yet gets a bounded wait, like the bridge wait below.
      // (Polled: Playwright reports a failed navigation under its target URL before the error page shows.)
      const firstPage = (async () => {
        const end = Date.now() + Math.min(timeoutMs, 5_000);
        let askMainAt = 0;
        while (page.url() === 'about:blank' && Date.now() < end) {
          if (Date.now() >= askMainAt) {
            askMainAt = Date.now() + 100;
            if (await blankPageLoaded(launched)) break;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
        await page.waitForLoadState('load', { timeout: Math.max(1, end - Date.now()) }).catch(() => undefined);
      })();
      await Promise.race([firstPage, exited, timedOut, threw]);
      if (page.url().startsWith('chrome-error://')) {
        // Electron's own words when main logged the loadURL/loadFile rejection, else the failed request.
        const said = launched.output().map((l) => /(ERR_[A-Z_]+ \(-?\d+\) loading '[^']*')/.exec(l)?.[1]).filter(Boolean).pop();
        throw fail('renderer-load', said ?? (failedRequest || 'Chromium showed its error page'));
      }
      return { page, preloadErrors };
    } catch (err) {
      if (err instanceof LaunchFailed) throw err;
      // Playwright's "closed" while the app goes away is the exit, said plainly.
      if (proc.exitCode !== null || proc.signalCode !== null || !(await launched.app.evaluate(() => 1).then(() => true, () => false))) {
        throw fail('main-exited', '');
      }
      throw fail('no-window', (err as Error).message.split('\n')[0]!);
    } finally {
      clearTimeout(timer);
      clearInterval(poll);
      exited.catch(() => undefined);
      timedOut.catch(() => undefined);
      threw.catch(() => undefined);
    }
  }

  private addStderr(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const l of lines) if (l.trim()) this.stderr.push(redactText(l));
    if (this.stderr.length > STDERR_LINES) this.stderr.splice(0, this.stderr.length - STDERR_LINES);
  }

  stderrTail(): string[] {
    return this.partial.trim() ? [...this.stderr, redactText(this.partial)] : [...this.stderr];
  }

  /** Wait up to `ms` for the process to exit; true when it did. */
  async waitExit(ms: number): Promise<boolean> {
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, ms))]);
    return !this.alive;
  }

  gone(reason: string): AppGone {
    const code = this.exitInfo?.code ?? null;
    const signal = this.exitInfo?.signal ?? null;
    const clean = this.exitInfo !== null && code === 0;
    return new AppGone(reason, code, signal, this.stderrTail(), clean);
  }

  /** Race a Playwright call against the app's exit and a timeout. */
  private guard<T>(what: string, p: Promise<T>, timeoutMs: number): Promise<T> {
    const exitReason = () => `the app exited${this.exitInfo?.code != null ? ` with code ${this.exitInfo.code}` : ''}${this.exitInfo?.signal ? ` on ${this.exitInfo.signal}` : ''}`;
    // A Playwright error after the process died ("Target closed") is the exit, said plainly.
    // A closed page may be an app that is quitting (e.g. quitAndInstall): give it time to exit.
    return guardCall(this, this.exited, exitReason, what, p, timeoutMs, (err) => (/closed/i.test(err.message ?? '') ? 3_000 : 200));
  }

  /** Run a harness plan inside the renderer (one page.evaluate). */
  harness<T>(plan: unknown, timeoutMs: number): Promise<T> {
    // The result crosses as one JSON string: Playwright's by-value serialization walks every
    // object of a large batch result and costs more than the calls themselves.
    const expr = `(${HARNESS_SOURCE})(${JSON.stringify(plan)}, ${ENCODER_SOURCE}).then(JSON.stringify)`;
    return this.guard('the renderer', this.page.evaluate(expr) as Promise<string>, timeoutMs).then((text) => JSON.parse(text) as T);
  }

  /** Main-process observations since the last drain. */
  async drain(timeoutMs = 5_000): Promise<MainObservation[]> {
    const out: MainObservation[] = [];
    for (;;) {
      const text = await this.guard(
        'the main process',
        this.app.evaluate((_electron, cursor: number) => {
          const c = (globalThis as unknown as { __conform?: { drain(c: number): unknown } }).__conform;
          // One JSON string, not an object tree for Playwright to serialize node by node.
          return c ? JSON.stringify(c.drain(cursor)) : null;
        }, this.cursor),
        timeoutMs,
      );
      const res = text === null ? null : (JSON.parse(text) as { cursor: number; items: MainObservation[]; more: boolean; now: number });
      if (!res) throw this.gone('the instrumentation hook is not loaded in main (was -r passed to the app?)');
      this.cursor = res.cursor;
      this.mainNow = res.now;
      for (const o of res.items) out.push({ ...o, launch: this.launchIndex });
      if (!res.more) return out;
    }
  }

  async windows(): Promise<WindowObservation[]> {
    return (await this.guard(
      'the main process',
      this.app.evaluate(() => {
        const c = (globalThis as unknown as { __conform?: { windows(): unknown } }).__conform;
        return c ? c.windows() : [];
      }),
      5_000,
    )) as WindowObservation[];
  }

  async rendererAlive(timeoutMs = 3_000): Promise<boolean> {
    return this.guard('the renderer', this.page.evaluate(() => 1), timeoutMs).then(() => true, () => false);
  }

  /** Both sides answer a trivial evaluation. */
  async ping(timeoutMs = 3_000): Promise<{ main: boolean; renderer: boolean }> {
    const main = await this.guard('the main process', this.app.evaluate(() => 1), timeoutMs).then(() => true, () => false);
    const renderer = await this.guard('the renderer', this.page.evaluate(() => 1), timeoutMs).then(() => true, () => false);
    return { main, renderer };
  }

  close(): Promise<void> {
    return this.launched.close();
  }
}
