'use strict';
// Runs scripts as real child processes: one process group per run (so killTree takes the whole
// tree), stdout/stderr forwarded as log chunks and appended to a per-script log file, status
// transitions and metrics published as RuntimeStateSnapshot, restart policy with exponential
// backoff and a retry limit, optional health checks.
const { spawn, exec } = require('node:child_process');
const { StringDecoder } = require('node:string_decoder');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const http = require('node:http');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');

const STOP_GRACE_MS = 3000; // SIGTERM, then SIGKILL after this long
const CLOSE_WAIT_MS = 200; // after 'exit', wait this long for stdio to drain before finalising
const METRICS_INTERVAL_MS = 2000;
const HEALTH_INTERVAL_MS = 5000;
const MEMORY_TAIL_BYTES = 64 * 1024; // in-memory log tail for scripts with log.persist === false
const DEFAULT_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;
const DEFAULT_MAX_RETRIES = 5;
const DEFAULT_ROTATE_BYTES = 1024 * 1024;
const DEFAULT_ROTATE_FILES = 3;
const STABLE_UPTIME_MS = 10_000; // a run this long resets the retry counter
const CLK_TCK = 100; // Linux USER_HZ, the unit of utime/stime in /proc/<pid>/stat

class ScriptNotFoundError extends Error {
  constructor(id) {
    super(`Script not found: ${id}`);
  }
}

/** File name for a script's log; ids come from the renderer, so never use them as paths raw. */
function logFileName(id) {
  const safe = encodeURIComponent(id).replace(/^\.+/, (dots) => '%2E'.repeat(dots.length));
  return safe.length <= 100 ? `${safe}.log` : `${crypto.createHash('sha256').update(id).digest('hex').slice(0, 32)}.log`;
}

function signalExitCode(signal) {
  const n = os.constants.signals[signal];
  return typeof n === 'number' ? 128 + n : 1;
}

class ProcessManager {
  /**
   * @param {object} o
   * @param {string} o.logsDir
   * @param {(id: string) => object | undefined} o.getScript
   * @param {(snapshot: object, runtime: object) => void} o.onStatus
   * @param {(chunk: { scriptId: string, text: string | Uint8Array }) => void} o.onLog
   * @param {(id: string) => boolean} o.fault
   */
  constructor({ logsDir, getScript, onStatus, onLog, fault }) {
    this.logsDir = logsDir;
    this.getScript = getScript;
    this.onStatus = onStatus;
    this.onLog = onLog;
    this.fault = fault;
    /** @type {Map<string, any>} scriptId -> runtime record */
    this.runtimes = new Map();
    this.metricsTimer = setInterval(() => this.sampleMetrics(), METRICS_INTERVAL_MS);
    this.metricsTimer.unref();
  }

  runtime(id) {
    let rt = this.runtimes.get(id);
    if (!rt) {
      rt = { scriptId: id, status: 'stopped', retries: 0, memoryTail: '' };
      this.runtimes.set(id, rt);
    }
    return rt;
  }

  isActive(rt) {
    return Boolean(rt && (rt.child || rt.restartTimer));
  }

  snapshotOf(rt) {
    const s = { scriptId: rt.scriptId, status: rt.status };
    if (rt.pid !== undefined) s.pid = rt.pid;
    if (rt.startTime !== undefined) {
      s.startTime = rt.startTime;
      if (rt.child) s.uptimeMs = Date.now() - rt.startTime;
    }
    if (rt.cpuPercent !== undefined) s.cpuPercent = rt.cpuPercent;
    if (rt.memMB !== undefined) s.memMB = rt.memMB;
    if (rt.lastExitCode !== undefined) s.lastExitCode = rt.lastExitCode;
    s.retries = rt.retries;
    if (rt.healthy !== undefined) s.healthy = rt.healthy;
    if (rt.backoffMs !== undefined) s.backoffMs = rt.backoffMs;
    if (rt.nextRestartDelayMs !== undefined) s.nextRestartDelayMs = rt.nextRestartDelayMs;
    if (this.fault('sm-snapshot-leaks-internals')) {
      // Bug: the whole internal record spread into the snapshot (log path and command leak out).
      s.logFile = this.logPath(rt.scriptId);
      s.command = this.getScript(rt.scriptId)?.command;
    }
    return s;
  }

  setStatus(rt, status, extra = {}) {
    rt.status = status;
    Object.assign(rt, extra);
    this.onStatus(this.snapshotOf(rt), rt);
  }

  snapshot(id) {
    const rt = this.runtimes.get(id);
    return rt ? this.snapshotOf(rt) : undefined;
  }

  /** Snapshot of a script that has not run since the app started. */
  idleSnapshot(id) {
    return this.snapshotOf({ scriptId: id, status: 'stopped', retries: 0 });
  }

