// Runtime choice (real Electron vs stand-in, which Chromium) and launchApp's failure path.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../cli/errors.ts';
import { findInstalledElectron, launchApp, resolveRuntime, standinExecutable } from '../../runner/runtime.ts';

const ENV_KEYS = ['CONFORM_ELECTRON', 'CONFORM_CHROMIUM', 'CONFORM_RUNTIME'] as const;
let saved: Record<string, string | undefined> = {};
let dir: string;

beforeEach(() => {
  saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  dir = mkdtempSync(join(tmpdir(), 'conform-runtime-test-'));
});
afterEach(() => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  rmSync(dir, { recursive: true, force: true });
});

function fakeExecutable(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, 0o755);
  return path;
}

describe('resolveRuntime', () => {
  it('uses the stand-in with Debian Chromium when no Electron binary is installed (the npm package alone does not count)', () => {
    const r = resolveRuntime({ appDir: dir });
    expect(r.kind).toBe('standin');
    expect(r.executablePath).toBe(standinExecutable);
    expect(r.chromiumPath).toBe('/usr/bin/chromium');
    expect(r.reason).toMatch(/stand-in/);
  });

  it('finds an installed Electron binary from node_modules/electron/path.txt without loading the package', () => {
    const pkg = join(dir, 'node_modules', 'electron');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    // index.js would download the binary: make loading it fail loudly if anything ever does.
    writeFileSync(join(pkg, 'index.js'), "throw new Error('must not be loaded')");
    fakeExecutable(join(pkg, 'dist', 'electron'));
    const app = join(dir, 'app');
    mkdirSync(app);
    expect(findInstalledElectron(app)).toBe(join(pkg, 'dist', 'electron'));
    const r = resolveRuntime({ appDir: app });
    expect(r).toMatchObject({ kind: 'electron', executablePath: join(pkg, 'dist', 'electron') });
    process.env.CONFORM_RUNTIME = 'standin';
    expect(resolveRuntime({ appDir: app }).kind).toBe('standin');
  });

  it('ignores a path.txt whose binary is missing (download failed)', () => {
    const pkg = join(dir, 'node_modules', 'electron');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(resolveRuntime({ appDir: dir }).kind).toBe('standin');
  });

  it('lets --electron and CONFORM_ELECTRON force a binary, with --electron winning', () => {
    const a = fakeExecutable(join(dir, 'a', 'electron'));
    const b = fakeExecutable(join(dir, 'b', 'electron'));
    process.env.CONFORM_ELECTRON = a;
    expect(resolveRuntime()).toMatchObject({ kind: 'electron', executablePath: a });
    expect(resolveRuntime({ electron: b })).toMatchObject({ kind: 'electron', executablePath: b });
    expect(resolveRuntime({ electron: b }).reason).toMatch(/--electron/);
  });

  it('rejects a forced Electron path that is not executable with a UsageError naming the source', () => {
    process.env.CONFORM_ELECTRON = join(dir, 'nope');
    expect(() => resolveRuntime()).toThrow(UsageError);
    expect(() => resolveRuntime()).toThrow(/CONFORM_ELECTRON points at .*nope/);
    delete process.env.CONFORM_ELECTRON;
    expect(() => resolveRuntime({ electron: join(dir, 'x') })).toThrow(/--electron points at/);
  });

  it('takes Chromium from CONFORM_CHROMIUM and rejects a bad one clearly', () => {
    const c = fakeExecutable(join(dir, 'chrome'));
    process.env.CONFORM_CHROMIUM = c;
    expect(resolveRuntime({ appDir: dir })).toMatchObject({ kind: 'standin', chromiumPath: c });
    process.env.CONFORM_CHROMIUM = join(dir, 'missing-chrome');
    expect(() => resolveRuntime({ appDir: dir })).toThrow(UsageError);
    expect(() => resolveRuntime({ appDir: dir })).toThrow(/CONFORM_CHROMIUM points at .*missing-chrome/);
  });
});

describe('launchApp', () => {
  it('fails with a one-line reason for a missing main script and leaves no temp folder or profile', async () => {
    // A private TMPDIR (read by os.tmpdir() at call time, inherited by the app) makes leftovers countable.
    const privateTmp = join(dir, 'tmp');
    mkdirSync(privateTmp);
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      await expect(launchApp({ main: join(dir, 'missing-main.js'), timeoutMs: 20_000 })).rejects.toThrow(/could not start .*missing-main\.js on Electron stand-in.*app said: Error launching app Unable to find Electron app at .*missing-main\.js/);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    }
    const deadline = Date.now() + 15_000; // the killed Chromium's reaper removes its profile; slow under load
    while (readdirSync(privateTmp).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(privateTmp)).toEqual([]);
  });

  // Apps that die at start must not make Playwright's launcher reject promises nobody handles
  // (vitest reports those as errors of the whole run, so these tests fail the run if they come back).
  it('fails cleanly with a one-line reason for a missing -r module', async () => {
    const main = join(import.meta.dirname, '../fixtures/apps/basic/main.cjs');
    await expect(launchApp({ main, require: [join(dir, 'no-such-hook.cjs')], timeoutMs: 20_000 }))
      .rejects.toThrow(/could not start .*main\.cjs.*app said: Error launching app: cannot find the -r module .*no-such-hook\.cjs/);
  });

  it('lets an app that quits while it loads exit with code 0 once Playwright attached', async () => {
    const main = join(import.meta.dirname, '../fixtures/apps/quits-at-start/main.cjs');
    let launched: Awaited<ReturnType<typeof launchApp>> | undefined;
    try {
      launched = await launchApp({ main, timeoutMs: 20_000 });
    } catch (err) {
      // Playwright may also see the exit while it still initializes: then the launch fails.
      expect((err as Error).message).toMatch(/could not start .*quits-at-start/);
      return;
    }
    try {
      const proc = launched.app.process();
      const code = proc.exitCode ?? await new Promise<number | null>((r) => proc.once('exit', (c) => r(c)));
      expect(code).toBe(0);
    } finally {
      await launched.close();
    }
  });
});

describe('the Electron the stand-in says it is', () => {
  it("process.versions.electron in main is the version the app declares (test/runner/apps/electron41: 41.2.0)", { timeout: 60_000 }, async () => {
    const main = join(import.meta.dirname, '..', 'runner', 'apps', 'electron41');
    // node: the host's binary, so nothing is downloaded for the Node Electron 41 ships.
    const launched = await launchApp({ main, node: process.execPath, timeoutMs: 30_000 });
    try {
      expect(await launched.app.evaluate(() => process.versions.electron)).toBe('41.2.0');
    } finally {
      await launched.close();
    }
  });
});
