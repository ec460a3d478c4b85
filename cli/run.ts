// `conform run <pack> --app <path>`: drive an app through its bridge and check it against its pack.
// Exit code 1 when a finding at or above --fail-on (error by default; warning to be stricter) or a
// blocked check exists that is neither baselined (--baseline) nor waived (--waivers) (an app that
// does not launch included), else 0 (skipped and unverified are reported, not failed); 2 on usage or
// contract-file errors, 130 when interrupted (partial reports are still written). The rule is
// exitCodeOf in reports/run/model.ts, shared with `conform merge-reports`.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { writePrivateFile } from '../runner/private-file.ts';
import { join, resolve } from 'node:path';
import { FILE_REPORTERS, REPORTER_NAMES } from '../reports/run/index.ts';
import { ListReporter } from '../reports/run/list.ts';
import { byChannel, exitCodeOf, type FailOn, type RunReport } from '../reports/run/model.ts';
import { gateReport } from '../runner/gate/gate.ts';
import { loadGate, writeBaseline } from '../runner/gate/files.ts';
import { parseShard } from '../runner/shard/partition.ts';
import { AppUnusable, RunInterrupted, runConformance } from '../runner/run.ts';
import { oneParagraph, UsageError } from './errors.ts';
import { prepareOutDir } from './out-dir.ts';
import { mergeRunConfig, type RunFlags } from '../config/merge.ts';
import { startServers } from '../runner/servers.ts';

type RunCliOptions = RunFlags;

/** Flags shared by `run` and `merge-reports`: the gate and the report files. */
export function reporterList(raw: string): string[] {
  const reporters = raw.split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = reporters.filter((r) => !REPORTER_NAMES.includes(r));
  if (unknown.length) throw new UsageError(`unknown reporter ${unknown.join(', ')}; use one or more of ${REPORTER_NAMES.join(', ')}`);
  return reporters;
}

/** Writes each file reporter's output to `out` (made ready with prepareOutDir first), printing where. */
export function writeReports(report: RunReport, reporters: string[], out: string, partial = false): void {
  const files = reporters.filter((r) => r !== 'list');
  if (!files.length) return;
  const dir = prepareOutDir(out);
  for (const r of files) {
    const target = join(dir, FILE_REPORTERS[r]!.file);
    // 0600: reports show the app's payloads (redacted, but still the app's data).
    writePrivateFile(target, FILE_REPORTERS[r]!.render(report));
    process.stdout.write(`${r}${partial ? ' (partial)' : ''} report: ${target}\n`);
  }
}

/** `--fail-on error|warning`, checked. */
export function failOnOption(raw: string | undefined): FailOn {
  const v = raw ?? 'error';
  if (v !== 'error' && v !== 'warning') throw new UsageError(`--fail-on must be error or warning, got "${v}"`);
  return v;
}

/** With `file`: records the report's findings there and gates against them (they are known now). */
export function updateBaseline(report: RunReport, gate: ReturnType<typeof loadGate>, file: string | undefined): ReturnType<typeof loadGate> {
  if (!file) return gate;
  const n = writeBaseline(file, report.pack, report.seed, report.checks);
  process.stdout.write(`baseline: ${n} finding(s) recorded in ${file}\n`);
  return { ...gate, baseline: loadGate({ baseline: file }).baseline };
}

function intOption(name: string, raw: string, min: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new UsageError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return Number(raw);
}