  snapshots() {
    return [...this.runtimes.values()].map((rt) => this.snapshotOf(rt));
  }

  // ---- logs ---------------------------------------------------------------------------------

  logPath(id) {
    return path.join(this.logsDir, logFileName(id));
  }

  appendLog(script, text) {
    const rt = this.runtime(script.id);
    rt.memoryTail = (rt.memoryTail + text).slice(-MEMORY_TAIL_BYTES);
    if (script.log && script.log.persist === false) return;
    const file = this.logPath(script.id);
    try {
      fs.mkdirSync(this.logsDir, { recursive: true });
      this.rotateIfNeeded(script, file);
      // Synchronous on purpose: a readLog right after a log event must see the chunk.
      fs.appendFileSync(file, text);
    } catch (err) {
      console.error(`[script-manager] cannot write log ${file}: ${err.message}`);
    }
  }

  rotateIfNeeded(script, file) {
    const rotate = script.log && script.log.rotate;
    if (!rotate) return;
    const maxBytes = (typeof rotate === 'object' && rotate.maxBytes) || DEFAULT_ROTATE_BYTES;
    const maxFiles = (typeof rotate === 'object' && rotate.maxFiles) || DEFAULT_ROTATE_FILES;
    let size;
    try {
      size = fs.statSync(file).size;
    } catch {
      return;
    }
    if (size < maxBytes) return;
    for (let i = maxFiles - 1; i >= 1; i--) {
      const from = i === 1 ? file : `${file}.${i - 1}`;
      if (fs.existsSync(from)) fs.renameSync(from, `${file}.${i}`);
    }
  }

  readLog(id) {
    const script = this.getScript(id);
    if (!script) throw new ScriptNotFoundError(id);
    if (script.log && script.log.persist === false) return this.runtimes.get(id)?.memoryTail ?? '';
    if (this.fault('sm-readlog-crash')) {
      // Bug: assumes the log file exists (it does not before the first run).
      return fs.readFileSync(this.logPath(id), 'utf8');
    }
    try {
      return fs.readFileSync(this.logPath(id), 'utf8');
    } catch (err) {
      if (err.code === 'ENOENT') return '';
      throw err;
    }
  }

