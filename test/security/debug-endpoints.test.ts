// A running app's debug endpoints, seen by a second local user (`nobody`, via runuser: we run as
// root). The stand-in must open no Node inspector or Chromium DevTools port that answers without
// its token: no /json discovery, no WebSocket upgrade on a guessed path, nothing in /proc that
// leaks a token. The positive control (the same probe with the real path is let in) shows that it
// is the token, not the network, that keeps the other user out.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { standinExecutable } from '../../runner/runtime.ts';

const basicMain = join(import.meta.dirname, '..', 'fixtures', 'apps', 'basic', 'main.cjs');
const canRunAsOtherUser = process.getuid?.() === 0 && existsSync('/usr/sbin/runuser');
if (!canRunAsOtherUser) console.log('skipped: the second-user attach test needs root and runuser (it runs a probe as `nobody`)');

// Runs as `nobody`: for each port and path, a plain GET and a WebSocket upgrade; prints statuses.
const PROBE = `
const http = require('http');
const [targets, pids] = JSON.parse(process.argv[1]);
const ask = (port, path, upgrade) => new Promise((resolve) => {
  const headers = upgrade ? { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } : {};
  const req = http.request({ host: '127.0.0.1', port, path, headers, timeout: 5000 });
  req.on('upgrade', (res, socket) => { socket.destroy(); resolve(res.statusCode); });
  req.on('response', (res) => { res.resume(); resolve(res.statusCode); });
  req.on('timeout', () => { req.destroy(); resolve('timeout'); });
  req.on('error', (e) => resolve(e.code || e.message));
  req.end();
});
(async () => {
  const out = { http: [], procs: [] };
  for (const [port, path] of targets) out.http.push({ port, path, get: await ask(port, path, false), upgrade: await ask(port, path, true) });
  for (const pid of pids) {
    const read = (f) => { try { return require('fs').readFileSync('/proc/' + pid + '/' + f, 'utf8'); } catch (e) { return 'ERR:' + e.code; } };
    out.procs.push({ pid, cmdline: read('cmdline'), environ: read('environ') });
  }
  console.log(JSON.stringify(out));
})();
`;