export function register(program: Command): void {
  program
    .command('run')
    .description('Launch an app (Electron: real Electron or the stand-in; Tauri: the built binary through WebKitWebDriver) and check every channel of a pack')
    .argument('[pack]', 'pack name (specs/packs/<name>) or pack folder (default: "pack" of conform.config.*)')
    .option('--config <file>', 'config file (default: conform.config.{ts,mts,js,mjs,cjs,json} in this folder); flags override it')
    .option('--app <path>', "the app's main script or its folder; for a Tauri pack, the built app binary (default: \"app\" of the config)")
    .option('--electron <path>', 'Electron binary to use (default: installed Electron, else the stand-in)')
    .option('--seed <n>', 'seed for generated inputs (same seed, same inputs)', '1')
    .option('--grep <pattern>', 'only channels matching: substring, glob with *, or /regex/')
    .option('--reporter <list>', `comma-separated reporters: ${REPORTER_NAMES.join(', ')}`, 'list')
    .option('--out <dir>', 'folder for report files', 'conform-report')
    .option('--call-timeout <ms>', 'timeout of one call inside the renderer', '3000')
    .option('--stream-timeout <ms>', 'longest wait for a stream to end (caps the contract budgets)', '15000')
    .option('--fail-on <severity>', 'lowest finding severity that fails the run (exit 1): error | warning; blocked checks always fail it', 'error')
    .option('--node <path|version>', "node for the app's main on the stand-in: a binary, or a version (24, 24.11.1) taken from the npm registry into a cache (default: the Node the app's Electron ships)")
    .option('--launch-timeout <s>', "longest wait for the app's process and first window, per launch (seconds)", '30')
    .option('--baseline <file>', 'fail only on findings not in this baseline; report fixed ones')
    .option('--update-baseline <file>', "record this run's findings as the baseline (they then pass as baselined)")
    .option('--waivers <file>', 'YAML/JSON list of { check, channel?, reason, expires? }: matching findings are waived')
    .option('--shard <i/n>', 'run part i of n (streams and prerequisite chains kept together); merge with merge-reports')
    .action(async (packFlag: string | undefined, flags: RunCliOptions, cmd: Command) => {
      const { pack: packArg, flags: o, launch } = await mergeRunConfig(packFlag, flags, cmd);
      const reporters = reporterList(o.reporter);
      const failOn = failOnOption(o.failOn);
      const shard = o.shard ? parseShard(o.shard) : undefined;
      if (shard && o.updateBaseline) throw new UsageError(`--update-baseline with --shard would record one shard's findings only; record the baseline from the merged run: conform merge-reports <dirs...> --update-baseline ${o.updateBaseline}`);
      // Read before the run: a bad baseline or waiver file fails in a second, not after the app ran.
      const gate = loadGate({ baseline: o.baseline, waivers: o.waivers });
      const seed = intOption('--seed', o.seed, 0);
      const callTimeoutMs = intOption('--call-timeout', o.callTimeout, 100);
      const streamTimeoutMs = intOption('--stream-timeout', o.streamTimeout, 100);
      const launchTimeoutMs = intOption('--launch-timeout', o.launchTimeout, 1) * 1000;
      const app = resolve(o.app);
      if (!existsSync(app)) throw new UsageError(`--app ${o.app}: no such file or folder`);
      if (o.electron && !existsSync(o.electron)) throw new UsageError(`--electron ${o.electron}: no such file`);
      const files = reporters.filter((r) => r !== 'list');
      // Before the app launches: a run must never end with nowhere to put its reports.
      const outDir = files.length ? prepareOutDir(o.out) : resolve(o.out);

      const list = reporters.includes('list') ? new ListReporter(process.stdout) : null;
      const controller = new AbortController();
      const onSigint = () => {
        process.stderr.write('\nconform: interrupted, stopping the app ...\n');
        controller.abort();
      };
      process.once('SIGINT', onSigint);
      process.once('SIGTERM', onSigint);
      let outcome;
      const servers = await startServers(launch.servers, launch.env);
      try {
        outcome = await runConformance({
          pack: packArg, app, electron: o.electron, seed, grep: o.grep, shard, callTimeoutMs, streamTimeoutMs, launchTimeoutMs, signal: controller.signal,
          args: launch.args, env: launch.env, cwd: launch.cwd, node: o.node,
          // The header: which Node runs main on the stand-in (the app's Electron ships its own).
          onRuntime: (rt) => { if (rt.node) process.stdout.write(`conform: ${rt.node.note}\n`); },
          progress: list ? { channelStarted: (c) => list.channelStarted(c), note: (m) => list.note(m) } : undefined,
        });
      } catch (err) {
        // After Ctrl-C the app may die under the run first (Playwright closes it on SIGINT too), so
        // whatever error follows the interruption is the interruption.
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
        await servers.stop();
        process.removeListener('SIGINT', onSigint);
        process.removeListener('SIGTERM', onSigint);
      }
      const { report: raw } = outcome;
      const interrupted = !!outcome.interrupted || controller.signal.aborted;
      // An interrupted run's findings are part of the run: never recorded as the baseline.
      if (interrupted && o.updateBaseline) process.stderr.write(`conform: the run was interrupted; --update-baseline ${o.updateBaseline} not written\n`);
      const report = gateReport(raw, interrupted ? gate : updateBaseline(raw, gate, o.updateBaseline));
      if (list) {
        for (const g of byChannel(report)) list.channelDone(g.channel, g.checks);
        list.finish(report);
      }
      writeReports(report, reporters, outDir, interrupted);
      process.exitCode = exitCodeOf(report, failOn, interrupted);
    });
}
