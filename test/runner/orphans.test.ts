// `conform run` SIGKILLed during a launch, during a channel group and during the close: no process
// of the run remains (found by PID: every process carrying the run's CONFORM_PARENT_PID, plus the
// CLI's descendants seen before the kill) and the run's folders are gone from the host temp dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin', 'conform.js');
const tmp = mkdtempSync(join(tmpdir(), 'conform-orphans-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

/** A live (not zombie) process's stat fields after the command: [state, ppid, pgrp, ...]. */
function stat(pid: number): string[] | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return rest[0] === 'Z' || rest[0] === 'X' ? null : rest;
  } catch {
    return null;
  }
}
const pids = () => readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number);

/** Live processes started for the run of CLI `cli` (the launcher passes CONFORM_PARENT_PID to all of them). */
function runProcesses(cliPid: number): number[] {
  const needle = `CONFORM_PARENT_PID=${cliPid}`;
  return pids().filter((p) => {
    if (!stat(p)) return false;
    try {
      return readFileSync(`/proc/${p}/environ`, 'utf8').split('\0').includes(needle);
    } catch {
      return false;
    }
  });
}

function descendants(pid: number): number[] {
  const parent = new Map(pids().map((p) => [p, Number(stat(p)?.[1] ?? 0)]));
  const out: number[] = [];
  const walk = (of: number) => {
    for (const [p, pp] of parent) if (pp === of) { out.push(p); walk(p); }
  };
  walk(pid);
  return out;
}

/** Poll a condition (an event we cannot subscribe to: other processes' state). */
async function until(what: string, cond: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function killDuring(name: string, moment: (markText: string, cliPid: number) => boolean, extra: string[], env: Record<string, string>) {
  const dir = join(tmp, name);
  const hostTmp = join(dir, 'host-tmp');
  mkdirSync(hostTmp, { recursive: true });
  const mark = join(dir, 'mark');
  const child = spawn(process.execPath, [cli, 'run', 'test/runner/packs/startup', '--app', 'test/runner/apps/startup', '--reporter', 'list', ...extra], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: hostTmp, STARTUP_MARK: mark, ...env },
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const cliPid = child.pid!;
  await until(`${name}: the moment to kill (output so far: ${output})`, () => moment(existsSync(mark) ? readFileSync(mark, 'utf8') : '', cliPid));
  const seen = new Set([...descendants(cliPid), ...runProcesses(cliPid)]);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  expect(seen.size, 'the run had processes when it was killed').toBeGreaterThan(0);
  await until(`${name}: every process of the run to end`, () => runProcesses(cliPid).length === 0 && [...seen].every((p) => !stat(p)), 30_000)
    .catch(() => undefined);
  const left = [...new Set([...runProcesses(cliPid), ...[...seen].filter((p) => stat(p))])];
  expect(left.map((p) => `${p} ${readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 120)}`), `${name}: processes left`).toEqual([]);
  // The app's run folder (its HOME/TMPDIR, Chromium's profile) went with it. (What the killed CLI
  // itself had in the temp dir, Playwright's artifacts and tsx's cache, cannot be cleaned by it.)
  const appDirs = () => readdirSync(hostTmp).filter((n) => /^conform-(app|standin)-/.test(n));
  await until(`${name}: the run folder to be removed`, () => appDirs().length === 0, 10_000).catch(() => undefined);
  expect(appDirs(), `${name}: left in the host temp dir`).toEqual([]);
}

describe('no orphans when conform run is SIGKILLed', () => {
  it('during the launch', { timeout: 180_000 }, async () => {
    // As soon as the stand-in's main process exists: before Chromium or a window may.
    await killDuring('launch', (_m, cliPid) => runProcesses(cliPid).length > 0, [], {});
  });

  it('during a channel group', { timeout: 180_000 }, async () => {
    await killDuring('group', (m) => m.includes('ping'), ['--grep', 's:ping', '--call-timeout', '120000'], { STARTUP_SLOW_MS: '60000' });
  });

  it('during the close', { timeout: 180_000 }, async () => {
    await killDuring('close', (m) => m.includes('closing'), ['--grep', 's:saveLogs'], { STARTUP_SLOW_MS: '60000' });
  });
});
