// The package as a user gets it: `npm pack`, installed into a fresh project outside the repo that
// holds a small Electron app (notes-app) and nothing of the clone. There: `conform init`, `conform
// run` (first without the backend the app needs, then with it from the config's launch.servers),
// one vitest suite on conform/vitest and one @playwright/test suite on conform/playwright.
// Slow (npm install); npm's cache folder persists in the temp dir, so a second run is faster.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const APP = fileURLToPath(new URL('./notes-app/', import.meta.url));
const NPM_CACHE = join(tmpdir(), 'conform-package-test-npm-cache');
const version = (pkg: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

/** A clean environment: nothing of the clone (NODE_PATH, npm_* of an outer npm, vitest's worker vars). */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = { ELECTRON_SKIP_BINARY_DOWNLOAD: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', npm_config_cache: NPM_CACHE, CI: '1', NO_COLOR: '1' };
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'CONFORM_CHROMIUM', 'CONFORM_RUNTIME']) if (process.env[k]) env[k] = process.env[k]!;
  return env;
}

interface Ran { code: number | null; out: string }

/** Run a command to its end (its whole process group is killed on timeout); output interleaved. */
function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<Ran> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd, env: cleanEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => {
      out += `\n[killed after ${timeoutMs} ms]`;
      try { process.kill(-p.pid!, 'SIGKILL'); } catch { /* gone */ }
    }, timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' }, () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/** Processes whose command line names `dir` (the app, its backend, the stand-in's Chromium). */
function processesIn(dir: string): string[] {
  const left: string[] = [];
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(dir) && !/^\S*npm/.test(cmdline)) left.push(`${pid}: ${cmdline.slice(0, 200)}`);
    } catch { /* exited meanwhile */ }
  }
  return left;
}

describe('conform installed from its tarball into another project', () => {
  let work: string;
  let project: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'conform-package-'));
    project = join(work, 'notes-app');
    // prepack builds dist/, postpack removes it again: the clone keeps running its sources.
    const packed = await run('npm', ['pack', '--pack-destination', work, '--silent'], ROOT, 300_000);
    expect(packed.code, packed.out).toBe(0);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball, packed.out).toBeDefined();
    cpSync(APP, project, { recursive: true });
    const installed = await run('npm', ['install', '-D', '--no-audit', '--no-fund', '--prefer-offline', join(work, tarball!),
      `@playwright/test@${version('playwright-core')}`, `vitest@${version('vitest')}`], project, 600_000);
    expect(installed.code, installed.out).toBe(0);
    // No Electron binary anywhere: the app runs on Conform's stand-in.
    expect(existsSync(join(project, 'node_modules', 'electron', 'dist'))).toBe(false);
  }, 900_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('init drafts the pack, config and CI workflow; run explains an app that cannot start, then checks it with its backend', async () => {
    const init = await run('npx', ['conform', 'init'], project, 120_000);
    expect(init.code, init.out).toBe(0);
    expect(init.out).toMatch(/found main: main\.js .*\n.*found preload: preload\.js \(webPreferences\.preload in main\.js\)/);
    expect(init.out).toMatch(/Next steps:\n  1\. .*\n  2\. .*\n  3\. /);
    for (const f of ['contract/contract.yaml', 'conform.config.mjs', '.github/workflows/conform.yml']) expect(existsSync(join(project, f)), f).toBe(true);
    expect(readFileSync(join(project, 'contract/contract.yaml'), 'utf8')).toContain('bridge: window.notes.add');

    // Right after init the app starts without its backend: exit 1, explained with the app's own output.
    const bare = await run('npx', ['conform', 'run'], project, 180_000);
    expect(bare.code, bare.out).toBe(1);
    expect(bare.out).toMatch(/notes-app: backend .* is not reachable/);

    // The user's next steps: the backend in launch.servers, the reviewed pack.
    const port = await freePort();
    const config = join(project, 'conform.config.mjs');
    const text = readFileSync(config, 'utf8')
      .replace('env: {},', `env: { NOTES_BACKEND: 'http://127.0.0.1:${port}' },`)
      .replace('servers: [],', `servers: [{ command: 'node backend.js', env: { PORT: '${port}' }, ready: { url: 'http://127.0.0.1:${port}/health' } }],`);
    expect(text).toContain('servers: [{');
    writeFileSync(config, text);
    cpSync(join(project, 'reviewed', 'contract.yaml'), join(project, 'contract', 'contract.yaml'));

    const checked = await run('npx', ['conform', 'run', '--reporter', 'list,json'], project, 300_000);
    expect([0, 1], checked.out).toContain(checked.code);
    const report = JSON.parse(readFileSync(join(project, 'conform-report', 'conform-report.json'), 'utf8')) as { summary: { failed: number; passed: number }; checks: { channel: string | null; status: string }[] };
    expect(checked.code, checked.out).toBe(report.summary.failed > 0 ? 1 : 0);
    // backend:status answers only when the config's server ran; it was stopped after the run.
    expect(report.checks.filter((c) => c.channel === 'backend:status' && c.status === 'passed').length, checked.out).toBeGreaterThan(0);
    expect(await listening(port)).toBe(false);
    expect(processesIn(project)).toEqual([]);
  }, 600_000);

  it('a vitest suite on conform/vitest and a @playwright/test suite on conform/playwright pass', async () => {
    const vitest = await run('npx', ['vitest', 'run', 'test/'], project, 300_000);
    expect(vitest.code, vitest.out).toBe(0);
    expect(vitest.out).toMatch(/Tests\s+2 passed/);

    const pw = await run('npx', ['playwright', 'test'], project, 300_000);
    expect(pw.code, pw.out).toBe(0);
    const result = JSON.parse(readFileSync(join(project, 'playwright-report.json'), 'utf8')) as { stats: { expected: number; unexpected: number }; suites: { specs: { tests: { results: { steps: { title: string }[] }[] }[] }[] }[] };
    expect(result.stats).toMatchObject({ expected: 2, unexpected: 0 });
    // Every contract step is a Playwright step (traces and the HTML report show them).
    expect(result.suites[0]!.specs[0]!.tests[0]!.results[0]!.steps.map((s) => s.title)).toEqual(expect.arrayContaining(['conform.call notes:add', 'conform.callRejecting notes:add']));
    expect(processesIn(project)).toEqual([]);
  }, 600_000);
});
