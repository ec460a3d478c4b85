// `conform run <pack> --app <path>`: drive an app through its bridge and check it against its pack.
// Exit code 0 when every check passed (or was skipped), 1 on contract violations, 2 on usage or
// contract-file errors, 130 when interrupted.
import type { Command } from 'commander';
import { existsSync, mkdirSync } from 'node:fs';
import { writePrivateFile } from '../private-file.ts';
import { join, resolve } from 'node:path';
import { FILE_REPORTERS, REPORTER_NAMES } from '../../reports/run/index.ts';
import { ListReporter } from '../../reports/run/list.ts';
import { byChannel } from '../../reports/run/model.ts';
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
    .action(async (packArg: string, o: RunCliOptions) => {
      const reporters = o.reporter.split(',').map((r) => r.trim()).filter(Boolean);
      const unknown = reporters.filter((r) => !REPORTER_NAMES.includes(r));
      if (unknown.length) throw new UsageError(`unknown reporter ${unknown.join(', ')}; use one or more of ${REPORTER_NAMES.join(', ')}`);
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
          pack: packArg, app, electron: o.electron, seed, grep: o.grep, callTimeoutMs, streamTimeoutMs, signal: controller.signal,
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
      const { report } = outcome;
      if (list) {
        for (const g of byChannel(report)) list.channelDone(g.channel, g.checks);
        list.finish(report);
      }
      const files = reporters.filter((r) => r !== 'list');
      if (files.length) {
        mkdirSync(o.out, { recursive: true });
        for (const r of files) {
          const target = join(o.out, FILE_REPORTERS[r]!.file);
          writePrivateFile(target, FILE_REPORTERS[r]!.render(report));
          process.stdout.write(`${r} report: ${target}\n`);
        }
      }
      process.exitCode = report.summary.failed > 0 ? 1 : 0;
    });
}
