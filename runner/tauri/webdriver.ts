// Processes and HTTP of a Tauri run: Xvfb (when there is no display), WebKitGTK's WebKitWebDriver
// started the way tauri-driver starts it, and a minimal W3C WebDriver client. Every process runs
// detached in its own process group and is stopped as a group: the driver starts the app in the
// driver's group, and the app starts WebKit's web and network processes in it too.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { redactText } from '../../specs/redact.ts';
import { isExecutable } from '../runtime.ts';

const TAIL_LINES = 30;

export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** The packages a Tauri run needs (Debian names), for the one-line hint when something is missing. */
export const TAURI_PACKAGES = 'webkit2gtk-driver xvfb';
export const installHint = `install them with: apt-get install -y ${TAURI_PACKAGES} (as root)`;

/** WebKitWebDriver: CONFORM_WEBKIT_DRIVER, else on PATH; a reason string when there is none. */
export function findWebKitDriver(): { path: string } | { missing: string } {
  const fromEnv = process.env.CONFORM_WEBKIT_DRIVER;
  if (fromEnv) {
    return isExecutable(fromEnv) ? { path: fromEnv } : { missing: `CONFORM_WEBKIT_DRIVER points at ${fromEnv}, which is not an executable file` };
  }
  const found = onPath('WebKitWebDriver');
  return found ? { path: found } : { missing: `WebKitWebDriver (Debian package webkit2gtk-driver) is not on PATH; ${installHint}` };
}

/** A display is needed for WebKitGTK; Xvfb provides one when the environment has none. */
export function needsXvfb(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.DISPLAY && !env.WAYLAND_DISPLAY;
}

/** A child process in its own process group, with the last lines of its output kept (redacted). */
export class GroupProcess {
  readonly exited: Promise<void>;
  exitCode: number | null = null;
  signal: string | null = null;
  private done = false;
  private tail: string[] = [];
  private partial = '';

  constructor(readonly name: string, readonly proc: ChildProcess) {
    const add = (chunk: Buffer) => {
      const lines = (this.partial + chunk.toString('utf8')).split('\n');
      this.partial = lines.pop() ?? '';
      for (const l of lines) if (l.trim()) this.tail.push(redactText(l));
      if (this.tail.length > TAIL_LINES) this.tail.splice(0, this.tail.length - TAIL_LINES);
    };
    proc.stdout?.on('data', add);
    proc.stderr?.on('data', add);
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        this.exitCode = code;
        this.signal = signal;
        this.done = true;
        resolve();
      });
      proc.once('error', () => {
        this.done = true;
        resolve();
      });
    });
    LIVE.add(this);
    void this.exited.then(() => LIVE.delete(this));
  }

  static start(name: string, file: string, args: string[], env: NodeJS.ProcessEnv, extraFds = 0): GroupProcess {
    const stdio: ('ignore' | 'pipe')[] = ['ignore', 'pipe', 'pipe', ...Array<'pipe'>(extraFds).fill('pipe')];
    return new GroupProcess(name, spawn(file, args, { env, stdio, detached: true }));
  }

  get alive(): boolean {
    return !this.done;
  }

  output(): string[] {
    return this.partial.trim() ? [...this.tail, redactText(this.partial)] : [...this.tail];
  }

  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves once the leader has exited. */
  async stop(graceMs = 2_000): Promise<void> {
    const pid = this.proc.pid;
    if (pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    // The leader may be gone while others of its group (the app, WebKit's processes) linger.
    signalGroup(pid, 'SIGKILL');
    await this.exited;
  }
}

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // ESRCH: the group is already empty.
  }
}

// Groups still running when Node exits (a crash in Conform itself) are killed on the way out.
const LIVE = new Set<GroupProcess>();
process.once('exit', () => {
  for (const p of LIVE) if (p.proc.pid !== undefined) signalGroup(p.proc.pid, 'SIGKILL');
});