function asNobody(targets: [number, string][], pids: number[]): { http: { port: number; path: string; get: unknown; upgrade: unknown }[]; procs: { pid: number; cmdline: string; environ: string }[] } {
  const r = spawnSync('/usr/sbin/runuser', ['-u', 'nobody', '--', process.execPath, '-e', PROBE, JSON.stringify([targets, pids])], { encoding: 'utf8', cwd: '/', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`probe as nobody failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Pids of the launcher's process group (node, Chromium's reaper, Chromium and its helpers). */
function groupPids(pgid: number): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((e) => {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid;
    } catch { return false; }
  }).map(Number);
}

/** TCP ports some process of `pids` listens on (from /proc/net/tcp{,6} and each process's fds). */
function listeningPorts(pids: number[]): number[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[] = [];
    try { fds = readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      } catch { /* closed meanwhile */ }
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A' && inodes.has(f[9]!)) ports.add(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return [...ports];
}

describe.skipIf(!canRunAsOtherUser)('debug endpoints of a running stand-in app, probed as another local user', () => {
  let child: ChildProcess;
  let dir: string;
  const lines: Record<'node' | 'browser', URL | undefined> = { node: undefined, browser: undefined };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'conform-attach-'));
    // Started as Playwright starts it (both debugger flags), but nobody attaches: the endpoints stay open.
    child = spawn(standinExecutable, ['--no-sandbox', '--inspect=0', '--remote-debugging-port=0', basicMain], {
      env: { ...process.env, XDG_CONFIG_HOME: dir }, stdio: ['ignore', 'ignore', 'pipe'], detached: true,
    });
    let err = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening lines in 30 s; stderr:\n${err}`)), 30_000);
      child.stderr!.on('data', (d: Buffer) => {
        err += String(d);
        const node = /^Debugger listening on (ws:\/\/\S+)$/m.exec(err);
        const browser = /^DevTools listening on (ws:\/\/\S+)$/m.exec(err);
        if (node && browser) {
          lines.node = new URL(node[1]!);
          lines.browser = new URL(browser[1]!);
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`stand-in exited (${code}) before listening; stderr:\n${err}`)));
    });
  }, 60_000);

  afterAll(() => {
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* exited */ }
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the owner through the relay, and Chromium itself listens on no port', async () => {
    // The owner (Playwright's side) reaches Chromium through the token path: the relay works.
    const ws = new WebSocket(lines.browser!.href);
    const version = await new Promise<{ product: string }>((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, method: 'Browser.getVersion' })));
      ws.on('message', (d) => { const m = JSON.parse(String(d)); if (m.id === 1) resolve(m.result); });
    });
    ws.close();
    expect(version.product).toMatch(/Chrome/);
    const pids = groupPids(child.pid!);
    const chromium = pids.filter((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('--user-data-dir='));
    expect(chromium.length).toBeGreaterThan(0);
    expect(chromium.flatMap((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')).filter((a) => a.startsWith('--remote-debugging-port'))).toEqual([]);
    // One listening port in the whole process group: the stand-in's guarded server.
    expect(listeningPorts(pids)).toEqual([Number(lines.node!.port)]);
  });

  it('refuses discovery, guessed paths and upgrades from another user, and leaks no token in /proc', () => {
    const pids = groupPids(child.pid!);
    const ports = [...new Set([...listeningPorts(pids), Number(lines.node!.port), Number(lines.browser!.port)])];
    const guess = '0123456789abcdef0123456789abcdef';
    const paths = ['/', '/json', '/json/version', '/json/list', '/json/protocol', '/devtools/browser', `/devtools/browser/${guess}`, `/${guess}`,
      // the real token with one character changed
      lines.node!.pathname.slice(0, -1) + (lines.node!.pathname.endsWith('0') ? '1' : '0')];
    const seen = asNobody(ports.flatMap((port) => paths.map((p) => [port, p] as [number, string])), pids);
    expect(seen.http.length).toBe(ports.length * paths.length);
    for (const h of seen.http) {
      expect(h.get, `GET ${h.port}${h.path}`).not.toBe(200);
      expect(h.upgrade, `upgrade ${h.port}${h.path}`).not.toBe(101);
    }
    const tokens = [lines.node!.pathname.slice(1), lines.browser!.pathname.split('/').pop()!];
    for (const p of seen.procs) {
      expect(p.environ, `/proc/${p.pid}/environ`).toMatch(/^ERR:/);
      for (const t of tokens) expect(p.cmdline).not.toContain(t);
    }
  });

  it('lets the probe in with the real path (positive control), then refuses any second client', () => {
    const url = lines.node!;
    const first = asNobody([[Number(url.port), url.pathname]], []);
    expect(first.http[0]!.upgrade).toBe(101);
    const second = asNobody([[Number(url.port), url.pathname]], []);
    expect(second.http[0]!.upgrade).not.toBe(101);
  });
});

describe.skipIf(!canRunAsOtherUser)('stale stand-in profiles of another user', () => {
  it('skips a dead pid\'s profile folder it cannot remove and still removes its own', () => {
    const shared = mkdtempSync(join(tmpdir(), 'conform-shared-tmp-'));
    try {
      chmodSync(shared, 0o1777); // like /tmp: sticky, so nobody cannot remove root's folder
      let dead = 4_000_000;
      while (pidExists(dead)) dead--;
      const theirs = join(shared, `conform-standin-${dead}-root`);
      const mine = join(shared, `conform-standin-${dead}-nobody`);
      mkdirSync(join(theirs, 'Default'), { recursive: true });
      mkdirSync(mine);
      chownSync(mine, 65534, 65534);
      // nobody may not be able to read the checkout (a clone in a 0700 temp folder): run a copy of
      // the module (and the one it requires) from a folder everyone can read.
      const code = join(shared, 'code');
      mkdirSync(code);
      for (const f of ['chromium.cjs', 'cdp.cjs']) copyFileSync(join(import.meta.dirname, '..', '..', 'runner', 'standin', 'main', f), join(code, f));
      chmodSync(code, 0o755);
      const chromiumCjs = join(code, 'chromium.cjs');
      const r = spawnSync('/usr/sbin/runuser', ['-u', 'nobody', '--', process.execPath, '-e', `require(${JSON.stringify(chromiumCjs)}).removeStaleProfiles(); console.log('done')`],
        { encoding: 'utf8', cwd: '/', env: { ...process.env, TMPDIR: shared }, timeout: 30_000 });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe('done');
      expect(existsSync(theirs)).toBe(true);
      expect(existsSync(mine)).toBe(false);
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });
});

function pidExists(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}
