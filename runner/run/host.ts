// The run's own folder and the host it must leave alone: every launch's HOME/XDG/TMPDIR/userData
// and every generated path live in the run folder; a snapshot of the host's temp dir and the real
// HOME before and after the run shows whatever the app still changed outside it (host.untouched).
import { lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostChange } from '../checks/observations.ts';

export const RUN_DIR_PREFIX = 'conform-run-';

/**
 * The run's folder in the host temp dir. Its name depends on pid and seed only, so generated path
 * values (which contain it) are the same for the same seed; a second concurrent run of the same
 * seed in this process gets a suffix.
 */
export function createRunFolder(seed: number): string {
  for (let i = 0; ; i++) {
    const dir = join(tmpdir(), `${RUN_DIR_PREFIX}${process.pid}-s${seed}${i ? `-${i}` : ''}`);
    try {
      mkdirSync(dir);
      mkdirSync(join(dir, 'paths'));
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

export function removeRunFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Entries Conform itself makes in the temp dir (runs, launches, Playwright, tsx), never the app's. */
const OWN_ENTRIES = /^(conform-|playwright|tsx-|\.org\.chromium\.)/;

type Entries = Map<string, string>;
export interface HostSnapshot {
  roots: { label: string; dir: string; entries: Entries }[];
}

/** Top-level entries of a folder: name -> kind, size and mtime (directories: kind only, their insides are not walked). */
function entriesOf(dir: string, ignore?: RegExp): Entries {
  const out: Entries = new Map();
  let names: string[] = [];
  try { names = readdirSync(dir); } catch { return out; }
  for (const name of names) {
    if (ignore?.test(name)) continue;
    try {
      const st = lstatSync(join(dir, name));
      out.set(name, st.isDirectory() ? 'dir' : `${st.isSymbolicLink() ? 'link' : 'file'} ${st.size} ${Math.round(st.mtimeMs)}`);
    } catch { /* gone meanwhile */ }
  }
  return out;
}

/** The host's temp dir and the real HOME (Conform's own, not the app's), one level deep. */
export function snapshotHost(): HostSnapshot {
  const roots = [{ label: 'temp dir', dir: tmpdir(), ignore: OWN_ENTRIES }, { label: 'HOME', dir: homedir(), ignore: undefined }];
  return { roots: roots.filter((r, i) => i === 0 || r.dir !== roots[0]!.dir).map((r) => ({ label: r.label, dir: r.dir, entries: entriesOf(r.dir, r.ignore) })) };
}

/**
 * What changed between two snapshots. Linux does not record who made a file, and other programs
 * write to a shared temp dir all the time, so a change is tied to the app only by evidence: the
 * entry's name contains one of `appNames`, or its path occurs in `seen` (what main saw and sent).
 */
export function diffHost(before: HostSnapshot, after: HostSnapshot, appNames: string[], seen: string): HostChange[] {
  const names = appNames.map((n) => n.toLowerCase()).filter((n) => n.length >= 3);
  const byApp = (name: string, path: string) => names.some((n) => name.toLowerCase().includes(n)) || seen.includes(path);
  const out: HostChange[] = [];
  const push = (where: string, dir: string, name: string, change: HostChange['change']) => {
    const path = join(dir, name);
    out.push({ where, path, change, byApp: byApp(name, path) });
  };
  for (const b of before.roots) {
    const a = after.roots.find((r) => r.dir === b.dir);
    if (!a) continue;
    for (const [name, now] of a.entries) {
      const was = b.entries.get(name);
      if (was === undefined) push(b.label, b.dir, name, 'created');
      else if (was !== now && now !== 'dir') push(b.label, b.dir, name, 'changed');
    }
    for (const name of b.entries.keys()) if (!a.entries.has(name)) push(b.label, b.dir, name, 'removed');
  }
  return out;
}