/** Start Xvfb on a free display (it picks one and writes its number to fd 3). */
export async function startXvfb(env: NodeJS.ProcessEnv, timeoutMs = 10_000): Promise<{ proc: GroupProcess; display: string }> {
  const bin = onPath('Xvfb');
  if (!bin) throw new Error(`there is no display (DISPLAY is unset) and Xvfb is not installed; ${installHint}`);
  const proc = GroupProcess.start('Xvfb', bin, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x800x24'], env, 1);
  const fd3 = proc.proc.stdio[3] as NodeJS.ReadableStream | null;
  let text = '';
  const display = await new Promise<string | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    fd3?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(`:${text.trim()}`);
      }
    });
    void proc.exited.then(() => {
      clearTimeout(timer);
      resolve(null);
    });
  });
  if (!display) {
    await proc.stop();
    throw new Error(`Xvfb did not start a display within ${timeoutMs} ms${proc.output().length ? `: ${proc.output().slice(-3).join(' | ')}` : ''}`);
  }
  return { proc, display };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** An error answer of the WebDriver endpoint (W3C `{ value: { error, message } }`) or no answer in time. */
export class WebDriverError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'WebDriverError';
  }
}

/** The few W3C WebDriver commands a Tauri run needs, each with its own timeout. */
export class WebDriverClient {
  sessionId: string | null = null;
  constructor(readonly base: string) {}

  async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body: unknown, timeoutMs: number): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const e = err as Error;
      if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new WebDriverError(`${method} ${path} got no answer within ${timeoutMs} ms`, 'timeout');
      throw new WebDriverError(`${method} ${path} failed: ${e.message}`, 'connection');
    }
    const text = await res.text();
    let json: { value?: unknown } = {};
    try {
      json = JSON.parse(text) as { value?: unknown };
    } catch {
      throw new WebDriverError(`${method} ${path} answered ${res.status} with no JSON: ${text.slice(0, 200)}`, 'protocol');
    }
    const value = json.value as { error?: string; message?: string } | undefined;
    if (!res.ok || (value && typeof value === 'object' && typeof value.error === 'string')) {
      throw new WebDriverError(`${method} ${path}: ${value?.error ?? res.status}: ${value?.message ?? ''}`.trim(), value?.error ?? String(res.status));
    }
    return json.value as T;
  }

  status(timeoutMs = 1_000): Promise<{ ready: boolean }> {
    return this.request('GET', '/status', undefined, timeoutMs);
  }

  /** New session on the app binary, with tauri-driver's capability (`webkitgtk:browserOptions`). */
  async newSession(binary: string, args: string[], timeoutMs: number): Promise<void> {
    const caps = { capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary, args } } } };
    const v = await this.request<{ sessionId: string }>('POST', '/session', caps, timeoutMs);
    this.sessionId = v.sessionId;
  }

  private sessionPath(rest: string): string {
    if (!this.sessionId) throw new WebDriverError('no WebDriver session', 'no session');
    return `/session/${this.sessionId}${rest}`;
  }

  setScriptTimeout(ms: number): Promise<unknown> {
    return this.request('POST', this.sessionPath('/timeouts'), { script: ms }, 5_000);
  }

  executeSync<T>(script: string, args: unknown[], timeoutMs: number): Promise<T> {
    return this.request('POST', this.sessionPath('/execute/sync'), { script, args }, timeoutMs);
  }

  /** `script` calls `arguments[arguments.length - 1](result)` when done. */
  executeAsync<T>(script: string, args: unknown[], timeoutMs: number): Promise<T> {
    return this.request('POST', this.sessionPath('/execute/async'), { script, args }, timeoutMs);
  }

  async deleteSession(timeoutMs = 3_000): Promise<void> {
    if (!this.sessionId) return;
    const path = this.sessionPath('');
    this.sessionId = null;
    await this.request('DELETE', path, undefined, timeoutMs);
  }
}

/** Direct children of `pid` (Linux /proc): the app the driver started; zombies only with `withZombies`. */
export function childPids(pid: number, withZombies = false): number[] {
  const out: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[1]) === pid && (withZombies || rest[0] !== 'Z')) out.push(Number(e));
    } catch {
      // The process went away while we looked.
    }
  }
  return out;
}

/** True while the process exists and is not a zombie. */
export function pidAlive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
