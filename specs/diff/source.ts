// Where a side of a diff comes from: a pack folder, a pack name (under specs/packs), or
// `<git ref>:<path>` read straight from git objects (`git ls-tree` + `git show`, no checkout).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { loadPackFromSourcesSync, loadPackSync } from '../loader.ts';
import { ContractError } from '../model.ts';
import type { Pack } from '../model.ts';

export interface SideOptions {
  /** Working directory: git runs here and folders resolve against it. Default process.cwd(). */
  cwd?: string;
}

/** `<ref>:<path>` when the argument is not an existing path and looks like one. */
export function parseGitSpec(arg: string, cwd: string): { ref: string; path: string } | undefined {
  if (existsSync(resolve(cwd, arg))) return undefined;
  const m = /^([^:\s]+):(.*)$/.exec(arg);
  if (!m || m[1]!.length === 1) return undefined; // `C:\...` is a drive, not a ref
  return { ref: m[1]!, path: m[2]!.replace(/^\.\//, '').replace(/\/+$/, '') || '.' };
}

function git(args: string[], cwd: string): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const why = (e.stderr || e.message).trim().split('\n')[0];
    throw new ContractError(`git ${args.join(' ')} failed in ${cwd}: ${why}`);
  }
}

/** The YAML files directly in `<path>` at `<ref>`, as `{ file name: text }`; undefined if none. */
export function readPackAtRef(ref: string, path: string, cwd: string): Record<string, string> | undefined {
  // `--full-name` makes the listed paths repository-relative, which is what `git show ref:path` wants.
  const listing = git(['ls-tree', '--full-name', '--name-only', ref, '--', `${path === '.' ? '' : path + '/'}`], cwd);
  const files = listing.split('\n').filter((f) => f.endsWith('.yaml'));
  if (files.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const f of files) out[posix.basename(f)] = git(['show', `${ref}:${f}`], cwd);
  return out;
}

/** Load one side of a diff; returns the pack and a label saying where it came from. */
export function loadSide(arg: string, opts: SideOptions = {}): { pack: Pack; source: string } {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const spec = parseGitSpec(arg, cwd);
  if (!spec) {
    const asPath = resolve(cwd, arg);
    return { pack: loadPackSync(existsSync(asPath) ? asPath : arg), source: arg };
  }
  const { ref, path } = spec;
  const sources = readPackAtRef(ref, path, cwd);
  if (!sources) throw new ContractError(`${arg}: no YAML files in ${path} at ${ref}`);
  if (!sources['contract.yaml']) throw new ContractError(`${arg}: no contract.yaml in ${path} at ${ref}`);
  const name = posix.basename(path === '.' ? resolve(cwd) : path);
  const parent = posix.dirname(path);
  const cache = new Map<string, Record<string, string> | undefined>();
  // Includes and cross-pack $refs read the sibling packs at the same ref.
  const sourcesOf = (other: string) => {
    if (!cache.has(other)) cache.set(other, readPackAtRef(ref, parent === '.' ? other : `${parent}/${other}`, cwd));
    return cache.get(other);
  };
  const pack = loadPackFromSourcesSync(name, sources, { packsDir: resolve(cwd, parent), sourcesOf });
  return { pack, source: arg };
}
