// `conform run <pack> --app <path>`: drive an app through its bridge and check it against its pack.
// Exit code 0 when every check passed (or was skipped, or failed but is baselined or waived), 1 on
// contract violations, 2 on usage or contract-file errors, 130 when interrupted.
import type { Command } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FILE_REPORTERS, REPORTER_NAMES } from '../../reports/run/index.ts';
import { ListReporter } from '../../reports/run/list.ts';
import { byChannel, type RunReport } from '../../reports/run/model.ts';
import { blockingFailures, gateReport } from '../gate/gate.ts';
import { loadGate, writeBaseline } from '../gate/files.ts';
import { parseShard } from '../shard/partition.ts';
import { AppUnusable, RunInterrupted, runConformance } from '../run.ts';
import { oneParagraph, UsageError } from './errors.ts';

interface RunCliOptions {
  app: string;
  electron?: string;
  seed: string;
  grep?: string;
  reporter: string;
  out: string;
  callTimeout: string;
  streamTimeout: string;
  baseline?: string;
  updateBaseline?: string;
  waivers?: string;
  shard?: string;
}

/** Flags shared by `run` and `merge-reports`: the gate and the report files. */
export function reporterList(raw: string): string[] {
  const reporters = raw.split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = reporters.filter((r) => !REPORTER_NAMES.includes(r));
  if (unknown.length) throw new UsageError(`unknown reporter ${unknown.join(', ')}; use one or more of ${REPORTER_NAMES.join(', ')}`);
  return reporters;
}

/** Writes each file reporter's output to `out`, printing where. */
export function writeReports(report: RunReport, reporters: string[], out: string): void {
  const files = reporters.filter((r) => r !== 'list');
  if (!files.length) return;
  mkdirSync(out, { recursive: true });
  for (const r of files) {
    const target = join(out, FILE_REPORTERS[r]!.file);
    writeFileSync(target, FILE_REPORTERS[r]!.render(report));
    process.stdout.write(`${r} report: ${target}\n`);
  }
}

/** With `file`: records the report's findings there and gates against them (they are known now). */
export function updateBaseline(report: RunReport, gate: ReturnType<typeof loadGate>, file: string | undefined): ReturnType<typeof loadGate> {
  if (!file) return gate;
  const n = writeBaseline(file, report.pack, report.seed, report.checks);
  process.stdout.write(`baseline: ${n} finding(s) recorded in ${file}\n`);
  return { ...gate, baseline: loadGate({ baseline: file }).baseline };
}

/** 1 when a finding fails the run (neither baselined nor waived), else 0. */
export function exitCodeOf(report: RunReport): number {
  return blockingFailures(report.checks).length > 0 ? 1 : 0;
}

function intOption(name: string, raw: string, min: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new UsageError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return Number(raw);
}

export function register(program: Command): void {
  program
    .command('run')
    .description('Launch an app (real Electron or the stand-in) and check every channel of a pack through its bridge')
    .argument('<pack>', 'pack name (specs/packs/<name>) or pack folder')
    .requiredOption('--app <path>', "the app's main script or its folder")
    .option('--electron <path>', 'Electron binary to use (default: installed Electron, else the stand-in)')
    .option('--seed <n>', 'seed for generated inputs (same seed, same inputs)', '1')
    .option('--grep <pattern>', 'only channels matching: substring, glob with *, or /regex/')
    .option('--reporter <list>', `comma-separated reporters: ${REPORTER_NAMES.join(', ')}`, 'list')
    .option('--out <dir>', 'folder for report files', 'conform-report')
    .option('--call-timeout <ms>', 'timeout of one call inside the renderer', '3000')
    .option('--stream-timeout <ms>', 'longest wait for a stream to end (caps the contract budgets)', '15000')
    .option('--baseline <file>', 'fail only on findings not in this baseline; report fixed ones')
    .option('--update-baseline <file>', "record this run's findings as the baseline (they then pass as baselined)")
    .option('--waivers <file>', 'YAML/JSON list of { check, channel?, reason, expires? }: matching findings are waived')
    .option('--shard <i/n>', 'run part i of n (streams and prerequisite chains kept together); merge with merge-reports')
    .action(async (packArg: string, o: RunCliOptions) => {
      const reporters = reporterList(o.reporter);
      const shard = o.shard ? parseShard(o.shard) : undefined;
      if (shard && o.updateBaseline) throw new UsageError(`--update-baseline with --shard would record one shard's findings only; record the baseline from the merged run: conform merge-reports <dirs...> --update-baseline ${o.updateBaseline}`);
      // Read before the run: a bad baseline or waiver file fails in a second, not after the app ran.
      const gate = loadGate({ baseline: o.baseline, waivers: o.waivers });
      const seed = intOption('--seed', o.seed, 0);
      const callTimeoutMs = intOption('--call-timeout', o.callTimeout, 100);
      const streamTimeoutMs = intOption('--stream-timeout', o.streamTimeout, 100);
      const app = resolve(o.app);
      if (!existsSync(app)) throw new UsageError(`--app ${o.app}: no such file or folder`);
      if (o.electron && !existsSync(o.electron)) throw new UsageError(`--electron ${o.electron}: no such file`);

      const list = reporters.includes('list') ? new ListReporter(process.stdout) : null;
      const controller = new AbortController();
      const onSigint = () => {
        process.stderr.write('\nconform: interrupted, stopping the app ...\n');
        controller.abort();
      };
      process.once('SIGINT', onSigint);
      process.once('SIGTERM', onSigint);
      let outcome;
      try {
        outcome = await runConformance({
          pack: packArg, app, electron: o.electron, seed, grep: o.grep, shard, callTimeoutMs, streamTimeoutMs, signal: controller.signal,
          progress: list ? { channelStarted: (c) => list.channelStarted(c), note: (m) => list.note(m) } : undefined,
        });
      } catch (err) {
        // After Ctrl-C the app may die under the run first (Playwright closes it on SIGINT too), so
        // whatever error follows is the interruption.
        if (err instanceof RunInterrupted || controller.signal.aborted) {
          process.exitCode = 130;
          return;
        }
        if (err instanceof AppUnusable) {
          // The app itself does not start or stay up: a finding about the app, not a usage error.
          process.stderr.write(`conform: ${oneParagraph(err.message)}\n${err.stderrTail.length ? `last stderr lines of the app:\n${err.stderrTail.join('\n')}\n` : ''}`);
          process.exitCode = 1;
          return;
        }
        throw err;
      } finally {
        process.removeListener('SIGINT', onSigint);
        process.removeListener('SIGTERM', onSigint);
      }
      if (controller.signal.aborted) {
        process.exitCode = 130;
        return;
      }
      const report = gateReport(outcome.report, updateBaseline(outcome.report, gate, o.updateBaseline));
      if (list) {
        for (const g of byChannel(report)) list.channelDone(g.channel, g.checks);
        list.finish(report);
      }
      writeReports(report, reporters, o.out);
      process.exitCode = exitCodeOf(report);
    });
}