  removeLogs(id) {
    const file = this.logPath(id);
    for (const f of [file, ...Array.from({ length: 10 }, (_, i) => `${file}.${i + 1}`)]) {
      try {
        fs.unlinkSync(f);
      } catch {
        /* absent */
      }
    }
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  async start(id) {
    const script = this.getScript(id);
    if (!script) throw new ScriptNotFoundError(id);
    const rt = this.runtime(id);
    if (rt.child) return; // already running: starting again is a no-op
    if (rt.restartTimer) {
      clearTimeout(rt.restartTimer);
      rt.restartTimer = undefined;
    }
    rt.retries = 0;
    rt.backoffMs = undefined;
    rt.nextRestartDelayMs = undefined;
    await this.spawnRun(script, rt);
  }

  /** Spawns one run of `script`. Resolves once the process is running; rejects if it cannot start. */
  spawnRun(script, rt) {
    rt.stopRequested = false;
    rt.healthy = undefined;
    this.setStatus(rt, 'starting', { pid: undefined, startTime: undefined, cpuPercent: undefined, memMB: undefined });

    const command = script.interpreter || script.command;
    const args = script.interpreter ? [script.command, ...(script.args || [])] : [...(script.args || [])];
    const env = { ...process.env };
    // The app's own switches must not leak into the user's scripts.
    delete env.CONFORM_FAULTS;
    delete env.ELECTRON_RUN_AS_NODE;
    for (const [k, v] of Object.entries(script.env || {})) env[k] = String(v);
    const cwd = script.cwd || undefined;
    if (cwd && !fs.existsSync(cwd)) {
      return Promise.reject(this.failRun(script, rt, `working directory does not exist: ${cwd}`));
    }

    let child;
    try {
      child = spawn(command, args, {
        cwd,
        env,
        // A process group of its own, so stop/killTree signal the whole tree (-pid).
        detached: !this.fault('sm-killtree-leaves-grandchild'),
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (err) {
      return Promise.reject(this.failRun(script, rt, err.message));
    }
    rt.child = child;
    rt.runId = (rt.runId || 0) + 1;
    const runId = rt.runId;

    for (const stream of [child.stdout, child.stderr]) {
      const decoder = new StringDecoder('utf8');
      stream.on('data', (buf) => {
        const text = decoder.write(buf);
        if (!text) return;
        const current = this.getScript(script.id) || script;
        this.appendLog(current, text);
        // Bug (fault): the raw Buffer is forwarded instead of the decoded text.
        this.onLog({ scriptId: script.id, text: this.fault('sm-log-event-raw-buffer') ? buf : text });
      });
    }

    return new Promise((resolve, reject) => {
      child.once('error', (err) => {
        if (rt.child !== child) return;
        rt.child = undefined;
        reject(this.failRun(script, rt, err.message));
      });
      child.once('spawn', () => {
        rt.pid = child.pid;
        rt.startTime = Date.now();
        this.setStatus(rt, 'running', { nextRestartDelayMs: undefined });
        this.scheduleHealthCheck(script.id, runId);
        resolve();
      });
      child.once('exit', (code, signal) => {
        // Let stdout/stderr drain so the last log chunks come before the final status; a
        // grandchild holding the pipes open must not delay the status for ever.
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          this.onExit(script.id, rt, child, code, signal);
        };
        child.once('close', finish);
        setTimeout(finish, CLOSE_WAIT_MS).unref();
      });
    });
  }

  failRun(script, rt, reason) {
    const message = `Failed to start "${script.name}": ${reason}`;
    rt.child = undefined;
    this.appendLog(script, `[script-manager] ${message}\n`);
    this.setStatus(rt, 'errored', { pid: undefined });
    return new Error(message);
  }

  onExit(id, rt, child, code, signal) {
    if (rt.child !== child) return;
    rt.child = undefined;
    clearTimeout(rt.killTimer);
    clearTimeout(rt.healthTimer);
    const ranMs = rt.startTime ? Date.now() - rt.startTime : 0;
    rt.pid = undefined;
    rt.cpuPercent = undefined;
    rt.memMB = undefined;
    rt.cpuSample = undefined;
    rt.lastExitCode = typeof code === 'number' ? code : signalExitCode(signal);
    const waiters = rt.exitWaiters || [];
    rt.exitWaiters = [];

    if (rt.stopRequested) {
      this.setStatus(rt, 'stopped');
    } else {
      const script = this.getScript(id);
      const failed = rt.lastExitCode !== 0;
      if (ranMs >= STABLE_UPTIME_MS) rt.retries = 0;
      const policy = !script || script.autoRestart === false
        ? 'never'
        : script.restartPolicy || (script.autoRestart ? 'on-failure' : 'never');
      const wanted = policy === 'always' || (policy === 'on-failure' && failed);
      const maxRetries = script && Number.isInteger(script.maxRetries) ? script.maxRetries : DEFAULT_MAX_RETRIES;
      if (script && wanted && rt.retries < maxRetries) {
        const base = script.backoffMs ?? DEFAULT_BACKOFF_MS;
        const delay = Math.min(base * 2 ** rt.retries, MAX_BACKOFF_MS);
        rt.retries += 1;
        rt.restartTimer = setTimeout(() => {
          rt.restartTimer = undefined;
          const current = this.getScript(id);
          if (!current) return;
          this.spawnRun(current, rt).catch(() => {
            /* failRun already published 'errored' */
          });
        }, delay);
        this.setStatus(rt, 'backoff', { backoffMs: base, nextRestartDelayMs: delay });
      } else {
        this.setStatus(rt, failed ? 'crashed' : 'exited', { nextRestartDelayMs: undefined });
      }
    }
    for (const w of waiters) w();
  }

  /** Sends `signal` to the run's process group; falls back to the child alone if it has none. */
  signal(rt, signal) {
    const child = rt.child;
    if (!child || child.pid === undefined) return;
    if (process.platform === 'win32') {
      // No process groups on Windows: taskkill /T walks the tree.
      spawn('taskkill', ['/pid', String(child.pid), '/T', ...(signal === 'SIGKILL' ? ['/F'] : [])], { windowsHide: true, stdio: 'ignore' });
      return;
    }
    try {
      process.kill(-child.pid, signal);
    } catch {
      try {
        child.kill(signal);
      } catch {
        /* already gone */
      }
    }
  }

  waitForExit(rt) {
    if (!rt.child) return Promise.resolve();
    return new Promise((resolve) => {
      rt.exitWaiters = rt.exitWaiters || [];
      rt.exitWaiters.push(resolve);
    });
  }

  /** Cancels a pending restart; returns true if the script was only waiting in backoff. */
  cancelBackoff(rt) {
    if (!rt.restartTimer) return false;
    clearTimeout(rt.restartTimer);
    rt.restartTimer = undefined;
    rt.nextRestartDelayMs = undefined;
    if (!rt.child) this.setStatus(rt, 'stopped');
    return !rt.child;
  }

  /** The running process of a script that is to be stopped, and its exit; null when nothing runs. */
  beginStop(id) {
    if (!this.getScript(id) && !this.runtimes.has(id)) throw new ScriptNotFoundError(id);
    const rt = this.runtimes.get(id);
    if (!rt || this.cancelBackoff(rt) || !rt.child) return null;
    rt.stopRequested = true;
    return { rt, exited: this.waitForExit(rt) };
  }

  async stop(id) {
    const stopping = this.beginStop(id);
    if (!stopping) return;
    const { rt, exited } = stopping;
    if (rt.status !== 'stopping') this.setStatus(rt, 'stopping');
    if (this.fault('sm-stop-does-not-kill')) {
      // Bug: `rt.child.kill` without the call: nothing is signalled, the process runs on.
      void rt.child.kill;
      return;
    }
    this.signal(rt, 'SIGTERM');
    clearTimeout(rt.killTimer);
    rt.killTimer = setTimeout(() => this.signal(rt, 'SIGKILL'), STOP_GRACE_MS);
    await exited;
  }

  async killTree(id) {
    const stopping = this.beginStop(id);
    if (!stopping) return;
    this.signal(stopping.rt, 'SIGKILL');
    await stopping.exited;
  }

  async restart(id) {
    const script = this.getScript(id);
    if (!script) throw new ScriptNotFoundError(id);
    await this.stop(id);
    await this.start(id);
  }

  /** Stops every run; used on quit. Resolves when all have exited (SIGKILL after the grace time). */
  async stopAll() {
    await Promise.all([...this.runtimes.keys()].map((id) => this.stop(id).catch(() => {})));
  }

  /** Last resort on process exit: synchronously SIGKILL every process group still running. */
  killAllNow() {
    for (const rt of this.runtimes.values()) {
      clearTimeout(rt.restartTimer);
      rt.restartTimer = undefined;
      if (rt.child) {
        rt.stopRequested = true;
        this.signal(rt, 'SIGKILL');
      }
    }
  }

  forget(id) {
    const rt = this.runtimes.get(id);
    if (rt) {
      clearTimeout(rt.restartTimer);
      clearTimeout(rt.healthTimer);
    }
    this.runtimes.delete(id);
  }

  dispose() {
    clearInterval(this.metricsTimer);
    this.killAllNow();
  }

  // ---- metrics and health -------------------------------------------------------------------

  sampleMetrics() {
    if (process.platform !== 'linux') return;
    for (const rt of this.runtimes.values()) {
      if (!rt.child || rt.pid === undefined || rt.status !== 'running') continue;
      try {
        const stat = fs.readFileSync(`/proc/${rt.pid}/stat`, 'utf8');
        // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]);
        const rssPages = Number(fields[21]);
        const now = Date.now();
        if (rt.cpuSample) {
          const seconds = (now - rt.cpuSample.at) / 1000;
          rt.cpuPercent = seconds > 0 ? Math.round(((ticks - rt.cpuSample.ticks) / CLK_TCK / seconds) * 1000) / 10 : 0;
        }
        rt.cpuSample = { ticks, at: now };
        rt.memMB = Math.round(((rssPages * 4096) / (1024 * 1024)) * 10) / 10;
        this.onStatus(this.snapshotOf(rt), rt);
      } catch {
        /* the process just exited */
      }
    }
  }

  scheduleHealthCheck(id, runId, delay = 1000) {
    const script = this.getScript(id);
    const hc = script && script.healthCheck;
    if (!hc || !(hc.port || hc.url || hc.command)) return;
    const rt = this.runtime(id);
    clearTimeout(rt.healthTimer);
    rt.healthTimer = setTimeout(async () => {
      if (rt.runId !== runId || !rt.child) return;
      const healthy = await probe(hc).catch(() => false);
      if (rt.runId !== runId || !rt.child) return;
      if (healthy !== rt.healthy) this.setStatus(rt, rt.status, { healthy });
      this.scheduleHealthCheck(id, runId, HEALTH_INTERVAL_MS);
    }, delay);
    rt.healthTimer.unref();
  }
}

/** One health probe: every configured check (port, url, command) must pass. */
async function probe(hc) {
  const checks = [];
  if (hc.port) checks.push(probePort(hc.port));
  if (hc.url) checks.push(probeUrl(hc.url));
  if (hc.command) checks.push(probeCommand(hc.command));
  const results = await Promise.all(checks);
  return results.every(Boolean);
}

function probePort(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function probeUrl(url) {
  return new Promise((resolve) => {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      return resolve(false);
    }
    const lib = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : null;
    if (!lib) return resolve(false);
    const req = lib.get(parsed, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode < 400);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
  });
}

function probeCommand(command) {
  return new Promise((resolve) => {
    exec(command, { timeout: 5000, windowsHide: true }, (err) => resolve(!err));
  });
}

module.exports = { ProcessManager, ScriptNotFoundError, logFileName };
