// Which Node runs main: the app's declared Electron is named, a binary or a cached version is used,
// and without network or cache the host's Node is used with a warning (never a failure).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { appElectronVersion, chooseNode } from '../../runner/standin/node-choice.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'conform-node-choice-'));
const savedCache = process.env.XDG_CACHE_HOME;
afterEach(() => {
  if (savedCache === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = savedCache;
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A stand-in node binary that only answers --version. */
function fakeNode(file: string, version: string): string {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `#!/bin/sh\necho v${version}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('node choice', () => {
  it("reads the app's Electron version from its lockfile, else package.json", () => {
    expect(appElectronVersion(join(root, 'test/runner/apps/startup'))).toBe('^41.7.1');
    expect(appElectronVersion(join(root, 'test/runner/apps/startup/main.cjs'))).toBe('^41.7.1');
    const app = join(tmp, 'locked');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'x', devDependencies: { electron: '^41.0.0' } }));
    writeFileSync(join(app, 'package-lock.json'), JSON.stringify({ packages: { 'node_modules/electron': { version: '41.2.3' } } }));
    expect(appElectronVersion(app)).toBe('41.2.3');
  });

  it('a --node binary is used and named; a missing one is a usage error', () => {
    const bin = fakeNode(join(tmp, 'bin', 'node'), '24.1.0');
    const c = chooseNode({ node: bin, app: join(root, 'test/runner/apps/startup') });
    expect(c.path).toBe(bin);
    expect(c.note).toBe('main on Node 24.1.0 (--node), the app declares Electron ^41.7.1');
    expect(() => chooseNode({ node: join(tmp, 'nope'), app: root })).toThrow(/not an executable file/);
  });

  it('a version the registry does not have: the cached one, else the host Node with a warning', { timeout: 120_000 }, () => {
    process.env.XDG_CACHE_HOME = join(tmp, 'cache');
    // 99.x does not exist in the registry: the lookup fails like an offline machine.
    const none = chooseNode({ node: '99', app: root });
    expect(none.path).toBeUndefined();
    expect(none.warning).toMatch(/could not get Node 99 from the npm registry .* none is cached in .*cache\/conform\/node: main runs on the host's Node/);
    const cached = fakeNode(join(tmp, 'cache', 'conform', 'node', '99.1.2', 'bin', 'node'), '99.1.2');
    const c = chooseNode({ node: '99', app: root });
    expect(c.path).toBe(cached);
    expect(c.note).toMatch(/^main on Node 99\.1\.2 \(--node 99, cached\)/);
  });
});
