// Which Node an Electron release ships, from maintained data packages (never a hand table):
// `electron-dependencies` (Electron 29 on), read lazily, only when a mapping is asked for (5.5 MB of
// JSON). Older releases and releases newer than the data fall back to the npm registry:
// `electron@<v>` depends on the `@types/node` of the Node major it ships (online only; the major
// alone is known then). `electron-releases` (up to 23) was left out: 73 MB installed, and every
// Electron before 29 ships a Node older than the stand-in runs on, so main takes the host's anyway.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import semver from 'semver';

/** npm flags for a registry question: offline, npm's default retries take over a minute before it gives up. */
export const NPM_QUICK = ['--fetch-retries=1', '--fetch-retry-mintimeout=1000', '--fetch-retry-maxtimeout=3000'];

export interface ElectronNode {
  /** The concrete Electron version looked up (a range's lowest version). */
  electron: string;
  /** The Node version it ships: exact ("24.14.0"), or a major alone ("24") from the registry fallback. */
  node: string;
  /** Where the answer came from, for the run header. */
  source: string;
  /** The known release whose Node was taken when `electron` itself is not in the data. */
  nearest?: string;
}

/** Electron version -> Node version it ships. */
type NodeTable = Map<string, string>;

const require = createRequire(import.meta.url);
const tables: { name: string; load(): NodeTable; loaded?: NodeTable }[] = [
  {
    name: 'electron-dependencies',
    load: () => {
      const index = require('electron-dependencies/index.json') as Record<string, { deps?: { node?: { version?: string } } }>;
      return new Map(Object.entries(index).flatMap(([v, r]) => (r.deps?.node?.version ? [[v, r.deps.node.version] as [string, string]] : [])));
    },
  },
];

function table(t: (typeof tables)[number]): NodeTable {
  t.loaded ??= t.load();
  return t.loaded;
}

/**
 * The Electron version an app's declaration stands for: an exact version as it is, a range's
 * lowest version (an app must work on it); undefined for what names no version (a tag, a path).
 */
export function electronVersionOf(spec: string): string | undefined {
  const exact = semver.valid(spec);
  if (exact) return exact;
  try {
    const min = semver.minVersion(spec)?.version;
    // "*", "latest"-like ranges say nothing about which Electron the app is built for.
    return min && min !== '0.0.0' ? min : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The known release of `version`'s major closest below it, else the closest above it. A stable
 * version takes stable releases only: nightlies were often built before their major's Node upgrade.
 */
function nearestInMajor(known: Iterable<string>, version: string): string | undefined {
  const major = semver.major(version);
  const stable = !semver.prerelease(version);
  const same = [...known].filter((v) => semver.valid(v) && semver.major(v) === major && (!stable || !semver.prerelease(v))).sort(semver.compare);
  return same.filter((v) => semver.lte(v, version)).pop() ?? same.find((v) => semver.gt(v, version));
}

/** `npm view electron@<v> dependencies`: the @types/node major Electron depends on. Throws offline. */
export function nodeMajorFromRegistry(electron: string): string | undefined {
  const out = execFileSync('npm', ['view', `electron@${electron}`, 'dependencies', '--json', ...NPM_QUICK], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const range = (JSON.parse(out || '{}') as Record<string, string>)['@types/node'];
  const min = range ? semver.minVersion(range) : null;
  return min ? String(min.major) : undefined;
}

/**
 * The Node the declared Electron ships: the exact release in a data package, else the nearest
 * known release of the same major, else (online) the registry's @types/node major; undefined when
 * nothing is known (no version, or offline for a release the data lacks).
 */
export function nodeForElectron(spec: string, fromRegistry: (electron: string) => string | undefined = nodeMajorFromRegistry): ElectronNode | undefined {
  const electron = electronVersionOf(spec);
  if (!electron) return undefined;
  for (const t of tables) {
    const node = table(t).get(electron);
    if (node) return { electron, node, source: t.name };
  }
  for (const t of tables) {
    const nearest = nearestInMajor(table(t).keys(), electron);
    if (nearest) return { electron, node: table(t).get(nearest)!, source: t.name, nearest };
  }
  try {
    const major = fromRegistry(electron);
    if (major) return { electron, node: major, source: `the npm registry: electron@${electron} depends on @types/node ${major}` };
  } catch {
    // Offline: nothing is known about this release.
  }
  return undefined;
}
