// Flags over config over defaults, for `conform run`: a flag the user typed wins, a value from
// conform.config.* comes next, commander's default last. Paths from the config are absolute already.
import type { Command } from 'commander';
import { UsageError } from '../cli/errors.ts';
import { loadConfig, type ConformConfig, type ServerConfig } from './index.ts';

/** The string options `conform run` parses, as commander gives them. */
export interface RunFlags {
  config?: string;
  app?: string;
  electron?: string;
  /** `--node <path|version>`: filled from the config's node when not typed. */
  node?: string;
  seed: string;
  grep?: string;
  reporter: string;
  out: string;
  callTimeout: string;
  streamTimeout: string;
  /** `--fail-on error|warning` (issue 12's flag); filled from the config's failOn when not typed. */
  failOn?: string;
  /** `--launch-timeout <s>`: filled from the config's launch.timeout (ms) when not typed. */
  launchTimeout: string;
  /** `--baseline <file>` / `--update-baseline <file>` / `--waivers <file>` (issue 15's gate). */
  baseline?: string;
  updateBaseline?: string;
  waivers?: string;
  /** `--shard i/n` (flag only). */
  shard?: string;
}

export interface MergedRun<F extends RunFlags> {
  pack: string;
  flags: F & { app: string };
  failOn: 'error' | 'warning';
  launch: { args?: string[]; env?: Record<string, string>; cwd?: string; timeoutMs?: number; servers: ServerConfig[] };
  /** The config file used, if any. */
  configFile?: string;
}

/** Which config key feeds which flag, and how its value becomes the flag's string. */
const FLAG_FROM_CONFIG: { [K in keyof RunFlags]?: (c: ConformConfig) => string | undefined } = {
  app: (c) => c.app,
  electron: (c) => c.electron,
  node: (c) => c.node,
  seed: (c) => c.seed?.toString(),
  grep: (c) => c.grep,
  reporter: (c) => c.reporters?.join(','),
  out: (c) => c.out,
  callTimeout: (c) => c.callTimeout?.toString(),
  streamTimeout: (c) => c.streamTimeout?.toString(),
  failOn: (c) => c.failOn,
  baseline: (c) => c.baseline,
  updateBaseline: (c) => c.updateBaseline,
  waivers: (c) => c.waivers,
  launchTimeout: (c) => (c.launch?.timeout === undefined ? undefined : String(Math.ceil(c.launch.timeout / 1000))),
};

export async function mergeRunConfig<F extends RunFlags>(packArg: string | undefined, flags: F, cmd: Command): Promise<MergedRun<F>> {
  const loaded = await loadConfig({ file: flags.config });
  const c = loaded?.config ?? {};
  const merged = { ...flags };
  for (const [key, from] of Object.entries(FLAG_FROM_CONFIG) as [keyof RunFlags, (c: ConformConfig) => string | undefined][]) {
    const typed = cmd.getOptionValueSource(key) === 'cli';
    const value = from(c);
    if (!typed && value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  const pack = packArg ?? c.pack;
  const where = loaded ? `in ${loaded.file}` : 'in a conform.config.* file (none found in this folder; `conform init` writes one)';
  if (!pack) throw new UsageError(`no pack given: pass it as \`conform run <pack>\` or set "pack" ${where}`);
  if (!merged.app) throw new UsageError(`no app given: pass --app <main or folder> or set "app" ${where}`);
  return {
    pack,
    flags: merged as F & { app: string },
    failOn: (merged.failOn ?? c.failOn ?? 'error') as 'error' | 'warning',
    launch: { args: c.launch?.args, env: c.launch?.env, cwd: c.launch?.cwd, timeoutMs: c.launch?.timeout, servers: c.launch?.servers ?? [] },
    configFile: loaded?.file,
  };
}
