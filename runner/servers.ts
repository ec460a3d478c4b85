// Commands an app needs running before it starts (a stub backend, a dev server), from the config's
// `launch.servers`: started in order, each awaited until ready, and stopped (whole process group)
// after the run, also when it fails. A server that exits or never gets ready is a usage error
// that quotes the server's own output.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { UsageError } from '../cli/errors.ts';
import { redactText } from '../specs/redact.ts';
import type { ServerConfig as ServerSpec } from '../config/index.ts';


export interface RunningServers {
  /** Stops every server (SIGTERM to its process group, SIGKILL after 3 s). Idempotent. */
  stop(): Promise<void>;
}

const OUTPUT_LINES = 20;

function killGroup(p: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (p.pid) process.kill(-p.pid, signal);
  } catch {
    // Already gone.
  }
}

async function stopOne(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return killGroup(p, 'SIGKILL');
  const exited = new Promise<void>((r) => p.once('exit', () => r()));
  killGroup(p, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise<void>((r) => { timer = setTimeout(r, 3_000); })]);
  clearTimeout(timer);
  // Children the server left in its group go too.
  killGroup(p, 'SIGKILL');
}

function probePort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' }, () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

async function probeUrl(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return true; // any HTTP answer, even 404, means it is listening
  } catch {
    return false;
  }
}

async function startOne(spec: ServerSpec, env: Record<string, string>): Promise<ChildProcess> {
  const name = spec.name ?? [spec.command, ...(spec.args ?? [])].join(' ');
  // Without args the command goes through the shell (`node stub.js --port 4000` as one string).
  const p = spec.args ? spawn(spec.command, spec.args, { cwd: spec.cwd, env: { ...process.env, ...env, ...spec.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(spec.command, { cwd: spec.cwd, env: { ...process.env, ...env, ...spec.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'], shell: true });
  const lines: string[] = [];
  let outputMatched = false;
  const outputRe = spec.ready?.output !== undefined ? new RegExp(spec.ready.output) : undefined;
  const onData = (d: Buffer) => {
    for (const l of String(d).split('\n')) {
      if (!l.trim()) continue;
      lines.push(redactText(l));
      if (outputRe?.test(l)) outputMatched = true;
    }
    if (lines.length > OUTPUT_LINES) lines.splice(0, lines.length - OUTPUT_LINES);
  };
  p.stdout!.on('data', onData);
  p.stderr!.on('data', onData);
  let spawnError: Error | undefined;
  p.once('error', (e) => { spawnError = e; });
  const fail = async (why: string) => {
    await stopOne(p);
    throw new UsageError(`launch.servers "${name}" ${why}${lines.length ? `; its last output: ${lines.join(' | ')}` : ' (it printed nothing)'}`);
  };
  const timeout = spec.timeout ?? 30_000;
  const deadline = Date.now() + timeout;
  for (;;) {
    if (spawnError) return fail(`could not be started (${spawnError.message})`);
    if (p.exitCode !== null || p.signalCode !== null) return fail(`exited (${p.exitCode ?? p.signalCode}) before it was ready`);
    const ready = !spec.ready
      || (spec.ready.output !== undefined ? outputMatched : true)
        && (spec.ready.port === undefined || await probePort(spec.ready.port))
        && (spec.ready.url === undefined || await probeUrl(spec.ready.url));
    // Without a readiness condition, a command that dies at once should still be caught.
    if (ready && (spec.ready || await new Promise<boolean>((r) => setTimeout(() => r(p.exitCode === null), 200)))) {
      if (p.exitCode === null) return p;
      continue;
    }
    if (Date.now() > deadline) return fail(`was not ready within ${timeout} ms (waiting for ${JSON.stringify(spec.ready)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Start `specs` in order; on a failure the ones already started are stopped before throwing. */
export async function startServers(specs: ServerSpec[] = [], env: Record<string, string> = {}): Promise<RunningServers> {
  const started: ChildProcess[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= Promise.all(started.reverse().map(stopOne)).then(() => undefined));
  const onExit = () => { for (const p of started) killGroup(p, 'SIGKILL'); };
  process.once('exit', onExit);
  try {
    for (const s of specs) started.push(await startOne(s, env));
  } catch (err) {
    await stop();
    process.removeListener('exit', onExit);
    throw err;
  }
  return { stop: () => stop().finally(() => process.removeListener('exit', onExit)) };
}
