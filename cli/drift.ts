// `conform drift <pack> --app <main>`: run the app with the instrumentation hook and no generated
// calls, then compare what it registers, sends and answers (and what its bridge exposes) with the
// pack. Observing happens here; judging in runner/drift.ts.
import { writePrivateFile } from '../runner/private-file.ts';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadPackSync } from '../specs/loader.ts';
import type { MainObservation } from '../runner/checks/observations.ts';
import { launchApp } from '../runner/runtime.ts';
import { driftReport } from '../runner/drift.ts';
import type { DriftObservations } from '../runner/drift.ts';
import { failsOn } from '../specs/diff/engine.ts';
import { FORMATS, render } from '../reports/diff/render.ts';
import type { ReportFormat } from '../reports/diff/render.ts';
import type { Severity } from '../specs/diff/types.ts';
import { UsageError } from './errors.ts';

const INSTRUMENT = fileURLToPath(new URL('../runner/instrument/index.cjs', import.meta.url));

// Runs in the page. Kept as source text: a function compiled by tsx can carry helper calls
// (`__name`) that do not exist in the page.
const BRIDGE_PATHS = `function (roots) {
  const out = [];
  const at = (r) => r.split('.').slice(1).reduce((o, k) => (o == null ? o : o[k]), window);
  const walk = (o, path, depth) => {
    if (o == null || depth > 5) return;
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (typeof v === 'function') out.push(path + '.' + k);
      else if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, path + '.' + k, depth + 1);
    }
  };
  for (const r of roots) walk(at(r), r, 0);
  return out.sort();
}`;
const ROOTS_EXIST = `(roots) => roots.every((r) => r.split('.').slice(1).reduce((o, k) => (o == null ? o : o[k]), window) != null)`;

export interface ObserveOptions {
  main: string;
  /** Bridge roots to wait for and enumerate (`window.api`). */
  roots: string[];
  /** Quiet time after the bridge appeared, for start-up calls and events. */
  settleMs?: number;
  env?: Record<string, string>;
  electron?: string;
  timeoutMs?: number;
}

/** Starts the app, lets it settle without driving it, and returns what main and the bridge showed. */
export async function observeApp(opts: ObserveOptions): Promise<DriftObservations> {
  const launched = await launchApp({ main: opts.main, require: [INSTRUMENT], env: opts.env, electron: opts.electron, timeoutMs: opts.timeoutMs ?? 30_000 });
  try {
    let bridge: string[] | null = null;
    try {
      const page = await launched.app.firstWindow({ timeout: opts.timeoutMs ?? 30_000 });
      await page.waitForFunction(`(${ROOTS_EXIST})(${JSON.stringify(opts.roots)})`, undefined, { timeout: 5_000 }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, opts.settleMs ?? 1_500));
      bridge = (await page.evaluate(`(${BRIDGE_PATHS})(${JSON.stringify(opts.roots)})`)) as string[];
    } catch {
      bridge = null; // no window: only main is judged
    }
    const main: MainObservation[] = [];
    let cursor = 0;
    for (;;) {
      const res = (await launched.app.evaluate((_electron, c: number) => {
        const h = (globalThis as unknown as { __conform?: { drain(c: number): unknown } }).__conform;
        return h ? h.drain(c) : null;
      }, cursor)) as { cursor: number; items: MainObservation[]; more: boolean } | null;
      if (!res) throw new Error('the instrumentation hook did not load in the main process');
      main.push(...res.items);
      cursor = res.cursor;
      if (!res.more) break;
    }
    return { main, bridge };
  } finally {
    await launched.close();
  }
}

export function register(program: Command): void {
  program
    .command('drift <pack>')
    .description('Run the app with no generated calls and report where it drifts from its pack (undocumented channels, missing handlers, payloads outside their schemas); exit 1 when a finding at or above --fail-on exists')
    .requiredOption('--app <main>', "the app's main script or folder")
    .option('--format <format>', `report format: ${FORMATS.join(' | ')}`, 'md')
    .option('--fail-on <severity>', 'lowest severity that fails the run: breaking | warning | info', 'breaking')
    .option('--settle <ms>', 'time to let the app start up before reading what it did', '1500')
    .option('--electron <path>', 'run on this Electron binary instead of the auto-chosen runtime')
    .option('--out <file>', 'write the report to a file instead of stdout')
    .action(async (packArg: string, opts: { app: string; format: string; failOn: string; settle: string; electron?: string; out?: string }) => {
      if (!FORMATS.includes(opts.format as ReportFormat)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${opts.format}")`);
      if (!['breaking', 'warning', 'info'].includes(opts.failOn)) throw new UsageError(`--fail-on must be one of breaking, warning, info (got "${opts.failOn}")`);
      const settleMs = Number(opts.settle);
      if (!Number.isFinite(settleMs) || settleMs < 0) throw new UsageError(`--settle must be a number of milliseconds (got "${opts.settle}")`);
      const pack = loadPackSync(packArg);
      if (pack.transport !== 'electron') throw new UsageError(`drift runs Electron apps; pack ${pack.name} is ${pack.transport}`);
      const obs = await observeApp({ main: opts.app, roots: pack.roots, settleMs, electron: opts.electron });
      const report = driftReport(pack, obs, opts.app);
      const text = render(report, opts.format as ReportFormat);
      if (opts.out) writePrivateFile(opts.out, text);
      else process.stdout.write(text);
      process.exitCode = failsOn(report, opts.failOn as Severity) ? 1 : 0;
    });
}
