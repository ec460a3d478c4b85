// `conform record --app <main> --out <cassette> [--pack <pack>]`: run the real app with the
// instrumentation hook and write its IPC traffic to a cassette as it happens (mocks/record.ts).
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { driveRecording, DriveScriptError, startRecording } from '../mocks/record.ts';
import { UsageError } from './errors.ts';

export function register(program: Command): void {
  program
    .command('record')
    .description('Run an Electron app with the instrumentation hook and record every invoke, send and event to a cassette (JSON Lines, secrets redacted)')
    .requiredOption('--app <main>', "the app's main script or folder")
    .requiredOption('--out <cassette>', 'cassette file to write (.jsonl)')
    .option('--pack <pack>', 'contract pack: its x-secret fields are redacted too, and the cassette names it')
    .option('--electron <path>', 'Electron binary to use (default: real Electron if installed, else the stand-in)')
    .option('--duration <ms>', 'stop recording after this many milliseconds (default: until the app exits or Ctrl-C)')
    .option('--drive <script>', "run this Playwright script against the app's first window while recording (default export async ({ page, app, log }) => {...}); recording stops when it returns")
    .action(async (opts: { app: string; out: string; pack?: string; electron?: string; duration?: string; drive?: string }) => {
      if (!existsSync(opts.app)) throw new UsageError(`--app ${opts.app} does not exist; give the app's main script or its folder`);
      if (opts.drive && !existsSync(opts.drive)) throw new UsageError(`--drive ${opts.drive} does not exist; give a script whose default export drives the page`);
      const duration = opts.duration === undefined ? undefined : Number(opts.duration);
      if (duration !== undefined && !(duration > 0)) throw new UsageError(`--duration must be a positive number of milliseconds (got "${opts.duration}")`);
      const log = (line: string) => process.stderr.write(line + '\n');
      const rec = await startRecording({ app: opts.app, out: opts.out, pack: opts.pack, electron: opts.electron, log });
      process.stderr.write(`conform record: recording ${opts.app} on ${rec.launched.runtime.reason} to ${opts.out}; close the app or press Ctrl-C to stop\n`);
      const stop = () => void rec.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const timer = duration ? setTimeout(stop, duration) : undefined;
      let driveFailed: string | undefined;
      if (opts.drive) {
        log(`conform record: driving the app with ${opts.drive}`);
        try {
          await driveRecording(rec, opts.drive, (line) => log(`conform record: [drive] ${line}`));
        } catch (err) {
          if (!(err instanceof DriveScriptError)) throw err;
          driveFailed = err.message;
        }
        stop();
      }
      // stop() closes the app, so `done` settles in every case: app closed, crashed, Ctrl-C, --duration, drive script done.
      const result = await rec.done;
      if (timer) clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stderr.write(`conform record: ${result.entries} entries written to ${opts.out}${result.crashed ? ' (the app crashed; everything recorded before the crash is kept)' : ''}\n`);
      if (driveFailed) {
        process.stderr.write(`conform record: ${driveFailed}\n`);
        process.exitCode = 1;
      }
    });
}
